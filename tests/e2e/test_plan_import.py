"""Browser journey on a phone: the ministry admin imports a plan table as a clerk writes it, checks, saves."""
import io

from openpyxl import Workbook
from playwright.sync_api import expect

from tests.e2e.test_journeys import sign_in

PHONE = {"width": 390, "height": 844}


def clerk_plan(path) -> None:
    """Phụ lục 2 as the letters attach it: merged title lines, one Thời gian cell, pre-merger names, trainers by
    name; March 2027, where no demo session is, so nothing conflicts with the demo plan."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["LỊCH TẬP HUẤN TRIỂN KHAI HỆ THỐNG THÔNG TIN GIẢI QUYẾT TTHC"])
    sheet.merge_cells("A1:H1")
    sheet.append([])
    sheet.append(["STT", "Nội dung", "Thời gian", "Tỉnh/Thành phố", "Đối tượng", "Địa điểm",
                  "Giảng viên/Báo cáo viên", "Số lượng"])
    sheet.append([1, "Hướng dẫn cán bộ Sở tiếp nhận hồ sơ", "Sáng 15/03/2027 (8h00 - 11h30)", "Bình Định",
                  "Cán bộ Sở VHTTDL", "Hội trường Sở VHTTDL Gia Lai", "Đ/c Đỗ Minh Giảng", 30])
    sheet.append([2, "Quản trị hệ thống cấp xã", "13h30-17h00 ngày 16/03/2027", "Quảng Bình",
                  "Quản trị hệ thống cấp xã", "https://hop.tthc.gov.vn/quang-tri-xa", "vu thu hang", None])
    sheet.append([3, None, "Chiều 17/03", "TP. Hồ Chí Minh", "Sở và xã",
                  "Hội trường UBND Thành phố | https://hop.tthc.gov.vn/hcm", "Ngô Quốc Bảo", "200 người"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())


def test_admin_imports_a_clerk_s_plan_on_a_phone(page, live_server, tmp_path):
    path = tmp_path / "Phu luc 2 - Lich tap huan.xlsx"
    clerk_plan(path)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "admin@demo.tthc.vn")
    page.goto(f"{live_server}/training/")
    page.get_by_role("link", name="Nhập từ tệp").click()
    page.get_by_label("Kế hoạch (.xlsx hoặc .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra tệp").click()

    expect(page.get_by_role("heading", name="Kiểm tra trước khi lưu")).to_be_visible()
    first = page.locator("#line-4")
    expect(first).to_contain_text("15/03/2027 08:00–11:30")
    expect(first.locator("p").first).to_contain_text("· Gia Lai ·")
    expect(first).to_contain_text("Bình Định → Gia Lai (sáp nhập năm 2025).")
    expect(first).to_contain_text("Đỗ Minh Giảng")
    second = page.locator("#line-5")
    expect(second).to_contain_text("Quảng Bình → Quảng Trị")
    expect(second).to_contain_text("Vũ Thu Hằng")
    expect(second).to_contain_text("mặc định cho cấp xã")
    third = page.locator("#line-6")
    expect(third).to_contain_text("17/03/2027 13:30–17:00")
    expect(third).to_contain_text("Buổi chiều: giờ thường lệ 13:30–17:00.")
    expect(third).to_contain_text("200 chỗ")
    assert page.locator("p.error").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(tmp_path / "preview-390.png"), full_page=True)

    page.get_by_role("button", name="Lưu tất cả 3 dòng").click()
    expect(page.get_by_text("Đã nhập 3 buổi tập huấn.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
