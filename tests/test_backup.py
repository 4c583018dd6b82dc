"""Back up a populated portal (database and files), restore it into an empty one, and compare every table and
file; a restore over data, or of a broken archive, is refused in one sentence with nothing changed."""
import hashlib
import io
import json
import os
import tarfile

from datetime import date

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.demo import load_all
from portal.core.extensions import db
from tests.conftest import config_for_tests, empty_postgresql


def fingerprint(app) -> dict:
    """Every table's row count and a hash of its rows in primary-key order."""
    result = {}
    with app.app_context():
        with db.engine.connect() as connection:
            for table in db.metadata.sorted_tables:
                rows = connection.execute(table.select().order_by(*table.primary_key.columns)).all()
                result[table.name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
        db.engine.dispose()
    return result


def second_database(tmp_path, name: str) -> str:
    """Another empty database of the kind the suite runs on."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / name}.sqlite3"
    server = make_url(url).set(drivername="postgresql+psycopg")
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def folders(tmp_path, name: str) -> dict:
    return {"ATTACHMENTS_DIR": str(tmp_path / name / "attachments"), "MATERIALS_DIR": str(tmp_path / name / "materials")}


def empty_target(tmp_path, name: str = "portal_backup_target", **settings):
    url = second_database(tmp_path, name)
    if url.startswith("postgresql"):
        empty_postgresql(url)
    return create_app({**config_for_tests(url), **settings})


def stored_files(app) -> dict[str, bytes]:
    """Every file the records name, read from the app's store."""
    from portal.core.storage import storage
    from portal.files.services import named_keys

    with app.app_context():
        result = {}
        for key in named_keys():
            with storage().open(key) as stream:
                result[key] = stream.read()
        db.session.remove()
        db.engine.dispose()
        return result


@pytest.fixture(scope="module")
def populated(tmp_path_factory):
    """A portal with the demo data, a ticket with two attachments and a material, and its backup archive."""
    from portal.materials.services import add_file
    from portal.support.services import create_ticket
    from tests import factories

    tmp_path = tmp_path_factory.mktemp("backup")
    source = create_app({**config_for_tests(second_database(tmp_path, "portal_backup_source")),
                         **folders(tmp_path, "source")})
    with source.app_context():
        upgrade()
        load_all()
        reporter = factories.create_user("commune_admin")
        create_ticket(reporter, 2, "Ảnh lỗi", "Mô tả", "normal",
                      files=[("anh.png", factories.png_image()), ("so-do.png", factories.png_image(10, 10))])
        add_file(factories.create_user("admin"), "Hướng dẫn", "", "both", "1.0", date(2026, 1, 10), True,
                 "huong-dan.pdf", b"%PDF-1.4\n" + b"1" * 5000)
        db.session.remove()
    archive = tmp_path / "portal.tar"
    result = source.test_cli_runner().invoke(args=["backup", "--out", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Backed up the database and 3 files" in result.output
    return source, archive, tmp_path


def test_backup_restores_every_table_and_file(populated):
    source, archive, tmp_path = populated
    target = empty_target(tmp_path, **folders(tmp_path, "target"))
    result = target.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Restored the database and 3 files" in result.output
    before, after = fingerprint(source), fingerprint(target)
    # The source audited the backup once it was written: the one row the archive itself cannot hold.
    assert before.pop("audit_events")[0] == after.pop("audit_events")[0] + 1
    assert before == after and before["communes"][0] == 3321 and before["tickets"][0] == 5
    files = stored_files(source)
    assert len(files) == 3 and stored_files(target) == files


def test_a_backup_of_local_files_restores_into_s3(populated, s3_store_env, monkeypatch):
    source, archive, tmp_path = populated
    for name, value in s3_store_env.items():
        if name.startswith("AWS_"):
            monkeypatch.setenv(name, value)
    target = empty_target(tmp_path, "portal_backup_s3",
                          STORAGE_URL=f"{s3_store_env['STORAGE_URL'].rstrip('/')}/{tmp_path.name}")
    result = target.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert stored_files(target) == stored_files(source)
    again = target.test_cli_runner().invoke(args=["backup", "--out", str(tmp_path / "from-s3.tar")])
    assert again.exit_code == 0 and "3 files" in again.output
    with target.app_context():
        db.engine.dispose()


def test_a_restore_over_data_is_refused_unless_told_to_replace(populated):
    source, archive, tmp_path = populated
    runner = source.test_cli_runner()
    with source.app_context():
        from portal.auth.models import User

        db.session.add(User(email="sau.sao.luu@tinh.gov.vn", full_name="Viết sau bản sao", role="viewer"))
        db.session.commit()
        db.session.remove()
    refused = runner.invoke(args=["restore", str(archive)])
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert "The database already holds" in refused.output and "accounts" in refused.output
    assert "--replace" in refused.output
    assert user_emails(source).count("sau.sao.luu@tinh.gov.vn") == 1
    replaced = runner.invoke(args=["restore", "--replace", str(archive)])
    assert replaced.exit_code == 0, replaced.output
    assert "Replacing" in replaced.output and "sau.sao.luu@tinh.gov.vn" not in user_emails(source)


def user_emails(app) -> list[str]:
    with app.app_context():
        with db.engine.connect() as connection:
            emails = list(connection.execute(text("SELECT email FROM users")).scalars())
        db.engine.dispose()
    return emails


def rewritten(archive, tmp_path, name: str, change) -> str:
    """A copy of the archive with its members changed by `change(members) -> members` (name, bytes)."""
    with tarfile.open(archive) as source:
        members = [(m.name, source.extractfile(m).read()) for m in source.getmembers()]
    out = tmp_path / name
    with tarfile.open(out, "w") as target:
        for member_name, data in change(members):
            info = tarfile.TarInfo(member_name)
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))
    return str(out)


@pytest.mark.parametrize("name, change, message", [
    ("escape.tar", lambda m: m + [("files/attachments/../../../../tmp/x.png", b"x")], "unexpected entry"),
    ("other-area.tar", lambda m: m + [("files/secrets/key", b"x")], "unexpected entry"),
    ("no-manifest.tar", lambda m: [x for x in m if x[0] != "manifest.json"], "no readable manifest"),
    ("future.tar", lambda m: [(n, json.dumps({"format": 9, "database": "sqlite"}).encode() if n == "manifest.json"
                               else d) for n, d in m], "format"),
    ("no-database.tar", lambda m: [x for x in m if not x[0].startswith("database")], "no database"),
])
def test_a_broken_archive_is_refused_in_one_sentence_before_anything_changes(populated, name, change, message):
    source, archive, tmp_path = populated
    target = empty_target(tmp_path, "portal_backup_broken", **folders(tmp_path, f"broken-{name}"))
    result = target.test_cli_runner().invoke(args=["restore", rewritten(archive, tmp_path, name, change)])
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    assert not list((tmp_path / f"broken-{name}").rglob("*.png"))
    assert not (tmp_path / "tmp" / "x.png").exists()


def test_a_file_that_is_no_backup_is_refused_in_one_sentence(populated):
    source, archive, tmp_path = populated
    garbage = tmp_path / "not-a-backup.tar"
    garbage.write_bytes(b"this is not a backup at all" * 100)
    target = empty_target(tmp_path, "portal_backup_garbage")
    result = target.test_cli_runner().invoke(args=["restore", str(garbage)])
    assert result.exit_code == 1 and "Traceback" not in result.output and "nothing was changed" in result.output
    missing = target.test_cli_runner().invoke(args=["restore", str(tmp_path / "nowhere.tar")])
    assert missing.exit_code != 0 and "Traceback" not in missing.output


def test_a_database_only_backup_of_earlier_versions_still_restores(populated):
    from portal.core import backup as database

    source, archive, tmp_path = populated
    old = tmp_path / "portal-old.dump"
    with source.app_context():
        database.backup(old)
        db.session.remove()
    target = empty_target(tmp_path, "portal_backup_old")
    result = target.test_cli_runner().invoke(args=["restore", str(old)])
    assert result.exit_code == 0, result.output
    assert "database only" in result.output and fingerprint(target) == fingerprint(source)
