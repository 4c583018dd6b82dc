"""App-wide behaviour: health check, languages, error pages, headers, CSRF, migrations."""
import os

import pytest
from sqlalchemy import func, select

from portal.contacts.models import Contact


def test_healthz_answers_when_the_database_the_queue_and_the_store_do(client):
    response = client.get("/healthz")
    body = response.json
    assert response.status_code == 200 and body["status"] == "ok" and response.headers["Cache-Control"] == "no-store"
    assert set(body["checks"]) == {"database", "queue", "storage"}  # no REDIS_URL: no Redis to check
    assert all(check["ok"] and check["ms"] >= 0 for check in body["checks"].values())


def test_healthz_is_503_when_the_store_does_not_answer(app, client, monkeypatch):
    from portal.core.storage import S3Storage

    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "y")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setitem(app.extensions, "storage", S3Storage("s3://nowhere/files"))
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["checks"]["storage"]["ok"] is False
    assert response.json["checks"]["database"]["ok"] is True


def test_healthz_is_503_when_the_queue_does_not(client, monkeypatch):
    from portal.core.queue import huey

    def broken():
        raise ConnectionError("redis is down")

    monkeypatch.setattr(huey.storage, "queue_size", broken)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["status"] == "down"
    assert response.json["checks"]["queue"] == {"ok": False, "ms": response.json["checks"]["queue"]["ms"],
                                                "error": "ConnectionError"}
    assert response.json["checks"]["database"]["ok"] is True


def test_healthz_is_503_when_redis_does_not_answer(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens on port 1
    response = client.get("/healthz")
    checks = response.json["checks"]
    assert response.status_code == 503 and checks["redis"]["ok"] is False and checks["database"]["ok"] is True


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="set TEST_REDIS_URL to check a live Redis")
def test_healthz_reports_a_live_redis(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", os.environ["TEST_REDIS_URL"])
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["checks"]["redis"]["ok"] is True


def test_a_registered_check_joins_healthz(client, monkeypatch):
    from portal.core import health

    def store_down():
        raise OSError("no route to the store")

    monkeypatch.setitem(health.CHECKS, "storage", health.Check(store_down, lambda app: True))
    response = client.get("/healthz")
    storage = response.json["checks"]["storage"]
    assert response.status_code == 503 and storage["ok"] is False and storage["error"] == "OSError"


def test_language_switch_is_kept_in_the_session(client):
    response = client.post("/language", data={"language": "en", "next": "/auth/login"})
    assert response.location == "/auth/login"
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign in" in page
    client.post("/language", data={"language": "vi"})
    assert "Đăng nhập" in client.get("/auth/login").get_data(as_text=True)


def test_language_switch_ignores_unknown_languages_and_foreign_targets(client):
    response = client.post("/language", data={"language": "fr", "next": "https://evil.example/"})
    assert response.location == "/"
    assert '<html lang="vi">' in client.get("/auth/login").get_data(as_text=True)


def test_not_found_page_is_friendly_and_vietnamese(client):
    response = client.get("/khong-co-trang-nay")
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and "Không tìm thấy trang" in page and "Traceback" not in page


def test_errors_show_no_stack_trace_and_roll_back(app, client, login_as, monkeypatch):
    login_as("admin")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    from portal.units import services

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(services, "province_rows", explode)
    try:
        response = client.get("/units/")
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    page = response.get_data(as_text=True)
    assert response.status_code == 500 and "secret internals" not in page and "Traceback" not in page


def test_security_headers_on_every_response(client):
    headers = client.get("/auth/login").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers
    assert "Strict-Transport-Security" in client.get("/auth/login", base_url="https://localhost").headers


def test_browser_features_and_other_windows_are_shut_out(client):
    headers = client.get("/auth/login").headers
    policy = dict(item.strip().split("=") for item in headers["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert policy[feature] == "()"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_a_refused_method_says_which_are_allowed(client):
    response = client.delete("/auth/login")
    assert response.status_code == 405 and "Không được phép" in response.get_data(as_text=True)
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}
    api = client.post("/api/v1/openapi.json")
    assert api.status_code == 405 and "GET" in api.headers["Allow"] and api.is_json


def test_posts_without_a_csrf_token_are_refused(app, client, login_as):
    login_as("admin")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/auth/logout")
        refused_login = client.post("/auth/login", data={"email": "a@b.vn", "password": "x"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400 and refused_login.status_code == 400
    assert client.get("/units/").status_code == 200  # still signed in: the logout was refused


def test_models_and_migrations_agree(app):
    """`flask db check`: autogenerate finds nothing the migrations do not already create."""
    result = app.test_cli_runner().invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output


def test_demo_load_creates_accounts_and_contacts_once_and_prints_logins(runner, db):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    for role in ("admin", "coordinator", "commune_admin", "trainer", "agent", "viewer"):
        assert f" {role} " in result.output
    nghe_an = db.session.scalar(select(func.count(Contact.id)).where(Contact.province_code == 40,
                                                                        Contact.kind == "commune"))
    assert nghe_an == 118
    again = runner.invoke(args=["demo", "load"]).output
    assert "Registered" not in again and again == result.output[result.output.index("Demo logins"):]


def test_write_transactions_are_opened_for_writes_only(app):
    from portal.core.database import opens_for_write

    with app.test_request_context("/units/", method="GET"):
        assert not opens_for_write()
    with app.test_request_context("/contacts/export.xlsx", method="GET"):  # an audited download writes
        assert opens_for_write()
    with app.test_request_context("/auth/login", method="POST"):
        assert opens_for_write()
    assert opens_for_write()  # the CLI and scripts
