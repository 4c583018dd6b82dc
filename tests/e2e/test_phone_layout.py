"""Phone layouts at 390 px, and axe-core on every role's main page at 390 and 1366 px.

Tables of records turn into stacked cards below about 40 rem, nothing is wider than the screen, numbers, dates,
phones, e-mails and references stay on one line, scroll boxes say that they scroll and the keyboard reaches them,
touch targets are large enough. axe-core comes from npm (`npm install --prefix DIR axe-core`); AXE_CORE names DIR.
With CI=true a missing axe-core fails the run; elsewhere the accessibility check is skipped with a note.
"""
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.demo.services import DEMO_PASSWORD

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
ROLES = {
    "admin": "admin@demo.tthc.vn",
    "coordinator": "coordinator.nghean@demo.tthc.vn",
    "commune_admin": "commune.nghean@demo.tthc.vn",
    "trainer": "trainer@demo.tthc.vn",
    "agent": "agent@demo.tthc.vn",
    "viewer": "viewer@demo.tthc.vn",
}
# (role, path): the contacts list, the ticket inbox, the dashboard (national and a province), the directory,
# the plan table and the coordinator's report.
LAYOUT_PAGES = [
    ("admin", "/contacts/"),
    ("coordinator", "/contacts/provinces/40"),
    ("agent", "/support/"),
    ("coordinator", "/support/"),
    ("admin", "/reports/"),
    ("admin", "/reports/provinces/40"),
    ("coordinator", "/reports/provinces/40"),
    ("admin", "/reports/period"),
    ("coordinator", "/reports/period"),
    ("coordinator", "/support/directory"),
    ("admin", "/support/directory"),
    ("admin", "/training/?view=table"),
    ("trainer", "/training/?view=table"),
]
CARD_PAGES = {"/contacts/", "/contacts/provinces/40", "/support/", "/reports/", "/reports/provinces/40",
              "/support/directory", "/training/?view=table"}

# Line boxes of each value that must stay whole; rectangles that overlap vertically are one line (a <small>
# beside the number sits lower but on the same line).
SPLIT_VALUES_JS = """() => {
  const split = [];
  const values = document.querySelectorAll('.nowrap, .num, td time, a[href^="tel:"], a[href^="mailto:"]');
  for (const element of values) {
    if (!element.getClientRects().length) continue;
    const range = document.createRange();
    range.selectNodeContents(element);
    const rects = [...range.getClientRects()].filter(r => r.width > 0).sort((a, b) => a.top - b.top);
    let lines = 0, bottom = -Infinity;
    for (const r of rects) {
      if (r.top >= bottom - 1) { lines += 1; bottom = r.bottom; } else { bottom = Math.max(bottom, r.bottom); }
    }
    if (lines > 1) split.push(element.textContent.trim());
  }
  return {checked: values.length, split};
}"""

# Every box that scrolls sideways is a named region the keyboard can reach.
UNREACHABLE_SCROLL_BOXES_JS = """() => [...document.querySelectorAll('body *')].filter(element => {
  const style = getComputedStyle(element);
  return ['auto', 'scroll'].includes(style.overflowX) && element.scrollWidth > element.clientWidth + 1
    && !(element.tabIndex >= 0 && element.getAttribute('role') === 'region' && element.getAttribute('aria-label'));
}).map(element => element.outerHTML.slice(0, 120))"""


@pytest.fixture(scope="module")
def signed_in(browser, live_server, tmp_path_factory):
    """One sign-in per role for the whole module: returns the saved browser state of that role."""
    states = {}

    def state(role):
        if role not in states:
            context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
            page = context.new_page()
            page.goto(f"{live_server}/auth/login")
            page.get_by_label("Email").fill(ROLES[role])
            page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            expect(page.locator("form[action='/auth/logout']")).to_be_attached()
            path = tmp_path_factory.mktemp("state") / f"{role}.json"
            context.storage_state(path=str(path))
            context.close()
            states[role] = str(path)
        return states[role]

    return state


@pytest.fixture
def open_as(browser, signed_in):
    """open_as(role, viewport, bypass_csp=False) -> a page signed in as that role; contexts close after the test."""
    contexts = []

    def open_page(role, viewport, bypass_csp=False):
        context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=viewport,
                                      storage_state=signed_in(role) if role != "anonymous" else None,
                                      bypass_csp=bypass_csp)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def assert_fits_the_phone(page, where):
    width = page.evaluate("window.innerWidth")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{where}: the page is {scroll_width} px wide on a {width} px screen"
    values = page.evaluate(SPLIT_VALUES_JS)
    assert not values["split"], f"{where}: values split across lines: {values['split'][:10]}"
    assert page.evaluate(UNREACHABLE_SCROLL_BOXES_JS) == [], f"{where}: a scroll box the keyboard cannot reach"
    return values["checked"]


@pytest.mark.parametrize(("role", "path"), LAYOUT_PAGES)
def test_tables_fit_a_phone_as_cards_with_values_whole(open_as, live_server, role, path):
    page = open_as(role, PHONE)
    response = page.goto(f"{live_server}{path}")
    assert response.ok, f"{path}: {response.status}"
    checked = assert_fits_the_phone(page, f"{role} {path}")
    if path in CARD_PAGES:
        assert checked > 0, f"{path}: no number, date, phone or reference found to check"
        table = page.locator("table.cards").first
        assert table.evaluate("t => getComputedStyle(t).display") == "block"
        assert table.locator("thead").evaluate("h => h.getBoundingClientRect().height") <= 1
        labelled = table.locator("tbody td[data-label]").first
        label = labelled.get_attribute("data-label")
        assert labelled.evaluate("td => getComputedStyle(td, '::before').content") == f'"{label}"'


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_every_landing_page_fits_a_phone(open_as, live_server, role):
    page = open_as(role, PHONE)
    page.goto(live_server)
    assert_fits_the_phone(page, f"{role} landing page {page.url}")


def test_a_province_contact_list_of_fifty_rows_is_short_and_a_real_table_on_a_laptop(open_as, live_server):
    """Nghệ An's first page holds 50 communes (the demo registers 118 of 130): under 6,000 px on a phone."""
    page = open_as("coordinator", PHONE)
    page.goto(f"{live_server}/contacts/provinces/40")
    communes = page.locator("table.cards").last
    expect(communes.locator("tbody tr")).to_have_count(50)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 6000, f"the 50-row contact list is {height} px tall at 390 px"

    laptop = open_as("coordinator", DESKTOP)
    laptop.goto(f"{live_server}/contacts/provinces/40")
    table = laptop.locator("table.cards").last
    assert table.evaluate("t => getComputedStyle(t).display") == "table"
    assert table.locator("thead").evaluate("h => getComputedStyle(h).position") != "absolute"
    assert table.locator("tbody td[data-label]").first.evaluate("td => getComputedStyle(td, '::before').content") \
        in ("none", "normal")


def test_touch_targets_are_large_enough_on_a_phone(open_as, live_server):
    page = open_as("agent", PHONE)
    page.goto(f"{live_server}/support/")
    for name in ("Chỉ quá hạn", "Chỉ phiếu chưa phân công"):
        box = page.locator("label.check").filter(has_text=name).bounding_box()
        assert box["height"] >= 44, f"{name}: {box['height']} px"
        assert page.get_by_label(name).bounding_box()["height"] >= 22
    assert page.get_by_role("button", name="Lọc").bounding_box()["height"] >= 44

    page = open_as("coordinator", PHONE)
    page.goto(f"{live_server}/contacts/provinces/40")
    for link in page.locator(".pager a").all():
        assert link.bounding_box()["height"] >= 44, link.inner_text()
    # A link in a card covers its whole cell: a tap anywhere in the cell, even beside the text, follows it.
    cell = page.locator("table.cards").last.locator("tbody td").first
    link = cell.locator("a").first
    cell.scroll_into_view_if_needed()
    box = cell.bounding_box()
    assert box["height"] >= 28
    hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('a')?.getAttribute('href')",
                        [box["x"] + box["width"] - 3, box["y"] + box["height"] - 3])
    assert hit == link.get_attribute("href")


def test_report_charts_are_readable_on_a_phone(open_as, live_server):
    page = open_as("coordinator", PHONE)
    page.goto(f"{live_server}/reports/provinces/40")
    sizes = page.evaluate("""() => [...document.querySelectorAll('figure.chart svg text')]
        .map(t => t.getScreenCTM().a * parseFloat(t.getAttribute('font-size')))""")
    assert sizes and min(sizes) >= 12, f"chart text as small as {min(sizes):.1f} px"


def test_a_wide_table_that_still_scrolls_shows_it_and_takes_the_keyboard(open_as, live_server):
    page = open_as("admin", DESKTOP)
    page.goto(f"{live_server}/reports/period")
    box = page.get_by_role("region", name="Theo tỉnh/thành phố")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth"), "the national report no longer scrolls: pick another"
    assert "radial-gradient" in box.evaluate("b => getComputedStyle(b).backgroundImage")  # the shadow at the edge
    box.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(box).to_be_focused()
    # Chromium may scroll smoothly: wait for the box to have moved rather than reading it at once.
    page.wait_for_function("b => b.scrollLeft > 0", arg=box.element_handle(), timeout=5000)


def test_a_ticket_without_reply_says_so_without_a_numbered_item(open_as, live_server):
    page = open_as("commune_admin", PHONE)
    page.goto(f"{live_server}/support/new")
    page.locator("select[name=category_id]").select_option(index=1)
    page.locator("input[name=title]").fill("Bố cục trên điện thoại")
    page.locator("textarea[name=description]").fill("Phiếu chưa có trả lời nào.")
    page.get_by_role("button", name="Gửi").click()
    expect(page.get_by_text(re.compile(r"HT-\d{4}-\d{6}")).first).to_be_visible()
    expect(page.get_by_text("Chưa có trả lời.")).to_be_visible()
    expect(page.locator("ol.history li")).to_have_count(0)
    assert_fits_the_phone(page, "a new ticket")


def test_no_table_cell_borrows_the_page_layout_class():
    """`.wrap` is the page's centred column; a cell marked with it got the column's padding and width."""
    templates = Path(__file__).parents[2] / "portal" / "templates"
    offenders = [str(path.relative_to(templates)) for path in templates.rglob("*.html")
                 if re.search(r"<t[dh][^>]*class=\"[^\"]*(?<![\w-])wrap(?![\w-])", path.read_text(encoding="utf-8"))]
    assert offenders == []


def axe_script() -> str:
    folder = os.environ.get("AXE_CORE", "")
    script = Path(folder) / "node_modules" / "axe-core" / "axe.min.js"
    if not folder or not script.is_file():
        message = "set AXE_CORE to a folder where `npm install axe-core` ran"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but axe-core is missing: {message}")
        pytest.skip(message)
    return str(script)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1366px"])
@pytest.mark.parametrize(("role", "path"), [*((role, "/") for role in [*ROLES, "anonymous"]),
                                            ("coordinator", "/reports/provinces/40"), ("admin", "/milestones/"),
                                            ("admin", "/milestones/new")])
def test_main_pages_have_no_serious_accessibility_violation(open_as, live_server, role, path, viewport):
    script = axe_script()
    page = open_as(role, viewport, bypass_csp=True)  # the portal's CSP rightly refuses injected scripts
    page.goto(f"{live_server}{path}")
    page.add_script_tag(path=script)
    violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .filter(v => ['serious', 'critical'].includes(v.impact))
        .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)""")
    assert violations == [], f"{role} {page.url}: {violations}"
