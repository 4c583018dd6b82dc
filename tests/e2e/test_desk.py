"""The agent's desk on a phone: land on my tickets, find a ticket by "000005", see one about to breach."""
import threading
from datetime import datetime, timedelta

import pytest
from flask_migrate import upgrade
from playwright.sync_api import expect
from werkzeug.serving import make_server

from portal import create_app
from portal.auth.models import User
from portal.core.extensions import db
from portal.demo import load_all
from portal.demo.services import DEMO_PASSWORD
from portal.support.models import Ticket
from portal.support.services import create_ticket
from tests.conftest import config_for_tests

CLOCK = datetime.fromisoformat(config_for_tests("sqlite://")["CLOCK_NOW"])  # Monday 12/01/2026, 08:00 in Vietnam


@pytest.fixture(scope="module")
def desk_server(tmp_path_factory):
    """A live portal with the demo desk plus a fifth ticket, urgent and 20 minutes before its first response is
    due on the frozen clock: past 80 % of its two working hours, not yet breached."""
    config = config_for_tests(f"sqlite:///{tmp_path_factory.mktemp('desk') / 'desk.sqlite3'}")
    config.update(WTF_CSRF_ENABLED=True, TESTING=False, ATTACHMENTS_DIR=str(tmp_path_factory.mktemp("files")))
    app = create_app(config)
    with app.app_context():
        upgrade()
        load_all()
        coordinator = db.session.execute(db.select(User).where(
            User.role == "coordinator", User.province_code == 40)).scalars().first()
        while db.session.scalar(db.select(db.func.max(Ticket.id))) < 5:
            ticket = create_ticket(coordinator, 1, "Cán bộ xã không thấy hồ sơ trực tuyến",
                                   "Hồ sơ nộp trên Cổng dịch vụ công không về hệ thống của xã.", "urgent")
        ticket.first_response_due = CLOCK + timedelta(minutes=20)
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


def test_an_agent_finds_000005_and_sees_it_due_soon_on_a_phone(page, desk_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{desk_server}/auth/login")
    page.get_by_label("Email").fill("agent@demo.tthc.vn")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    views = page.get_by_role("navigation", name="Các mục của danh sách")
    expect(views.locator("a[aria-current='page']")).to_contain_text("Phiếu của tôi")
    page.get_by_label("Tìm kiếm").fill("000005")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("-000005 · Cán bộ xã không thấy hồ sơ trực tuyến")
    expect(page.get_by_text("Hạn: 08:20 Thứ Hai 12/01")).to_be_visible()

    page.get_by_role("link", name="Phiếu hỗ trợ").first.click()
    page.get_by_role("navigation", name="Các mục của danh sách").get_by_role("link", name="Sắp quá hạn").click()
    row = page.get_by_role("row").filter(has_text="-000005")
    expect(row.locator(".tag.sla-near")).to_have_text("Sắp quá hạn")
    expect(page.locator(".tag.sla-breached")).to_have_count(0)
    wider = page.evaluate("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
                          " > window.innerWidth + 1).map(e => e.tagName + '.' + e.className)")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), wider
