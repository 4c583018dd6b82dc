"""The transition calendar at phone width: the admin adds a key date from the dashboard, a visitor reads it on "/"
and in the feed; the list reads as well on a laptop."""
from playwright.sync_api import expect

from tests.e2e.test_journeys import sign_in
from tests.e2e.test_phone_layout import DESKTOP, PHONE, assert_fits_the_phone

TITLE = "Hạn nộp báo cáo sơ kết quý I"


def test_the_admin_adds_a_key_date_that_visitors_then_see(page, live_server):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "admin@demo.tthc.vn")
    expect(page).to_have_url(f"{live_server}/reports/")
    block = page.locator("section[aria-labelledby=next-dates]")
    expect(block.locator("li[aria-current=date]")).to_have_count(1)
    block.locator("a[href='/milestones/']").click()
    expect(page.locator("ol.milestones > li")).to_have_count(6)
    assert_fits_the_phone(page, "admin /milestones/")
    page.locator("a[href='/milestones/new']").click()
    page.locator("#day").fill("2026-03-31")
    page.locator("#title_vi").fill(TITLE)
    page.locator("#for_communes").fill("Gửi số liệu hồ sơ tồn về UBND tỉnh.")
    assert_fits_the_phone(page, "admin /milestones/new")
    with page.expect_navigation():
        page.locator("form button.primary").click()
    expect(page).to_have_url(f"{live_server}/milestones/")
    expect(page.locator("ol.milestones > li", has_text=TITLE)).to_contain_text("31/03/2026")

    page.context.clear_cookies()
    page.goto(live_server)
    dates = page.locator("section[aria-labelledby=dates]")
    expect(dates.locator("li", has_text=TITLE)).to_contain_text("Gửi số liệu hồ sơ tồn về UBND tỉnh.")
    assert_fits_the_phone(page, "visitor /")
    feed = dates.locator("a[href^='https://']").get_attribute("href")
    response = page.request.get(feed.replace("https://portal.test", live_server))
    body = response.body().decode()
    assert response.ok and "DTSTART;VALUE=DATE:20260331" in body and "Hạn nộp báo cáo sơ kết quý I" in body


def test_the_list_on_a_laptop_as_a_viewer_has_no_edit_links(browser, live_server):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=DESKTOP)
    page = context.new_page()
    try:
        sign_in(page, live_server, "viewer@demo.tthc.vn")
        page.goto(f"{live_server}/milestones/")
        expect(page.locator("ol.milestones > li").first).to_be_visible()
        expect(page.locator("a[href$='/edit']")).to_have_count(0)
        expect(page.locator("#milestones-feed-webcal")).to_have_value("webcal://portal.test/feeds/milestones.ics")
    finally:
        context.close()
