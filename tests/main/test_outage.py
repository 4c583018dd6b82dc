"""When PostgreSQL is down: the portal's own 503 page with its request id, a request-log line, and /healthz."""
import logging
import socket
import time

import pytest

from portal import create_app
from portal.core.extensions import db as database
from tests.conftest import config_for_tests

# Nothing listens on port 1: every connection is refused at once, as when PostgreSQL is stopped.
UNREACHABLE = "postgresql+psycopg://portal@127.0.0.1:1/portal"


@pytest.fixture
def outage_app():
    app = create_app({**config_for_tests(UNREACHABLE), "QUEUE_URL": "memory://"})
    yield app
    with app.app_context():
        database.engine.dispose()


def signed_in(client, user_id: int = 1) -> None:
    """A signed-in session cookie, written without the database (as if the person had signed in before)."""
    now = int(time.time())
    with client.session_transaction() as session:
        session.update({"_user_id": f"{user_id}:0", "_fresh": True, "login_at": now, "seen_at": now})


def test_a_signed_in_page_answers_503_with_the_portals_own_page(outage_app, caplog):
    client = outage_app.test_client()
    signed_in(client)
    with caplog.at_level(logging.INFO, logger="portal.requests"):
        response = client.get("/units/", headers={"X-Request-Id": "outage-1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0
    assert "Cổng thông tin tạm thời gián đoạn" in page and "outage-1" in page and "Traceback" not in page
    assert response.headers["X-Request-Id"] == "outage-1" and response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Security-Policy"]  # the security headers are still sent
    line = next(r for r in caplog.records if r.name == "portal.requests")
    assert (line.request_id, line.status, line.path) == ("outage-1", 503, "/units/")
    assert line.error == "database unavailable: OperationalError"


def test_a_public_page_and_the_api_answer_503_too(outage_app):
    client = outage_app.test_client()
    page = client.get("/training/public")
    assert page.status_code == 503 and "Cổng thông tin tạm thời gián đoạn" in page.get_data(as_text=True)
    api = client.get("/api/v1/provinces", headers={"Authorization": "Bearer x"})
    assert api.status_code == 503 and api.is_json and len(api.headers["X-Request-Id"]) == 32


def test_the_english_page_follows_the_sessions_language(outage_app):
    client = outage_app.test_client()
    signed_in(client)
    with client.session_transaction() as session:
        session["language"] = "en"
    page = client.get("/units/").get_data(as_text=True)
    assert '<html lang="en">' in page and "The portal is briefly unavailable" in page


def test_a_page_that_fails_to_draw_falls_back_to_the_plain_page(app, client, login_as, monkeypatch, caplog):
    login_as("admin")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    from portal.core import errors
    from portal.units import services

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    def broken_page(*args, **kwargs):
        raise RuntimeError("the menu failed")

    monkeypatch.setattr(services, "province_rows", explode)
    monkeypatch.setattr(errors, "error_page", broken_page)
    try:
        with caplog.at_level(logging.INFO, logger="portal.requests"):
            response = client.get("/units/")
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    page = response.get_data(as_text=True)
    assert response.status_code == 500 and "Đã xảy ra lỗi" in page and "secret internals" not in page
    assert response.headers["X-Request-Id"] in page
    assert any(r.name == "portal.requests" and r.status == 500 for r in caplog.records)


def test_healthz_says_the_database_is_down(outage_app):
    response = outage_app.test_client().get("/healthz")
    checks = response.json["checks"]
    assert response.status_code == 503 and response.json["status"] == "down"
    assert checks["database"]["ok"] is False and checks["database"]["error"] == "OperationalError"
    assert checks["queue"]["ok"] is True and len(response.headers["X-Request-Id"]) == 32


def test_healthz_with_a_cookie_needs_no_database(outage_app):
    client = outage_app.test_client()
    signed_in(client)  # a browser that has signed in before opens /healthz
    assert client.get("/healthz").status_code == 503


@pytest.fixture
def silent_server():
    """A port that accepts connections and never says a word (a frozen PostgreSQL or Redis host)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield server.getsockname()[1]


def test_healthz_answers_in_time_when_postgresql_and_redis_hang(silent_server):
    port = silent_server
    app = create_app({**config_for_tests(f"postgresql+psycopg://portal@127.0.0.1:{port}/portal"),
                      "QUEUE_URL": "memory://", "REDIS_URL": f"redis://127.0.0.1:{port}/0",
                      "HEALTH_CHECK_TIMEOUT": 0.5})
    client = app.test_client()
    started = time.monotonic()
    response = client.get("/healthz")
    again = client.get("/healthz")  # the first database probe is still waiting: it is not started twice
    elapsed = time.monotonic() - started
    checks = response.json["checks"]
    assert response.status_code == 503 and elapsed < 2.5
    assert checks["database"]["error"] == "timeout" and checks["redis"]["ok"] is False
    assert checks["queue"]["ok"] is True
    assert again.status_code == 503 and again.json["checks"]["database"]["error"] == "timeout"


def test_a_save_that_committed_before_the_database_failed_is_reported_as_saved(client, db, monkeypatch):
    """The ticket is committed, then the database goes while the answer is made: the page says it was kept."""
    from sqlalchemy import func, select
    from sqlalchemy.exc import OperationalError

    from portal.support import views
    from portal.support.models import Ticket
    from tests import factories
    from tests.conftest import start_session

    from portal.util.forms import new_submission_token

    start_session(client, factories.create_user("commune_admin"))
    token = new_submission_token()

    def database_gone(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, ConnectionError("server closed the connection unexpectedly"))

    monkeypatch.setattr(views, "flash", database_gone)
    response = client.post("/support/new", data={"category_id": "2", "title": "Không tiếp nhận được hồ sơ",
                                                 "description": "Xã chưa được phân quyền.", "priority": "normal",
                                                 "submission_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and "đã được lưu" in page and "đừng gửi lại" in page
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 1
