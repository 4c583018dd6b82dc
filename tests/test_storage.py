"""The file store on both backends: the local folder and S3-compatible storage (a real server that checks
signatures); tickets' attachments and materials through it, uploads streamed, downloads checked then served."""
import io
from datetime import date
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from portal.core import storage as store_module
from portal.core.storage import FileMissing, LocalStorage, S3Storage, key_for, split_key
from portal.materials import services as materials
from portal.support import services as support
from portal.support.models import TicketAttachment
from tests import factories
from tests.conftest import install_store, start_session
from tests.factories import NGHE_AN

PDF = b"%PDF-1.4\n" + b"x" * 1000


class ReadWatcher(io.BytesIO):
    """A stream that remembers the largest read asked of it: a whole-file read asks for everything (-1)."""

    largest = 0

    def read(self, size=-1):
        self.largest = max(self.largest, size if size is not None and size >= 0 else 1 << 62)
        return super().read(size)


def contents(store, key: str) -> bytes:
    with store.open(key) as stream:
        return stream.read()


@pytest.fixture(params=["local", "s3"])
def store(request, app, tmp_path, monkeypatch):
    """The app's store for one test: a folder of its own, or a bucket prefix of its own on the S3 server."""
    return install_store(request.param, request, app, tmp_path, monkeypatch)


def test_a_file_goes_in_and_out_whole(store):
    key = key_for("attachments", "a1.pdf")
    assert not store.exists(key)
    assert store.save(key, io.BytesIO(PDF * 600), "application/pdf") == len(PDF) * 600
    assert store.exists(key) and store.size(key) == len(PDF) * 600
    with store.open(key) as stream:
        assert stream.read() == PDF * 600
    assert [item.key for item in store.objects("attachments")] == [key]
    store.delete(key)
    assert not store.exists(key) and list(store.objects("attachments")) == []
    with pytest.raises(FileMissing):
        store.open(key)
    with pytest.raises(FileMissing):
        store.size(key)
    store.delete(key)  # deleting what is gone is no error


@pytest.mark.parametrize("key", ["attachments/../secret_key", "attachments/", "materials/a/b.pdf", "../x.pdf",
                                 "other/x.pdf", "attachments/.hidden"])
def test_a_key_names_one_file_of_one_area(key):
    with pytest.raises(ValueError):
        split_key(key)


def test_a_large_upload_is_copied_in_chunks_never_read_whole(app, db, admin, store):
    stream = ReadWatcher(b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024))
    material = materials.add_file(admin, "Hướng dẫn", "", "both", "1.0", date(2026, 1, 10), True, "huong-dan.pdf",
                                  stream)
    assert 0 < stream.largest <= store_module.PART_BYTES
    assert store.size(materials.file_key(material)) == material.size == 9 + 20 * 1024 * 1024


def test_an_attachment_posted_on_the_form_is_stored_and_served_to_its_province_only(client, db, store):
    reporter = factories.create_user("commune_admin")
    start_session(client, reporter)
    png = factories.png_image(32, 24)
    page = client.get("/support/new").get_data(as_text=True)
    assert 'name="attachments"' in page
    ticket = support.create_ticket(reporter, 2, "Lỗi", "Không tiếp nhận được", "normal",
                                   files=[("../../../../etc/anh chụp.png", io.BytesIO(png))])
    attachment = ticket.attachments[0]
    assert attachment.file_name == "anh chụp.png" and attachment.size == len(png)
    assert (attachment.width, attachment.height) == (32, 24)
    assert store.exists(support.attachment_key(attachment))
    response = client.get(f"/support/attachments/{attachment.id}")
    assert response.status_code == 200 and response.get_data() == png
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"].startswith("inline;") and "etc" not in response.headers[
        "Content-Disposition"]
    response.close()
    start_session(client, factories.create_user("coordinator", province_code=1))
    assert client.get(f"/support/attachments/{attachment.id}").status_code == 404


def test_a_refused_file_stores_nothing_and_writes_no_row(db, store):
    reporter = factories.create_user("commune_admin")
    files = [("anh.png", factories.png_image()), ("bao-cao.pdf", b"not a pdf")]
    with pytest.raises(Exception):
        support.create_ticket(reporter, 2, "Lỗi", "Mô tả", "normal", files=files)
    db.session.rollback()
    assert list(store.objects("attachments")) == []
    assert db.session.scalar(select(func.count()).select_from(TicketAttachment)) == 0


def test_a_file_the_store_lost_is_a_404_not_a_500(client, db, store):
    reporter = factories.create_user("commune_admin")
    ticket = support.create_ticket(reporter, 2, "Lỗi", "Mô tả", "normal", files=[("anh.png", factories.png_image())])
    store.delete(support.attachment_key(ticket.attachments[0]))
    start_session(client, reporter)
    assert client.get(f"/support/attachments/{ticket.attachments[0].id}").status_code == 404


def test_a_public_material_downloads_with_its_own_name(client, db, admin, store):
    material = materials.add_file(admin, "Hướng dẫn", "", "both", "1.0", date(2026, 1, 10), True,
                                  "C:\\Users\\Lan\\Hướng dẫn tiếp nhận.pdf", PDF)
    response = client.get(f"/materials/{material.id}/file")
    assert response.status_code == 200 and response.get_data() == PDF
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "Users" not in disposition
    assert "filename*=UTF-8''H%C6%B0%E1%BB%9Bng%20d%E1%BA%ABn%20ti%E1%BA%BFp%20nh%E1%BA%ADn.pdf" in disposition
    response.close()


def test_presigned_downloads_redirect_for_a_minute_after_the_checks(client, db, admin, app, s3_store_env,
                                                                    monkeypatch, tmp_path):
    for name, value in s3_store_env.items():
        if name.startswith("AWS_"):
            monkeypatch.setenv(name, value)
    found = S3Storage(f"{s3_store_env['STORAGE_URL'].rstrip('/')}/{tmp_path.name}", serve="presigned")
    monkeypatch.setitem(app.extensions, "storage", found)
    material = materials.add_file(admin, "Nội bộ", "", "both", "1.0", date(2026, 1, 10), False, "noi-bo.pdf", PDF)
    assert client.get(f"/materials/{material.id}/file").status_code == 404  # not public, not signed in
    start_session(client, admin)
    response = client.get(f"/materials/{material.id}/file")
    assert response.status_code == 303
    query = urlsplit(response.location).query
    assert "X-Amz-Expires=60" in query and "response-content-disposition" in query
    import urllib.request

    with urllib.request.urlopen(response.location) as answer:  # nosec B310 (the test's own S3 server)
        assert answer.read() == PDF


def test_the_store_is_chosen_by_storage_url(app, monkeypatch, s3_store_env):
    monkeypatch.setitem(app.config, "STORAGE_URL", "")
    assert isinstance(store_module.build(app), LocalStorage)
    for name, value in s3_store_env.items():
        if name.startswith("AWS_"):
            monkeypatch.setenv(name, value)
    monkeypatch.setitem(app.config, "STORAGE_URL", s3_store_env["STORAGE_URL"])
    built = store_module.build(app)
    assert isinstance(built, S3Storage) and built.bucket == urlsplit(s3_store_env["STORAGE_URL"]).netloc
    built.check()
    monkeypatch.setitem(app.config, "STORAGE_URL", "s3:///no-bucket")
    with pytest.raises(RuntimeError, match="s3://bucket/prefix"):
        store_module.build(app)
    monkeypatch.setitem(app.config, "STORAGE_URL", s3_store_env["STORAGE_URL"])
    monkeypatch.setitem(app.config, "STORAGE_SERVE", "x-accel")
    with pytest.raises(RuntimeError, match="STORAGE_SERVE"):
        store_module.build(app)


def test_the_sweep_removes_old_files_no_row_names_and_keeps_the_rest(db, store):
    from datetime import timedelta

    from portal.files import services as files
    from portal.core.models_base import utcnow

    reporter = factories.create_user("commune_admin")
    ticket = support.create_ticket(reporter, 2, "Lỗi", "Mô tả", "normal", files=[("anh.png", factories.png_image())])
    kept = support.attachment_key(ticket.attachments[0])
    orphan = key_for("attachments", "0" * 32 + ".png")
    store.save(orphan, io.BytesIO(b"left by a request that failed"))
    assert files.sweep(utcnow()) == (0, 0)  # younger than the grace: its row may be about to commit
    assert files.sweep(utcnow() + timedelta(hours=2)) == (1, len(b"left by a request that failed"))
    assert store.exists(kept) and not store.exists(orphan)


def test_storage_migrate_copies_every_named_file_once_and_resumes(app, db, admin, runner, tmp_path, monkeypatch,
                                                                    s3_store_env):
    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(tmp_path / "attachments"))
    monkeypatch.setitem(app.config, "MATERIALS_DIR", str(tmp_path / "materials"))
    local = LocalStorage(app)
    monkeypatch.setitem(app.extensions, "storage", local)
    reporter = factories.create_user("commune_admin")
    ticket = support.create_ticket(reporter, 2, "Lỗi", "Mô tả", "normal",
                                   files=[("a.png", factories.png_image()), ("b.png", factories.png_image(8, 8))])
    material = materials.add_file(admin, "Hướng dẫn", "", "both", "1.0", date(2026, 1, 10), True, "hd.pdf", PDF)
    keys = [support.attachment_key(a) for a in ticket.attachments] + [materials.file_key(material)]
    result = runner.invoke(args=["storage", "migrate"])
    assert result.exit_code == 1 and "STORAGE_URL is not set" in result.output
    for name, value in s3_store_env.items():
        if name.startswith("AWS_"):
            monkeypatch.setenv(name, value)
    target = S3Storage(f"{s3_store_env['STORAGE_URL'].rstrip('/')}/{tmp_path.name}")
    monkeypatch.setitem(app.extensions, "storage", target)
    target.save(keys[0], io.BytesIO(b"half"))  # a run that stopped in the middle of this file
    result = runner.invoke(args=["storage", "migrate"])
    assert result.exit_code == 0, result.output
    assert "3 copied, 0 already in the store, 0 missing from the local folders, of 3 files." in result.output
    assert all(contents(target, key) == contents(local, key) for key in keys)
    again = runner.invoke(args=["storage", "migrate"])
    assert "0 copied, 3 already in the store" in again.output
    local.delete(keys[2])
    target.delete(keys[2])
    lost = runner.invoke(args=["storage", "migrate"])
    assert lost.exit_code == 1 and f"missing: {keys[2]}" in lost.output
