"""Exports on the ministry's form, the empty template, and imports with preview, mapping and all-or-nothing."""
import csv
import io

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.contacts import imports
from portal.contacts.models import Contact
from portal.imports.models import PendingImport
from portal.contacts.services import Seat
from portal.contacts.spreadsheets import COLUMNS, TEMPLATE_COLUMNS
from portal.units.models import Commune, Province
from tests import factories
from tests.factories import NGHE_AN


def sheet_rows(data: bytes, title: str) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data))[title].iter_rows(values_only=True))


def test_xlsx_export_follows_the_form_without_cccd_or_live_formulas(client, login_as, db, commune, department, register):
    register(Seat.of_commune(commune), 1, full_name="=HYPERLINK(\"http://x\")", cccd="001234567890")
    register(Seat.of_department(department, 1), 2, full_name="Đặng Thị Đầu Mối")
    login_as("coordinator", province_code=NGHE_AN)
    response = client.get("/contacts/export.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Cán bộ Sở", "Quản trị cấp xã"]
    communes = list(workbook["Quản trị cấp xã"].iter_rows(values_only=True))
    assert communes[1][0].startswith("DANH SÁCH") and communes[2][0] == "Tỉnh/thành phố: Nghệ An"
    assert communes[5] == COLUMNS
    assert communes[6][:4] == (1, "Nghệ An", commune.name, "=HYPERLINK(\"http://x\")")
    assert workbook["Quản trị cấp xã"].cell(row=7, column=4).data_type == "s"  # text, not a formula
    assert "Đặng Thị Đầu Mối" in [row[3] for row in workbook["Cán bộ Sở"].iter_rows(values_only=True)]
    assert b"001234567890" not in response.data
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "contacts.export")).scalar_one()
    assert event.target == f"province:{NGHE_AN}" and "xlsx" in event.detail


def test_csv_export_has_a_bom_and_defuses_formulas(client, login_as, commune, register):
    register(Seat.of_commune(commune), 1, full_name="@SUM(A1)", position="-1+2")
    login_as("admin")
    response = client.get("/contacts/export.csv?kind=commune")
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == list(COLUMNS)
    assert rows[1][3] == "'@SUM(A1)" and rows[1][4] == "'-1+2"


def test_national_export_is_for_admins_only(client, login_as):
    login_as("viewer")
    assert client.get("/contacts/export.xlsx").status_code == 403


def test_export_cli_writes_the_file_and_the_audit_log(runner, db, tmp_path, commune, register):
    register(Seat.of_commune(commune), 1)
    out = tmp_path / "national.xlsx"
    result = runner.invoke(args=["contacts", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(sheet_rows(out.read_bytes(), "Quản trị cấp xã")) == 7
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.target == "national")) == 1


def template_sheet(client, kind_title: str = "Quản trị cấp xã"):
    """The province's empty form as the portal hands it out, and one of its sheets."""
    workbook = load_workbook(io.BytesIO(client.get(f"/contacts/template.xlsx?province={NGHE_AN}").data))
    return workbook, workbook[kind_title]


def fill(row, number: int) -> None:
    """Write a person into a template row, each value under its own header."""
    cells = dict(zip(TEMPLATE_COLUMNS, row))
    cells["Họ và tên"].value = f"Cán Bộ {number}"
    cells["Chức vụ"].value = "Công chức"
    cells["Số điện thoại"].value = f"091{number:07d}"
    cells["Email"].value = f"can.bo.{number}@nghean.gov.vn"


def saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filled_template(client, bad_lines=()) -> bytes:
    """Nghệ An's empty form with all 130 communes filled in, some rows spoiled on purpose."""
    workbook, sheet = template_sheet(client)
    for number, row in enumerate(sheet.iter_rows(min_row=7), start=1):
        fill(row, number)
    for line in bad_lines:
        sheet.cell(row=line, column=TEMPLATE_COLUMNS.index("Số điện thoại") + 1).value = "12345"
    return saved(workbook)


def test_import_of_130_rows_with_3_bad_ones_writes_nothing_until_fixed(client, login_as, db):
    login_as("coordinator", province_code=NGHE_AN)
    data = filled_template(client, bad_lines=(10, 50, 90))
    response = client.post("/contacts/import", data={
        "file": (io.BytesIO(data), "nghe-an.xlsx"), "kind": "commune", "province_code": NGHE_AN, "accept_notice": "y",
    })
    assert response.status_code == 302
    preview = client.get(response.location).get_data(as_text=True)
    assert preview.count('class="row-error"') == 3
    token = response.location.rsplit("/", 1)[1]
    assert client.post(f"/contacts/import/{token}/confirm").status_code == 302
    assert db.session.scalar(select(func.count(Contact.id))) == 0

    response = client.post("/contacts/import", data={
        "file": (io.BytesIO(filled_template(client)), "nghe-an.xlsx"), "kind": "commune", "province_code": NGHE_AN, "accept_notice": "y",
    })
    token = response.location.rsplit("/", 1)[1]
    assert "row-error" not in client.get(response.location).get_data(as_text=True)
    assert client.post(f"/contacts/import/{token}/confirm").status_code == 302
    assert db.session.scalar(select(func.count(Contact.id)).where(Contact.province_code == NGHE_AN)) == 130
    assert db.session.scalar(select(func.count(PendingImport.id)).where(PendingImport.token == token)) == 0


def test_communes_match_by_code_or_by_name_without_prefix_or_diacritics(db):
    province = db.session.get(Province, NGHE_AN)
    index = imports.UnitIndex(province)
    commune = db.session.execute(
        select(Commune).where(Commune.province_code == NGHE_AN, Commune.name == "Phường Cửa Lò")
    ).scalar_one()
    for text in ("Phường Cửa Lò", "phuong cua lo", "CỬA LÒ", "cua lo", str(commune.code), f"0{commune.code}"):
        assert index.find(text)[0] == commune, text
    assert index.find("Xã Không Có")[0] is None


def csv_upload(client, text: str, province=NGHE_AN):
    return client.post("/contacts/import", data={
        "file": (io.BytesIO(text.encode("utf-8-sig")), "danh-sach.csv"), "kind": "commune", "province_code": province, "accept_notice": "y",
    })


def test_other_headers_are_mapped_once_on_the_preview_page(client, login_as, db):
    login_as("coordinator", province_code=NGHE_AN)
    response = csv_upload(client, "Xã,Người phụ trách,Di động,Thư\nCửa Lò,Phan Văn Một,0912000001,mot@cualo.vn\n")
    page = client.get(response.location).get_data(as_text=True)
    assert 'name="full_name"' in page  # the mapping form
    token = response.location.rsplit("/", 1)[1]
    client.post(f"/contacts/import/{token}/mapping", data={"unit": 0, "full_name": 1, "phone": 2, "email": 3})
    preview = client.get(response.location).get_data(as_text=True)
    assert "Phan Văn Một" in preview and "row-error" not in preview
    client.post(f"/contacts/import/{token}/confirm")
    assert db.session.execute(select(Contact.full_name)).scalar_one() == "Phan Văn Một"


def test_an_import_started_by_someone_else_is_not_found(client, login_as, db):
    owner = factories.create_user("coordinator", province_code=NGHE_AN)
    pending = imports.start_import(owner, db.session.get(Province, NGHE_AN), "commune", "a.csv",
                                   "Đơn vị,Họ và tên,Số điện thoại,Email\nCửa Lò,A,0912000001,a@b.vn\n".encode())
    login_as("coordinator", province_code=NGHE_AN)
    assert client.get(f"/contacts/import/{pending.token}").status_code == 404
    assert client.post(f"/contacts/import/{pending.token}/confirm").status_code == 404


def test_duplicate_rows_and_foreign_communes_are_row_errors(db):
    user = factories.create_user("admin")
    text = ("Đơn vị,Họ và tên,Số điện thoại,Email\n"
            "Cửa Lò,A,0912000001,a@b.vn\nphuong cua lo,B,0912000002,b@b.vn\n"
            "Phường Hoàn Kiếm,C,0912000003,c@b.vn\nXã Mới,D,0912000004,a@b.vn\n")
    pending = imports.start_import(user, db.session.get(Province, NGHE_AN), "commune", "x.csv", text.encode())
    checks = imports.check_rows(pending)
    assert [bool(c.errors) for c in checks] == [False, True, True, True]


def test_bad_files_get_a_clear_message(client, login_as):
    login_as("coordinator", province_code=NGHE_AN)
    response = client.post("/contacts/import", data={
        "file": (io.BytesIO(b"PK\x03\x04 not really"), "x.xlsx"), "kind": "commune", "province_code": NGHE_AN, "accept_notice": "y",
    })
    assert response.status_code == 200 and 'id="file-error"' in response.get_data(as_text=True)
    response = client.post("/contacts/import", data={
        "file": (io.BytesIO(b"\xd0\xf5n v\xf2\n"), "x.csv"), "kind": "commune", "province_code": NGHE_AN, "accept_notice": "y",
    })
    assert 'id="file-error"' in response.get_data(as_text=True)


def test_import_cli_is_all_or_nothing(runner, db, tmp_path, client, login_as):
    login_as("admin")
    path = tmp_path / "nghe-an.xlsx"
    path.write_bytes(filled_template(client, bad_lines=(8,)))
    result = runner.invoke(args=["contacts", "import", str(path), "--province", str(NGHE_AN), "--notice-accepted"])
    assert result.exit_code == 1 and "Dòng 8" in result.output
    assert db.session.scalar(select(func.count(Contact.id))) == 0
    path.write_bytes(filled_template(client))
    result = runner.invoke(args=["contacts", "import", str(path), "--province", str(NGHE_AN), "--notice-accepted"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(Contact.id))) == 130


def test_department_sheet_imports_two_cadres(db):
    user = factories.create_user("admin")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Cán bộ Sở"
    sheet.append(list(COLUMNS))
    for number in (1, 2, 3):
        sheet.append([number, "Nghệ An", "Sở Văn hóa, Thể thao và Du lịch", f"Cán bộ {number}", "Chuyên viên",
                      f"090000000{number}", f"cb{number}@so.vn", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    pending = imports.start_import(user, db.session.get(Province, NGHE_AN), "department", "so.xlsx", buffer.getvalue())
    checks = imports.check_rows(pending)
    assert [bool(c.errors) for c in checks] == [False, False, True]


def test_remind_mails_each_coordinator_their_missing_communes(runner, db, outbox, commune, register):
    register(Seat.of_commune(commune), 1)
    factories.create_user("coordinator", province_code=NGHE_AN, email="dp@nghean.gov.vn")
    result = runner.invoke(args=["contacts", "remind"])
    assert result.exit_code == 0 and "1" in result.output
    assert [m.to for m in outbox()] == [["dp@nghean.gov.vn"]]
    assert "129" in outbox()[0].body and commune.name not in outbox()[0].body
