"""On a phone: an agent answers with a canned reply they edit, attaching a screenshot; the reporter sees the reply
with its thumbnail. Without JavaScript the insert button keeps what the agent typed."""
from playwright.sync_api import expect

from tests.e2e.test_accounts import fits_the_phone, sign_in
from tests.factories import png_image

PHONE = {"width": 390, "height": 844}
TICKET_TITLE = "Không tiếp nhận được hồ sơ"  # a demo ticket from Xã An Châu, Nghệ An
CANNED_TITLE = "Đề nghị gửi ảnh chụp màn hình"  # one of the demo's shared canned replies


def open_demo_ticket(page, live_server) -> None:
    page.goto(f"{live_server}/support/")
    page.locator("tr, li").filter(has_text=TICKET_TITLE).get_by_role("link").first.click()


def test_agent_sends_an_edited_canned_reply_with_a_screenshot_and_the_reporter_sees_it(page, live_server, tmp_path):
    screenshot = tmp_path / "huong-dan-phan-quyen.png"
    screenshot.write_bytes(png_image(1200, 800))
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "agent@demo.tthc.vn")  # Nghệ An's primary agent in the demo
    open_demo_ticket(page, live_server)
    ticket_url = page.url
    box = page.get_by_label("Trả lời", exact=True)
    box.fill("Chào đồng chí,")
    page.get_by_label("Mẫu soạn sẵn").select_option(label=CANNED_TITLE)
    page.get_by_role("button", name="Chèn câu trả lời mẫu").click()
    text = box.input_value()
    assert text.startswith("Chào đồng chí,\n\nKính gửi ") and "ảnh chụp màn hình" in text and "{ma_phieu}" not in text
    box.fill(text + "\nẢnh đính kèm chỉ vị trí mục Phân quyền.")
    page.get_by_label("Tệp đính kèm").set_input_files(str(screenshot))
    fits_the_phone(page)
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.get_by_text("Đã gửi trả lời cho")).to_be_visible()
    page.context.clear_cookies()  # the reporter on their own phone

    sign_in(page, live_server, "commune.nghean@demo.tthc.vn")
    page.goto(ticket_url)
    expect(page.get_by_text("Ảnh đính kèm chỉ vị trí mục Phân quyền.")).to_be_visible()
    thumbnail = page.get_by_role("img", name="Ảnh: huong-dan-phan-quyen.png")
    thumbnail.scroll_into_view_if_needed()
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth") == 1200
    assert thumbnail.get_attribute("loading") == "lazy"
    assert (thumbnail.get_attribute("width"), thumbnail.get_attribute("height")) == ("240", "160")
    fits_the_phone(page)


def test_without_javascript_the_insert_button_keeps_the_typed_text(browser, live_server):
    context = browser.new_context(locale="vi-VN", java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        sign_in(page, live_server, "agent@demo.tthc.vn")
        open_demo_ticket(page, live_server)
        page.get_by_label("Trả lời", exact=True).fill("Nội dung đã gõ trước")
        page.get_by_label("Mẫu soạn sẵn").select_option(label=CANNED_TITLE)
        page.get_by_role("button", name="Chèn câu trả lời mẫu").click()
        expect(page.get_by_text("Câu trả lời mẫu đã được chèn vào ô trả lời")).to_be_visible()
        text = page.get_by_label("Trả lời", exact=True).input_value()
        assert text.startswith("Nội dung đã gõ trước\n\nKính gửi ") and "ảnh chụp màn hình" in text
    finally:
        context.close()
