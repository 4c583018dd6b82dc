"""Imports of what the portal hands out (the blank template) and of sheets as clerks write them."""
import io
import re

from openpyxl import Workbook
from sqlalchemy import func, select

from portal.contacts import imports
from portal.contacts.forms import ContactForm
from portal.contacts.models import Contact
from portal.contacts.services import Seat
from portal.contacts.spreadsheets import TEMPLATE_COLUMNS
from portal.units.models import Commune, Province
from portal.util.sheets import auto_mapping
from tests import factories
from tests.contacts.test_files import fill, saved, template_sheet
from tests.factories import NGHE_AN


def upload(client, data: bytes, name: str = "nghe-an.xlsx", kind: str = "commune"):
    response = client.post("/contacts/import", data={
        "file": (io.BytesIO(data), name), "kind": kind, "province_code": NGHE_AN, "accept_notice": "y",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.location, response.location.rsplit("/", 1)[1]


def contacts(db) -> int:
    return db.session.scalar(select(func.count(Contact.id)).where(Contact.province_code == NGHE_AN))


def commune_named(db, name: str) -> Commune:
    return db.session.execute(
        select(Commune).where(Commune.province_code == NGHE_AN, Commune.name == name)).scalar_one()


def test_the_blank_template_with_11_rows_filled_saves_11_and_skips_119(client, login_as, db):
    login_as("coordinator", province_code=NGHE_AN)
    workbook, sheet = template_sheet(client)
    rows = list(sheet.iter_rows(min_row=7))
    assert len(rows) == 130
    for number, row in enumerate(rows[::12][:11], start=1):
        fill(row, number)
    location, token = upload(client, saved(workbook))
    preview = client.get(location).get_data(as_text=True)
    assert "row-error" not in preview
    assert "Bỏ qua 119 dòng trống" in preview and "Lưu tất cả 11 dòng" in preview
    response = client.post(f"/contacts/import/{token}/confirm", follow_redirects=True)
    assert "Đã nhập 11 mục. Bỏ qua 119 dòng trống." in response.get_data(as_text=True)
    assert contacts(db) == 11


def test_a_template_left_blank_saves_nothing_and_says_why(client, login_as, db):
    login_as("coordinator", province_code=NGHE_AN)
    workbook, _sheet = template_sheet(client)
    location, token = upload(client, saved(workbook))
    preview = client.get(location).get_data(as_text=True)
    assert "Không dòng nào trong tệp có thông tin một người" in preview and "Lưu tất cả" not in preview
    client.post(f"/contacts/import/{token}/confirm")
    assert contacts(db) == 0


def test_the_template_freezes_its_header_and_carries_every_field_of_the_web_form(client, login_as, app):
    login_as("coordinator", province_code=NGHE_AN)
    workbook, sheet = template_sheet(client)
    for title in ("Cán bộ Sở", "Quản trị cấp xã"):
        assert workbook[title].freeze_panes == "A7"
        assert tuple(c.value for c in workbook[title][6]) == TEMPLATE_COLUMNS
    mapped = auto_mapping(list(TEMPLATE_COLUMNS), imports.HEADER_ALIASES)
    with app.test_request_context():
        person_fields = {f.name for f in ContactForm(meta={"csrf": False})
                         if f.type in ("StringField", "EmailField") and f.name != "version"}
    assert person_fields == set(imports.PERSON_FIELDS)
    assert person_fields | {"unit", "province"} <= set(mapped)


def test_headers_as_clerks_write_them_need_no_column_matching(client, login_as, db):
    login_as("coordinator", province_code=NGHE_AN)
    text = ("TT;Tên xã, phường;HỌ VÀ TÊN (*);Chức danh;SĐT:;Địa chỉ Email;Số CCCD\n"
            "1;Cửa Lò;Phan Văn Một;Công chức;0912000001;mot@cualo.vn;001088776644\n")
    location, token = upload(client, text.encode("utf-8-sig"), "ds.csv")
    preview = client.get(location).get_data(as_text=True)
    assert 'name="full_name"' not in preview and "row-error" not in preview
    client.post(f"/contacts/import/{token}/confirm")
    contact = db.session.execute(select(Contact)).scalar_one()
    assert (contact.full_name, contact.position, contact.cccd) == ("Phan Văn Một", "Công chức", "001088776644")


def clerks_workbook(rows: list[list]) -> bytes:
    """A workbook as a clerk makes it: a cover sheet first, then the list under merged title lines."""
    workbook = Workbook()
    cover = workbook.active
    cover.title = "Hướng dẫn"
    cover.append(["Danh sách gửi Bộ trước 16/01/2026"])
    sheet = workbook.create_sheet("DS gửi Bộ")
    sheet.append(["UBND TỈNH NGHỆ AN"])
    sheet.merge_cells("A1:F1")
    sheet.append(["DANH SÁCH CÁN BỘ QUẢN TRỊ HỆ THỐNG CẤP XÃ"])
    sheet.merge_cells("A2:F2")
    sheet.append([])
    sheet.append(["STT", "  Xã/Phường  ", "Họ và tên", "Điện thoại", "Email", "Số CCCD"])
    for row in rows:
        sheet.append(row)
    return saved(workbook)


def test_a_clerks_sheet_with_numbers_spaces_titles_and_a_cover_sheet_is_read(client, login_as, db):
    login_as("coordinator", province_code=NGHE_AN)
    data = clerks_workbook([
        [1, "  phường   cửa lò ", "  Phan   Văn  Một ", 912345678, " mot@cualo.vn ", 1088776644],
        [2, "Xã Hải Lộc", "Lê Thị Hai", 2383844123, "hai@hailoc.vn", None],
    ])
    location, token = upload(client, data)
    preview = client.get(location).get_data(as_text=True)
    assert "row-error" not in preview, re.findall(r'class="error">([^<]*)', preview)
    client.post(f"/contacts/import/{token}/confirm")
    stored = {c.full_name: c for c in db.session.execute(select(Contact)).scalars()}
    assert stored["Phan Văn Một"].phone == "+84912345678" and stored["Phan Văn Một"].cccd == "001088776644"
    assert stored["Phan Văn Một"].commune.name == "Phường Cửa Lò" and stored["Phan Văn Một"].email == "mot@cualo.vn"
    assert stored["Lê Thị Hai"].phone == "+842383844123"


def test_preview_shows_the_unit_matched_and_whom_a_row_replaces(client, login_as, db, register):
    hai_loc = commune_named(db, "Xã Hải Lộc")
    register(Seat.of_commune(hai_loc), 7, full_name="Trần Văn Đương Nhiệm")
    login_as("coordinator", province_code=NGHE_AN)
    location, _token = upload(client, clerks_workbook([[1, "hai loc", "Lê Thị Mới", "0912000009", "moi@hailoc.vn"]]))
    preview = client.get(location).get_data(as_text=True)
    assert f"Xã Hải Lộc <small class=\"nowrap\">(mã {hai_loc.code})</small>" in preview
    assert ">hai loc<" not in preview
    assert "thay Trần Văn Đương Nhiệm" in preview


def test_preview_pages_its_rows_errors_first_and_filters_to_the_errors(client, login_as, db):
    login_as("coordinator", province_code=NGHE_AN)
    workbook, sheet = template_sheet(client)
    for number, row in enumerate(sheet.iter_rows(min_row=7), start=1):
        fill(row, number)
    phone_column = TEMPLATE_COLUMNS.index("Số điện thoại") + 1
    for line in (60, 100, 136):
        sheet.cell(row=line, column=phone_column).value = "12345"
    location, _token = upload(client, saved(workbook))
    first = client.get(location).get_data(as_text=True)
    lines = re.findall(r'class="line">(\d+)<', first)
    assert len(lines) == imports.PREVIEW_PAGE_SIZE and lines[:3] == ["60", "100", "136"]
    assert 'rel="next"' in first and "Trang 1/7" in first
    only_errors = client.get(location + "?show=errors").get_data(as_text=True)
    assert re.findall(r'class="line">(\d+)<', only_errors) == ["60", "100", "136"]
    assert 'rel="next"' not in only_errors
    last = client.get(location + "?page=99999999999999999999").get_data(as_text=True)
    assert "Trang 7/7" in last


def department_sheet(client, lines: dict[int, int]) -> bytes:
    """The template's department sheet with people written on some of the Sở's two lines (line -> person)."""
    workbook, sheet = template_sheet(client, "Cán bộ Sở")
    rows = list(sheet.iter_rows(min_row=7))
    for index, number in lines.items():
        fill(rows[index], number)
    return saved(workbook)


def test_a_sos_second_line_fills_its_second_seat_and_a_registered_cadre_keeps_theirs(
        client, login_as, db, department, register):
    register(Seat.of_department(department, 1), 1, email="can.bo.1@nghean.gov.vn")
    login_as("coordinator", province_code=NGHE_AN)
    location, token = upload(client, department_sheet(client, {1: 2}), kind="department")
    checks = imports.check_rows(db.session.execute(select(imports.PendingImport)).scalar_one())
    assert [(c.seat.seat, c.action) for c in checks] == [(2, "create")]
    client.post(f"/contacts/import/{token}/confirm")
    # Both cadres written in the other order: the registered one is recognised and stays in seat 1.
    location, token = upload(client, department_sheet(client, {0: 2, 1: 1}), kind="department")
    pending = db.session.execute(select(imports.PendingImport)).scalar_one()
    assert sorted((c.seat.seat, c.action) for c in imports.check_rows(pending)) == [(1, "update"), (2, "update")]


def test_a_new_cadre_on_the_second_line_replaces_the_second_seat(client, login_as, db, department, register):
    register(Seat.of_department(department, 1), 1)
    register(Seat.of_department(department, 2), 2, full_name="Người Ghế Hai")
    login_as("coordinator", province_code=NGHE_AN)
    location, _token = upload(client, department_sheet(client, {1: 9}), kind="department")
    preview = client.get(location).get_data(as_text=True)
    assert "thay Người Ghế Hai" in preview and "(cán bộ 2/2)" in preview


def test_a_person_already_administering_another_commune_is_a_row_error(client, login_as, db, register):
    register(Seat.of_commune(commune_named(db, "Xã Hải Lộc")), 3, email="trung@xa.vn")
    login_as("coordinator", province_code=NGHE_AN)
    location, _token = upload(client, clerks_workbook([[1, "Cửa Lò", "Người Trùng", "0912000077", "trung@xa.vn"]]))
    preview = client.get(location).get_data(as_text=True)
    assert preview.count('class="row-error"') == 1 and "quản trị của đơn vị khác" in preview


def test_a_row_of_another_province_is_refused_even_when_written_with_its_prefix(db):
    user = factories.create_user("admin")
    text = ("Tỉnh/thành phố,Đơn vị,Họ và tên,Số điện thoại,Email\n"
            "Tỉnh Nghệ An,Cửa Lò,A,0912000001,a@b.vn\nTP. Hà Nội,Hải Lộc,B,0912000002,b@b.vn\n")
    pending = imports.start_import(user, db.session.get(Province, NGHE_AN), "commune", "x.csv", text.encode())
    assert [bool(c.errors) for c in imports.check_rows(pending)] == [False, True]


def test_the_command_line_counts_the_blank_rows_it_skipped(runner, db, tmp_path, client, login_as):
    login_as("admin")
    workbook, sheet = template_sheet(client)
    for number, row in enumerate(list(sheet.iter_rows(min_row=7))[:11], start=1):
        fill(row, number)
    path = tmp_path / "nghe-an.xlsx"
    path.write_bytes(saved(workbook))
    result = runner.invoke(args=["contacts", "import", str(path), "--province", str(NGHE_AN), "--notice-accepted"])
    assert result.exit_code == 0, result.output
    assert "Imported 11 rows for Nghệ An; 119 blank rows skipped." in result.output and contacts(db) == 11
