"""Download names: a file is served, and listed, under its own name only, never a path the uploader made up."""
import io
import re
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from portal.materials import services as materials
from portal.materials.models import Material
from portal.support import services as support
from portal.util.downloads import content_disposition, download_name
from tests import factories
from tests.conftest import start_session

PDF = b"%PDF-1.7\n" + b"0" * 200
PORTAL = Path(__file__).resolve().parents[1] / "portal"


@pytest.fixture
def folders(app, tmp_path):
    app.config.update(ATTACHMENTS_DIR=str(tmp_path / "attachments"), MATERIALS_DIR=str(tmp_path / "materials"))
    for name in ("attachments", "materials"):
        (tmp_path / name).mkdir()
    yield tmp_path
    app.config.pop("ATTACHMENTS_DIR")
    app.config.pop("MATERIALS_DIR")


@pytest.mark.parametrize("sent, kept", [
    ("../../../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\x\\a.pdf", "a.pdf"),
    ("/var/tmp/ke hoach.xlsx", "ke hoach.xlsx"),
    ('bao "cao"\r\nSet-Cookie: x=1.pdf', "bao cao Set-Cookie: x=1.pdf"),
    ("anh\u202egnp.exe", "anhgnp.exe"),  # a right-to-left override would show it as "anhexe.png"
    ("Hướng dẫn sử dụng.pdf", "Hướng dẫn sử dụng.pdf"),
    ("..", "file"),
    ("", "file"),
])
def test_only_the_files_own_name_is_kept(sent, kept):
    assert download_name(sent) == kept


def test_a_long_name_keeps_its_extension():
    name = download_name("a" * 300 + ".docx")
    assert len(name) == 200 and name.endswith("a.docx")


def test_vietnamese_names_travel_in_filename_star_with_an_ascii_fallback():
    header = content_disposition("Đề cương tập huấn.pdf")
    assert header.startswith('attachment; filename="De cuong tap huan.pdf"; filename*=UTF-8\'\'')
    assert unquote(header.split("UTF-8''")[1]) == "Đề cương tập huấn.pdf"
    assert content_disposition("ke-hoach.ics", inline=True) == 'inline; filename="ke-hoach.ics"'


def test_a_ticket_attachment_is_stored_and_served_under_its_own_name(client, db, folders):
    reporter = factories.create_user("commune_admin")
    ticket = support.create_ticket(reporter, 2, "Không mở được tệp", "Tệp đính kèm.", "normal",
                                   files=[("../../../../etc/passwd.pdf", PDF)])
    attachment = ticket.attachments[0]
    assert attachment.file_name == "passwd.pdf"
    start_session(client, reporter)
    page = client.get(f"/support/tickets/{ticket.id}").get_data(as_text=True)
    assert "passwd.pdf" in page and "../" not in page
    # A row written before names were cleaned is still served under the plain name.
    attachment.file_name = "..\\..\\windows\\Tờ trình.pdf"
    db.session.commit()
    download = client.get(f"/support/attachments/{attachment.id}")
    header = download.headers["Content-Disposition"]
    download.close()
    assert header.startswith('attachment; filename="To trinh.pdf"') and "windows" not in header
    assert unquote(header.split("UTF-8''")[1]) == "Tờ trình.pdf"


def test_a_material_is_stored_and_served_under_its_own_name(client, db, admin, folders):
    material = materials.add_file(admin, title="Hướng dẫn", description="", audience="commune", version="1.0",
                                  published_on=date(2026, 1, 15), is_public=True, file_name="C:\\Users\\x\\a.pdf",
                                  data=PDF)
    assert material.file_name == "a.pdf"
    material.file_name = "../../../../etc/passwd.pdf"
    db.session.commit()
    response = client.get(f"/materials/{material.id}/file")
    try:
        assert response.data == PDF and response.headers["Content-Disposition"] == 'attachment; filename="passwd.pdf"'
    finally:
        response.close()


def test_the_upload_form_keeps_the_plain_name(client, db, login_as, folders):
    login_as("trainer")
    response = client.post("/materials/new", data={
        "title": "Tài liệu", "description": "", "audience": "commune", "version": "1.0",
        "published_on": "2026-01-15", "is_public": "y", "file": (io.BytesIO(PDF), "../../tài liệu.pdf")})
    assert response.status_code == 302
    assert db.session.execute(select(Material.file_name)).scalar_one() == "tài liệu.pdf"


def test_every_content_disposition_goes_through_the_one_helper():
    """A new download that names its file by hand (or through send_file's download_name) skips the cleaning."""
    offenders = [str(path.relative_to(PORTAL)) for path in PORTAL.rglob("*.py")
                 if path.name != "downloads.py" and re.search(r"download_name=|Content-Disposition\"\]|"
                                                             r"\"Content-Disposition\": f", path.read_text())]
    assert offenders == []
