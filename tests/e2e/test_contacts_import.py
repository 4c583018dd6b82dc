"""Browser journey at 390 px: a coordinator fills the portal's own blank template and imports it back."""
import io
import re
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect

from portal.contacts.spreadsheets import TEMPLATE_COLUMNS
from tests.e2e.test_journeys import sign_in

PHONE = {"width": 390, "height": 844}
SHOTS = Path("/tmp/contactsimport")


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def missing_communes(page) -> list[str]:
    """The communes the province page lists as not registered (its first page)."""
    page.get_by_label("Trạng thái").select_option("missing")
    page.get_by_role("button", name="Lọc").click()
    return [name.strip() for name in page.locator("#communes ~ .table-scroll table tbody td:first-child a").all_inner_texts()]


def test_coordinator_imports_the_blank_template_with_11_rows_filled(page, live_server, tmp_path):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "coordinator.nghean@demo.tthc.vn")
    page.goto(f"{live_server}/contacts/")  # the menu's "Cán bộ đầu mối"
    expect(page.get_by_role("heading", name="Nghệ An")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Biểu mẫu trống (.xlsx)").click()
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = workbook["Quản trị cấp xã"]
    assert sheet.freeze_panes == "A7"
    rows = {row[2].value: row for row in sheet.iter_rows(min_row=7)}
    assert len(rows) == 130

    # The communes still missing come first; should other journeys have registered some, registered ones
    # make up the 11 (they are then replacements), so that the count holds whatever ran before.
    missing = [name for name in missing_communes(page) if name in rows]
    chosen = (missing + [name for name in reversed(list(rows)) if name not in missing])[:11]
    columns = {title: index for index, title in enumerate(TEMPLATE_COLUMNS)}
    for number, name in enumerate(chosen, start=1):
        row = rows[name]
        row[columns["Họ và tên"]].value = f"Cán Bộ Nhập Tệp {number}"
        row[columns["Chức vụ"]].value = "Công chức Văn phòng"
        row[columns["Số điện thoại"]].value = 971_000_000 + number  # typed as a number: the leading 0 is lost
        row[columns["Email"]].value = f"nhap.tep.{number}@xa.nghean.gov.vn"
    filled = tmp_path / "mau-dau-moi-nghe-an.xlsx"
    workbook.save(filled)

    page.get_by_role("link", name="Nhập từ tệp").first.click()
    page.get_by_label("Biểu mẫu đã điền (.xlsx hoặc .csv)").set_input_files(str(filled))
    page.get_by_label("Mọi người trong danh sách đã được thông báo").check()
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_role("heading", name="Kiểm tra trước khi lưu")).to_be_visible()
    expect(page.get_by_text("Bỏ qua 119 dòng trống")).to_be_visible()
    expect(page.locator("tr.row-error")).to_have_count(0)
    expect(page.locator("table.cards tbody tr")).to_have_count(11)
    expect(page.get_by_text("0971 000 001")).to_be_visible()
    assert fits_the_screen(page)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 6000, height
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "preview-390.png"), full_page=True)

    page.get_by_role("button", name="Lưu tất cả 11 dòng").click()
    expect(page.get_by_text("Đã nhập 11 mục. Bỏ qua 119 dòng trống.")).to_be_visible()
    assert fits_the_screen(page)


def test_coordinator_goes_from_the_departments_two_cadres_to_the_next_unit_not_registered(page, live_server):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "coordinator.nghean@demo.tthc.vn")
    page.goto(f"{live_server}/contacts/")  # the menu's "Cán bộ đầu mối"
    page.get_by_role("link", name="Sở Văn hóa, Thể thao và Du lịch").click()
    expect(page.get_by_role("group", name=re.compile("Cán bộ 1"))).to_be_visible()
    expect(page.get_by_role("group", name=re.compile("Cán bộ 2"))).to_be_visible()
    assert fits_the_screen(page)
    page.get_by_role("button", name="Lưu và sang đơn vị tiếp theo chưa đăng ký").click()
    # Nothing was changed, so nothing is written; the next commune without an administrator opens (or, once
    # other journeys have registered every commune, the province's page says so).
    expect(page.get_by_text("Không có gì thay đổi.")).to_be_visible()
    assert re.search(r"/contacts/(communes/\d+|provinces/40)$", page.url), page.url
    if "/communes/" in page.url:
        expect(page.get_by_role("heading", name="Đăng ký")).to_be_visible()
    assert fits_the_screen(page)
