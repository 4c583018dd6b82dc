"""A visitor on a cached public page: the page answers 304 to the browser and the language switch still works."""
from playwright.sync_api import expect


def test_a_visitor_switches_language_on_a_cached_directory(page, live_server, browser):
    other = browser.new_page()
    other.goto(f"{live_server}/support/directory")  # another visitor puts the page in the cache
    other.close()
    first = page.goto(f"{live_server}/support/directory")
    assert first.headers["cache-control"] == "public, no-cache" and "set-cookie" not in first.headers
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("heading", name="Who to contact")).to_be_visible()
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.get_by_role("heading", name="Đầu mối hỗ trợ")).to_be_visible()
