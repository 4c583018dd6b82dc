"""A visitor without an account, on a phone: from "/" to a session, into a calendar, and to Nghệ An's hotline."""
import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.e2e.test_journeys import sign_in


def set_nghe_an_hotline(page, live_server) -> None:
    """The ministry's admin types Nghệ An's hotline in the directory (the visitor then looks it up)."""
    sign_in(page, live_server, "admin@demo.tthc.vn")
    page.goto(f"{live_server}/support/directory")
    page.locator("#province-40 input[name=hotline]").fill("0238 3 844 556")
    with page.expect_navigation():
        page.locator("#province-40 button").click()
    page.context.clear_cookies()


def test_a_visitor_follows_a_session_into_a_calendar_and_finds_the_hotline(page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    set_nghe_an_hotline(page, live_server)
    page.goto(live_server)
    expect(page.get_by_role("heading", name="Các buổi tập huấn sắp tới")).to_be_visible()
    page.locator("section[aria-labelledby=next] li a").first.click()
    expect(page).to_have_url(re.compile(r"/training/public/sessions/[0-9]+$"))
    ics = page.get_by_role("link", name="Thêm vào lịch của tôi (.ics)").get_attribute("href")
    response = page.request.get(f"{live_server}{ics}")
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.body()
    google = page.get_by_role("link", name="Thêm vào Google Calendar").get_attribute("href")
    link = urlsplit(google)
    fields = parse_qs(link.query)
    assert (link.scheme, link.netloc, link.path) == ("https", "calendar.google.com", "/calendar/render")
    assert fields["action"] == ["TEMPLATE"] and fields["text"][0] and fields["ctz"] == ["Asia/Ho_Chi_Minh"]
    assert re.fullmatch(r"[0-9]{8}T[0-9]{6}Z/[0-9]{8}T[0-9]{6}Z", fields["dates"][0])
    page.goto(live_server)
    page.get_by_role("link", name="Danh bạ hỗ trợ").click()
    row = page.locator("#province-40")
    expect(row).to_contain_text("Nghệ An")
    assert "02383844556" in re.sub(r"[^0-9]", "", row.inner_text())
