"""A visitor on a phone, without an account, finds Nghệ An's hotline as typed and subscribes to its calendar."""
from playwright.sync_api import expect


def test_a_visitor_jumps_to_nghe_an_and_finds_its_hotline_and_calendar(page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/support/directory")
    expect(page.get_by_text("chưa có").first).to_be_visible()  # provinces without channels say so
    page.get_by_label("Đến tỉnh, thành phố").select_option(label="Nghệ An")
    page.get_by_role("button", name="Xem").click()
    assert page.url.endswith("/support/directory?province=40#by-province")
    row = page.locator("#province-40")
    hotline = row.get_by_role("link", name="0238 3 844 556")
    expect(hotline).to_be_visible()
    assert hotline.get_attribute("href") == "tel:+842383844556"
    expect(page.locator("#province-1")).to_have_count(0)

    page.goto(f"{live_server}/training/public?province=40")
    page.get_by_text("Theo dõi lịch tập huấn của Nghệ An trên lịch của bạn").click()
    google = page.get_by_role("link", name="Thêm vào Google Calendar")
    expect(google).to_be_visible()
    assert google.get_attribute("href").startswith(
        "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2F")
    expect(page.locator("#province-feed .qr svg")).to_be_visible()
