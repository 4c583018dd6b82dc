"""The security walk beyond the route walk: CSRF on every state-changing route, login throttling,
no account enumeration, request ids in the logs."""
import logging
import re

import pytest
from flask_migrate import upgrade

from portal import create_app
from portal.core.extensions import db as database
from tests import factories
from tests.conftest import start_session, config_for_tests
from tests.test_access import build


@pytest.fixture
def hostile_values(db):
    return {"code": 40, "department_id": 1, "user_id": 1, "token": "x", "contact_id": 1, "seat": 1,
            "session_id": 1, "enrolment_id": 1, "material_id": 1, "audience": "commune", "ticket_id": 1,
            "attachment_id": 1, "score": 5, "request_id": 1, "token_id": 1, "message_id": 1, "key": "qlvb", "kind_id": 1,
            "milestone_id": 1, "export_id": 1,
            "name": "outbox_sweep", "proposal_id": 1}


# Routes a session cookie does not authenticate: without their bearer token a signed-in admin's post is a 401,
# so a forged cross-site post cannot use them and they need no CSRF token.
BEARER_ONLY = {"api.record_backlog"}


def test_every_post_route_refuses_a_request_without_a_csrf_token(app, client, db, hostile_values):
    admin = factories.create_user("admin")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for rule in app.url_map.iter_rules():
            if "POST" not in rule.methods or rule.endpoint == "main.set_language":
                continue  # the language switch is on cached public pages: it refuses cross-site posts instead
            start_session(client, admin)
            response = client.post(build(rule, hostile_values), data={"name": "x"})
            assert response.status_code == (401 if rule.endpoint in BEARER_ONLY else 400), rule.rule
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def throttled_app(database_uri):
    """A second app on the same database with rate limits on (the suite's app has them off)."""
    app = create_app({**config_for_tests(database_uri), "RATELIMIT_ENABLED": True,
                      "LOGIN_LIMIT_PER_ACCOUNT": "3 per 10 minutes", "LOGIN_LIMIT_PER_ADDRESS": "6 per 10 minutes"})
    yield app
    with app.app_context():
        database.engine.dispose()


def test_login_is_throttled_per_account_and_per_address(throttled_app):
    client = throttled_app.test_client()
    for _ in range(3):
        assert client.post("/auth/login", data={"email": "a@test.vn", "password": "wrong"}).status_code == 200
    refused = client.post("/auth/login", data={"email": "a@test.vn", "password": "wrong"})
    assert refused.status_code == 429 and "Vui lòng thử lại sau 10 phút" in refused.get_data(as_text=True)
    assert 590 <= int(refused.headers["Retry-After"]) <= 600
    others = [client.post("/auth/login", data={"email": f"other{n}@test.vn", "password": "x"}).status_code
              for n in range(4)]
    assert others[0] == 200 and others[-1] == 429  # the address has used up its 6 attempts


def without_csrf_token(page: str) -> str:
    """The page minus its CSRF token, which carries a time stamp and so differs between any two answers."""
    return re.sub(r'name="csrf_token"[^>]*value="[^"]*"|value="[^"]*"[^>]*name="csrf_token"', "csrf", page)


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, db, outbox):
    factories.create_user("viewer", email="known@test.vn")
    known = client.post("/auth/forgot", data={"email": "known@test.vn"}, follow_redirects=True).get_data(as_text=True)
    unknown = client.post("/auth/forgot", data={"email": "nobody@test.vn"}, follow_redirects=True).get_data(as_text=True)
    assert without_csrf_token(known) == without_csrf_token(unknown) and len(outbox()) == 1


def test_every_request_is_logged_with_an_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="portal.requests"):
        response = client.get("/healthz", headers={"X-Request-Id": "abc-123"})
    assert response.headers["X-Request-Id"] == "abc-123"
    record = next(r for r in caplog.records if r.name == "portal.requests")
    assert record.request_id == "abc-123" and record.status == 200 and record.path == "/healthz"
    generated = client.get("/healthz").headers["X-Request-Id"]
    assert len(generated) == 32
