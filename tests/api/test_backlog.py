"""POST /api/v1/provinces/<code>/backlog: the ministry's system records dossiers waiting for an account."""
from datetime import date

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import func, select

from portal.api import services
from portal.api.models import ApiToken
from portal.audit.models import AuditEvent
from portal.backlog.models import BacklogReport
from tests import factories
from tests.api.test_api import validate
from tests.factories import HA_NOI, NGHE_AN

SYSTEM = "Hệ thống một cửa của Bộ"


@pytest.fixture
def recorder(db, admin):
    """A token that may record the backlog."""
    return services.create_token(admin, SYSTEM, may_record_backlog=True)


@pytest.fixture
def reader(db, admin):
    return services.create_token(admin, "Hệ thống thống kê")


def post(client, token, body=None, code=NGHE_AN, **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(f"/api/v1/provinces/{code}/backlog", headers=headers, json=body, **kwargs)


def figures(db) -> list[tuple]:
    return db.session.execute(select(BacklogReport.province_code, BacklogReport.commune_code, BacklogReport.as_of,
                                     BacklogReport.dossiers, BacklogReport.source, BacklogReport.recorded_by_id)
                              .order_by(BacklogReport.id)).all()


def test_a_token_that_may_record_posts_a_province_and_a_commune_figure(client, db, recorder):
    response = post(client, recorder, {"as_of": "2026-01-09", "dossiers": 12, "note": "Chưa có tài khoản"})
    assert response.status_code == 201
    assert response.json == {"province_code": NGHE_AN, "commune_code": None, "as_of": "2026-01-09", "dossiers": 12,
                             "note": "Chưa có tài khoản", "source": "api"}
    commune = factories.first_commune(NGHE_AN)
    response = post(client, recorder, {"as_of": "2026-01-12", "dossiers": 0, "commune_code": commune.code, "note": None})
    assert response.status_code == 201 and response.json["commune_code"] == commune.code
    assert figures(db) == [(NGHE_AN, None, date(2026, 1, 9), 12, "api", None),
                           (NGHE_AN, commune.code, date(2026, 1, 12), 0, "api", None)]
    events = db.session.execute(select(AuditEvent).where(AuditEvent.action == "backlog.record")
                                .order_by(AuditEvent.id)).scalars().all()
    assert [(e.actor_id, e.target) for e in events] == [(None, f"backlog:{NGHE_AN}"),
                                                        (None, f"backlog:{NGHE_AN}/{commune.code}")]
    assert all(SYSTEM in e.detail and "api" in e.detail for e in events)


def test_the_provinces_page_shows_a_figure_the_api_recorded_as_the_ministrys_system(client, db, recorder, login_as):
    post(client, recorder, {"as_of": "2026-01-09", "dossiers": 12, "note": "Gửi từ hệ thống của Bộ"})
    login_as("coordinator")
    page = client.get(f"/backlog/{NGHE_AN}").get_data(as_text=True)
    assert "Gửi từ hệ thống của Bộ" in page and "hệ thống của Bộ (API)" in page and "09/01/2026" in page


def test_the_same_day_posted_again_replaces_the_figure(client, db, recorder):
    assert post(client, recorder, {"as_of": "2026-01-09", "dossiers": 12}).status_code == 201
    assert post(client, recorder, {"as_of": "2026-01-09", "dossiers": 7}).status_code == 201
    assert [row.dossiers for row in figures(db)] == [7]


def test_without_a_valid_token_it_is_a_401_and_without_the_permission_a_403(client, db, admin, recorder, reader):
    body = {"as_of": "2026-01-09", "dossiers": 12}
    for token in (None, "wrong"):
        response = post(client, token, body)
        assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
    response = post(client, reader, body)
    assert response.status_code == 403 and response.json["error"] == "forbidden"
    assert client.get("/api/v1/provinces", headers={"Authorization": f"Bearer {recorder}"}).status_code == 200
    services.revoke_token(admin, db.session.execute(select(ApiToken).where(ApiToken.name == SYSTEM)).scalar_one())
    assert post(client, recorder, body).status_code == 401
    assert figures(db) == []


def test_an_unknown_province_is_a_404(client, db, recorder):
    for code in (999, 99999999999999999999):
        response = post(client, recorder, {"as_of": "2026-01-09", "dossiers": 1}, code=code)
        assert response.status_code == 404 and response.is_json, code
    assert figures(db) == []


GOOD = {"as_of": "2026-01-09", "dossiers": 12}


@pytest.mark.parametrize("body, parameter", [
    ([GOOD], "body"),
    ("2026-01-09", "body"),
    (None, "body"),
    ({**GOOD, "dossiers": "12"}, "dossiers"),
    ({**GOOD, "dossiers": True}, "dossiers"),
    ({**GOOD, "dossiers": 1.5}, "dossiers"),
    ({**GOOD, "dossiers": 12.0}, "dossiers"),
    ({**GOOD, "dossiers": -1}, "dossiers"),
    ({**GOOD, "dossiers": 10**30}, "dossiers"),
    ({"as_of": "2026-01-09"}, "dossiers"),
    ({**GOOD, "as_of": "09/01/2026"}, "as_of"),
    ({**GOOD, "as_of": "2026-1-9"}, "as_of"),
    ({**GOOD, "as_of": "20260109"}, "as_of"),
    ({**GOOD, "as_of": "2026-02-30"}, "as_of"),
    ({**GOOD, "as_of": "2026-01-13"}, "as_of"),  # the tests' today is 12/01/2026
    ({**GOOD, "as_of": "2025-11-30"}, "as_of"),
    ({**GOOD, "as_of": 20260109}, "as_of"),
    ({"dossiers": 12}, "as_of"),
    ({**GOOD, "commune_code": "40001"}, "commune_code"),
    ({**GOOD, "commune_code": True}, "commune_code"),
    ({**GOOD, "commune_code": 999999}, "commune_code"),
    ({**GOOD, "commune_code": 99999999999999999999}, "commune_code"),
    ({**GOOD, "note": 5}, "note"),
    ({**GOOD, "note": "a\x00b"}, "note"),
    ({**GOOD, "note": "x" * 501}, "note"),
    ({**GOOD, "dossier": 12}, "dossier"),
])
def test_a_body_that_cannot_be_recorded_is_a_400_naming_its_field(client, db, recorder, body, parameter):
    response = post(client, recorder, body)
    assert response.status_code == 400
    assert response.json["error"] == "bad_request" and response.json["parameter"] == parameter
    assert response.json["message"]
    assert figures(db) == []


def test_a_commune_of_another_province_is_a_400(client, db, recorder):
    response = post(client, recorder, {**GOOD, "commune_code": factories.first_commune(HA_NOI).code})
    assert response.status_code == 400 and response.json["parameter"] == "commune_code"
    assert figures(db) == []


def test_the_messages_are_in_english_like_the_apis_others(client, db, recorder):
    response = post(client, recorder, {**GOOD, "as_of": "2026-01-13"})
    assert response.json["message"] == "The date cannot be in the future."


def test_what_is_not_json_is_a_400(client, db, recorder):
    headers = {"Authorization": f"Bearer {recorder}"}
    for data, content_type in (("{not json", "application/json"), ('{"as_of": "2026-01-09", "dossiers": 1}', "text/plain"),
                               ("[" * 5000 + "]" * 5000, "application/json"), ("as_of=2026-01-09&dossiers=1",
                                                                                "application/x-www-form-urlencoded")):
        response = client.post(f"/api/v1/provinces/{NGHE_AN}/backlog", headers=headers, data=data,
                               content_type=content_type)
        assert response.status_code == 400 and response.json["parameter"] == "body", data[:20]
    assert figures(db) == []


def test_it_needs_no_csrf_token_but_the_bearer_token(app, client, db, recorder, login_as):
    login_as("admin")  # a session cookie does not authenticate the API
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert post(client, None, GOOD).status_code == 401
        assert post(client, recorder, GOOD).status_code == 201
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert db.session.scalar(select(func.count()).select_from(BacklogReport)) == 1


def test_the_openapi_document_describes_the_body_and_the_answers(client, db, recorder, reader):
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/provinces/{code}/backlog"]["post"]
    assert set(operation["responses"]) == {"201", "400", "401", "403", "404"}
    body = {"as_of": "2026-01-09", "dossiers": 12, "commune_code": factories.first_commune(NGHE_AN).code,
            "note": "Chưa có tài khoản"}
    validate(document, "BacklogInput", body)
    response = post(client, recorder, body)
    validate(document, "BacklogFigure", response.json)
    for answer in (post(client, reader, body), post(client, recorder, body, code=999),
                   post(client, recorder, {**body, "dossiers": "12"})):
        validate(document, "Error", answer.json)
    schema = {**document, "$ref": "#/components/schemas/BacklogInput"}
    checker = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for wrong in ({**body, "dossiers": "12"}, {**body, "dossiers": True}, {**body, "dossiers": 1.5},
                  {**body, "dossiers": -1}, {**body, "as_of": "09/01/2026"}, {**body, "as_of": "2026-02-30"},
                  {**body, "commune_code": "1"}, {**body, "dossier": 1}, {"dossiers": 1}, [body]):
        assert not checker.is_valid(wrong), wrong  # the document refuses what the service refuses


def test_readiness_carries_each_provinces_latest_figure_read_in_one_query(client, db, admin, reader, count_queries):
    from portal.backlog import services as backlog

    def readiness() -> tuple[dict, int]:
        with count_queries() as statements:
            response = client.get("/api/v1/readiness", headers={"Authorization": f"Bearer {reader}"})
        assert response.status_code == 200
        validate(document, "ReadinessPage", response.json)
        return {item["code"]: item["dossier_backlog"] for item in response.json["items"]}, len(statements)

    document = client.get("/api/v1/openapi.json").json
    backlog.record(admin, NGHE_AN, date(2026, 1, 2), 30)
    items, one_province = readiness()
    assert items[NGHE_AN] == {"dossiers": 30, "as_of": "2026-01-02", "change": None} and items[HA_NOI] is None
    backlog.record(admin, NGHE_AN, date(2026, 1, 9), 12)
    backlog.record(admin, HA_NOI, date(2026, 1, 9), 270)
    backlog.record(admin, 79, date(2026, 1, 5), 0)
    items, three_provinces = readiness()
    assert items[NGHE_AN] == {"dossiers": 12, "as_of": "2026-01-09", "change": -18}
    assert items[HA_NOI] == {"dossiers": 270, "as_of": "2026-01-09", "change": None}
    assert items[79] == {"dossiers": 0, "as_of": "2026-01-05", "change": None}
    assert {code for code, figure in items.items() if figure is None} == set(items) - {NGHE_AN, HA_NOI, 79}
    assert three_provinces == one_province  # no query per province
