"""Browser journey: a failed submit puts the focus on an error summary that links to each field (390 px)."""
from playwright.sync_api import expect

from tests.e2e.test_journeys import sign_in

PHONE = {"width": 390, "height": 844}


def test_a_ticket_without_subject_focuses_the_summary_and_its_links_reach_the_fields(browser, live_server):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=PHONE)
    page = context.new_page()
    try:
        sign_in(page, live_server, "commune.nghean@demo.tthc.vn")
        page.goto(f"{live_server}/support/new")
        page.get_by_role("button", name="Gửi").click()
        summary = page.locator("#error-summary")
        expect(summary).to_be_focused()
        expect(summary).to_have_attribute("role", "alert")
        expect(summary.get_by_role("heading")).to_have_text("Vui lòng sửa 2 lỗi sau:")
        summary.get_by_role("link", name="Tiêu đề: Nhập tiêu đề phiếu hỗ trợ.").click()
        expect(page.get_by_label("Tiêu đề")).to_be_focused()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_the_summary_takes_the_focus_without_javascript(browser, live_server):
    context = browser.new_context(locale="vi-VN", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/auth/login")
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.locator("#error-summary")).to_be_focused()
        expect(page.locator("#error-summary a[href='#email']")).to_be_visible()
    finally:
        context.close()
