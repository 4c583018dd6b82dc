"""The ministry's journey on a phone: dashboard figures, the weekly report, its "Khó khăn, đề xuất" and the .xlsx."""
import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from portal.demo.services import DEMO_PASSWORD


def test_admin_writes_the_difficulties_and_exports_the_weekly_report(page, live_server, tmp_path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Email").fill("admin@demo.tthc.vn")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/reports/$"))
    expect(page.locator("ul.figures li")).to_have_count(7)
    expect(page.locator("ul.figures")).to_contain_text("/ 34")
    # Letter 003's dossiers waiting in Hà Nội and Nghệ An, where account requests also wait: both rows marked.
    expect(page.locator("ul.figures")).to_contain_text("hồ sơ chờ do chưa có tài khoản")
    expect(page.locator("tr.stands-out")).to_have_count(2)
    expect(page.locator("tr.stands-out").first).to_contain_text("Hồ sơ và yêu cầu đang chờ")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="Báo cáo tuần, tháng").click()
    page.locator("textarea[name=note]").fill("Nhiều xã chưa có chữ ký số.")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".flash.success")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về (.xlsx)").click()
    path = tmp_path / "bao-cao.xlsx"
    download.value.save_as(path)
    sheet = load_workbook(path)["Khó khăn, đề xuất"]
    assert [row[0] for row in sheet.iter_rows(values_only=True)][2:] == ["Nhiều xã chưa có chữ ký số."]
