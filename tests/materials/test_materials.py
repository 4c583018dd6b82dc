"""The materials library: uploads checked by content and size, kept outside static/, served as attachments."""
import io
import re
import zipfile
from datetime import date

import pytest

from portal.core.errors import DomainError
from portal.core import uploads
from portal.materials import services as materials
from tests.conftest import start_session

PDF = b"%PDF-1.7\n" + b"0" * 200


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def material_folder(app, tmp_path):
    app.config["MATERIALS_DIR"] = str(tmp_path)
    yield tmp_path
    app.config.pop("MATERIALS_DIR")


def details(**overrides):
    values = dict(title="Hướng dẫn tiếp nhận hồ sơ", description="", audience="commune", version="1.0",
                  published_on=date(2026, 1, 15), is_public=True)
    values.update(overrides)
    return values


def test_the_type_is_decided_by_the_content(db, admin):
    assert uploads.detect_type(PDF) == "pdf"
    assert uploads.detect_type(docx_bytes()) == "docx"
    assert uploads.detect_type(b"\x00\x00\x00\x18ftypmp42") == "mp4"
    assert uploads.detect_type(b"\x89PNG\r\n") is None
    with pytest.raises(DomainError):
        materials.add_file(admin, **details(), file_name="huong-dan.pdf", data=b"\x89PNG\r\n not a pdf")
    with pytest.raises(DomainError):
        materials.add_file(admin, **details(), file_name="huong-dan.exe", data=PDF)
    with pytest.raises(DomainError):
        materials.add_file(admin, **details(), file_name="huong-dan.docx", data=PDF)


def test_size_is_limited(app, db, admin):
    app.config["MATERIAL_MAX_BYTES"] = 100
    try:
        with pytest.raises(DomainError):
            materials.add_file(admin, **details(), file_name="a.pdf", data=PDF)
    finally:
        app.config["MATERIAL_MAX_BYTES"] = 100 * 1024 * 1024


def test_upload_is_stored_outside_static_and_served_as_an_attachment(client, login_as, material_folder):
    login_as("trainer")
    response = client.post("/materials/new", data={
        **details(published_on="2026-01-15", is_public="y"), "file": (io.BytesIO(PDF), "Hướng dẫn.pdf")})
    assert response.status_code == 302
    stored = list(material_folder.iterdir())
    assert len(stored) == 1 and stored[0].read_bytes() == PDF and "Hướng dẫn" not in stored[0].name
    client.post("/auth/logout")
    page = client.get("/materials/").get_data(as_text=True)
    link = re.search(r'href="(/materials/[0-9]+/file)"', page).group(1)
    response = client.get(link)
    try:
        assert response.data == PDF and response.headers["Content-Disposition"].startswith("attachment")
        assert response.mimetype == "application/pdf"
    finally:
        response.close()


def test_private_materials_are_hidden_from_the_public(client, db, admin):
    hidden = materials.add_file(admin, **details(title="Tài liệu nội bộ", is_public=False), file_name="a.pdf", data=PDF)
    materials.add_link(admin, **details(title="Khóa học trực tuyến"), link="https://elearning.gov.vn/tthc")
    page = client.get("/materials/").get_data(as_text=True)
    assert "Khóa học trực tuyến" in page and "Tài liệu nội bộ" not in page
    assert client.get(f"/materials/{hidden.id}/file").status_code == 404


def test_materials_attach_to_sessions(client, login_as, admin, trainer, make_session, db):
    session = make_session()
    material = materials.add_link(admin, **details(), link="https://elearning.gov.vn/tthc")
    start_session(client, trainer)
    client.post(f"/materials/sessions/{session.id}", data={"material_id": material.id})
    db.session.refresh(session)
    assert session.materials == [material]
    assert "https://elearning.gov.vn/tthc" in client.get(f"/training/sessions/{session.id}").get_data(as_text=True)
    login_as("coordinator")
    assert client.post(f"/materials/sessions/{session.id}", data={"material_id": material.id}).status_code == 403
