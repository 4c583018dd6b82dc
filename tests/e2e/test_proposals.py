"""On a phone, an admin turns a group of similar tickets into a proposal, takes it to release, and its reporters'
e-mails arrive at a real SMTP server (aiosmtpd) once the worker has run.

The proposal pages' own words are new to the catalogue, so the journey finds their fields and buttons by id and
their text in either language; the pages around them are found by their Vietnamese names.
"""
import re
import threading

import pytest
from flask_migrate import upgrade
from playwright.sync_api import expect
from werkzeug.serving import make_server

from portal import create_app
from portal.auth.models import User
from portal.core.config import mail_settings
from portal.core.extensions import db
from portal.core.queue import huey
from portal.demo import load_all
from portal.demo.services import DEMO_PASSWORD
from portal.support.services import create_ticket
from tests.conftest import config_for_tests
from tests.e2e.test_phone_layout import PHONE, axe_script
from tests.mail.conftest import SmtpServer

REPORTERS = ("commune.nghean@demo.tthc.vn", "coordinator.nghean@demo.tthc.vn")
TICKETS = [  # (reporter, title, description): one group, two people, three tickets
    (0, "Không in được giấy biên nhận", "Nút in giấy biên nhận không phản hồi trên trình duyệt Chrome."),
    (1, "Lỗi in giấy biên nhận", "Cán bộ bấm in giấy biên nhận nhưng máy in không chạy."),
    (0, "In giấy biên nhận bị lỗi", "Trình duyệt báo lỗi khi in giấy biên nhận."),
]


@pytest.fixture(scope="module")
def smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def proposals_server(tmp_path_factory, smtp_server):
    """A live portal with the demo data and one group of similar tickets, sending mail to the test SMTP server."""
    config = config_for_tests(f"sqlite:///{tmp_path_factory.mktemp('proposals') / 'proposals.sqlite3'}")
    config.update(WTF_CSRF_ENABLED=True, TESTING=False, ATTACHMENTS_DIR=str(tmp_path_factory.mktemp("files")),
                  MAIL_BACKEND="smtp", MAIL_TIMEOUT=5, **mail_settings(smtp_server.url))
    app = create_app(config)
    with app.app_context():
        upgrade()
        load_all()
        people = [db.session.execute(db.select(User).where(User.email == email)).scalar_one() for email in REPORTERS]
        for reporter, title, description in TICKETS:
            create_ticket(people[reporter], 1, title, description, "normal")
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


def run_the_worker() -> None:
    """What `flask worker` does: take each queued task (the outbox's delivery) and run it."""
    while (task := huey.dequeue()) is not None:
        huey.execute(task)


def fits_the_phone(page) -> None:
    wider = page.evaluate("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
                          " > window.innerWidth + 1).map(e => e.tagName + '.' + e.className)")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), wider


def no_serious_violation(page, script) -> None:
    page.add_script_tag(path=script)
    violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .filter(v => ['serious', 'critical'].includes(v.impact))
        .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)""")
    assert violations == [], f"{page.url}: {violations}"


def test_a_proposal_from_a_group_is_released_and_its_reporters_are_emailed(browser, proposals_server, smtp_server):
    script = axe_script()
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=PHONE,
                                  bypass_csp=True)  # the portal's CSP rightly refuses the injected axe-core
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{proposals_server}/auth/login")
        page.get_by_label("Email").fill("admin@demo.tthc.vn")
        page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.locator("summary", has_text="Menu").click()
        page.get_by_role("navigation").get_by_role("link", name="Hỗ trợ", exact=True).click()
        page.get_by_role("link", name="Khó khăn thường gặp").click()
        group = page.locator("section.card").filter(has_text="giấy biên nhận")
        expect(group.get_by_text(re.compile(r"3 phiếu"))).to_be_visible()
        fits_the_phone(page)
        group.locator("form[action='/proposals/new'] button").click()

        expect(page.locator("input[name=ticket_ids]:checked")).to_have_count(3)
        no_serious_violation(page, script)
        page.locator("#title").fill("Sửa chức năng in biên nhận hồ sơ")
        page.locator("#area").select_option("function")
        page.locator("#change").fill("Nút In biên nhận in được trên mọi trình duyệt.")
        page.locator("#reason").fill("Ba phiếu từ Nghệ An: cán bộ không in được biên nhận.")
        page.locator("#save-proposal").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Sửa chức năng in biên nhận hồ sơ")
        proposal_url = page.url
        run_the_worker()  # the tickets' own notices to the agents
        smtp_server.recorder.messages.clear()

        for status in ("sent", "accepted", "in_test", "released"):
            expect(page.locator("#happened_on")).to_have_value("2026-01-12")  # today on the portal's clock
            page.locator("#status").select_option(status)
            if status == "released":
                page.locator("#note").fill("Phiên bản 2.3")
            page.locator("#save-status").click()
            expect(page.locator(".flash.success").first).to_be_visible()
        expect(page.locator("#status")).to_have_count(0)  # released: no further step
        expect(page.locator("ol.history li")).to_have_count(5)
        expect(page.locator(".flash.success").filter(has_text=re.compile(r"\b2\b"))).to_be_visible()  # 2 told
        fits_the_phone(page)
        no_serious_violation(page, script)
        assert smtp_server.recorder.messages == []  # the request only wrote the outbox

        run_the_worker()
        arrived = {message["To"]: message for message in smtp_server.recorder.messages}
        assert sorted(arrived) == sorted(REPORTERS)
        body = arrived[REPORTERS[0]].get_payload(decode=True).decode()
        assert "Nút In biên nhận in được trên mọi trình duyệt." in body
        assert len(re.findall(r"HT-\d{4}-\d{6}", body)) == 2  # the commune administrator's two tickets
        assert len(re.findall(r"HT-\d{4}-\d{6}", arrived[REPORTERS[1]].get_payload(decode=True).decode())) == 1

        page.goto(f"{proposals_server}/proposals/?status=released")
        expect(page.locator(f"a[href='{proposal_url.removeprefix(proposals_server)}']")).to_be_visible()
        fits_the_phone(page)
        no_serious_violation(page, script)
    finally:
        context.close()
