"""Behind nginx: the forwarded headers of TRUSTED_PROXIES proxies are believed, and nobody else's."""
import time

import pytest

from portal import create_app
from portal.core.config import from_environment
from portal.core.extensions import db as database
from tests import factories
from tests.conftest import config_for_tests


@pytest.fixture
def proxied_app(app, database_uri):
    """`proxied_app(hops)`: an app on the suite's database, the login throttle on, behind `hops` proxies."""
    apps = []

    def build(hops: int):
        app = create_app({**config_for_tests(database_uri), "RATELIMIT_ENABLED": True, "TRUSTED_PROXIES": hops,
                          "LOGIN_LIMIT_PER_ACCOUNT": "50 per 10 minutes", "LOGIN_LIMIT_PER_ADDRESS": "2 per 10 minutes"})
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            database.engine.dispose()


def failed_sign_in(client, number: int, forwarded_for: str) -> int:
    response = client.post("/auth/login", data={"email": f"nobody{number}@test.vn", "password": "wrong"},
                           headers={"X-Forwarded-For": forwarded_for}, environ_base={"REMOTE_ADDR": "10.0.0.5"})
    return response.status_code


def test_behind_a_trusted_proxy_the_throttle_counts_the_forwarded_address(proxied_app):
    client = proxied_app(1).test_client()
    assert [failed_sign_in(client, n, "203.0.113.7") for n in range(3)] == [200, 200, 429]
    # Another office behind the same nginx (one REMOTE_ADDR for everyone) keeps its own count.
    assert failed_sign_in(client, 9, "198.51.100.20") == 200


def test_without_trusted_proxies_a_spoofed_forwarded_address_does_not_dodge_the_throttle(proxied_app):
    client = proxied_app(0).test_client()
    statuses = [failed_sign_in(client, n, f"203.0.113.{n}") for n in range(3)]
    assert statuses == [200, 200, 429]


def test_https_at_the_proxy_gets_hsts(proxied_app):
    client = proxied_app(1).test_client()
    response = client.get("/auth/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "portal.gov.vn"})
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    plain = client.get("/auth/login")
    assert "Strict-Transport-Security" not in plain.headers


def test_forwarded_proto_is_ignored_without_trusted_proxies(proxied_app):
    response = proxied_app(0).test_client().get("/auth/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


def test_the_language_switch_sees_the_browsers_host_behind_the_proxy(proxied_app):
    """nginx passes its upstream as Host; the browser's Origin names the public host, which X-Forwarded-Host carries."""
    client = proxied_app(1).test_client()
    headers = {"Origin": "https://portal.gov.vn", "X-Forwarded-Host": "portal.gov.vn", "X-Forwarded-Proto": "https"}
    response = client.post("/language", data={"language": "en"}, headers=headers, base_url="http://127.0.0.1:8000")
    assert response.status_code == 302


def test_trusted_proxies_comes_from_the_environment(monkeypatch, tmp_path):
    for name in ("TRUSTED_PROXIES", "DATABASE_URL", "PORTAL_ENV"):
        monkeypatch.delenv(name, raising=False)
    assert from_environment(str(tmp_path))["TRUSTED_PROXIES"] == 0
    monkeypatch.setenv("TRUSTED_PROXIES", "2")
    assert from_environment(str(tmp_path))["TRUSTED_PROXIES"] == 2
    monkeypatch.setenv("TRUSTED_PROXIES", "yes")
    with pytest.raises(RuntimeError, match="TRUSTED_PROXIES must be the number of proxies"):
        from_environment(str(tmp_path))


def test_absolute_links_in_pages_come_from_public_url_not_the_host_header(client, db):
    """A forged Host (or nginx's upstream name) never reaches a link that a subscriber or a system keeps."""
    evil = "http://evil.example"
    page = client.get("/feeds/", base_url=evil).get_data(as_text=True)
    assert "webcal://portal.test/feeds/provinces/40.ics" in page and "evil.example" not in page
    admin = factories.create_user("admin")
    with client.session_transaction(base_url=evil) as session:
        session.update({"_user_id": admin.get_id(), "_fresh": True, "login_at": int(time.time()),
                        "seen_at": int(time.time())})
    tokens = client.get("/api/tokens", base_url=evil).get_data(as_text=True)
    assert "https://portal.test/api/v1/openapi.json" in tokens and "evil.example" not in tokens
