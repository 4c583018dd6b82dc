"""On a phone: a coordinator reports SMS Brandname information sent, and the ministry finds it in the matrix."""
import re

from playwright.sync_api import expect

from tests.e2e.test_journeys import sign_in


def test_a_coordinator_reports_sms_brandname_and_the_admin_sees_it_in_the_matrix(page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "coordinator.nghean@demo.tthc.vn")
    page.locator("summary", has_text="Menu").click()
    page.get_by_role("navigation").get_by_role("link", name="Tích hợp, tiện ích").click()
    expect(page.get_by_role("heading", name="Tích hợp, tiện ích · Nghệ An")).to_be_visible()
    page.get_by_role("link", name="Tin nhắn SMS Brandname").click()
    page.get_by_label("Trạng thái").select_option("blocked")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert")).to_contain_text("Cho biết điều gì đang vướng mắc")  # blocked needs a reason
    page.get_by_label("Trạng thái").select_option("info_sent")
    page.get_by_label("Thông tin tỉnh đã cung cấp").fill("Brandname UBND NGHEAN, nhà mạng Viettel, gửi Bộ Công an")
    page.get_by_label("Điện thoại").fill("0912 111 222")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".flash.success")).to_be_visible()
    expect(page.locator("ol.history")).to_contain_text("Chưa bắt đầu → Đã gửi thông tin")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("summary", has_text="Menu").click()
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, live_server, "admin@demo.tthc.vn")
    expect(page).to_have_url(re.compile(r"/reports/$"))
    page.locator("p.actions").get_by_role("link", name="Tích hợp, tiện ích").click()
    page.locator("form.filters select[name=kind]").select_option("sms_brandname")
    page.locator("form.filters select[name=status]").select_option("info_sent")
    page.get_by_role("button", name="Lọc").click()
    row = page.locator("tr", has=page.get_by_role("link", name="Nghệ An", exact=True))
    cell = row.locator('a[href$="/integrations/40/sms_brandname"]')
    expect(cell).to_have_text("Đã gửi thông tin")
    expect(page.locator("p.summary")).to_contain_text("Hiển thị 3 tỉnh")  # Hà Nội and TP HCM in the demo, and Nghệ An
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    cell.click()
    expect(page.locator("dl.facts")).to_contain_text("Brandname UBND NGHEAN")
    expect(page.locator("dl.facts")).to_contain_text("0912 111 222")  # the admin sees the focal point in full
