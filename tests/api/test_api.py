"""The JSON API: tokens, pagination, no personal data, and every response valid against the OpenAPI document."""
import pytest
from jsonschema import Draft202012Validator

from portal.api import services
from portal.support.services import create_ticket
from tests import factories
from tests.factories import NGHE_AN


@pytest.fixture
def token(db, admin):
    return services.create_token(admin, "Hệ thống báo cáo của Bộ")


def validate(document: dict, schema_name: str, body: dict) -> None:
    """Validate against a component schema, with the whole document as the root so that $refs resolve."""
    schema = {**document, "$ref": f"#/components/schemas/{schema_name}"}
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(body)


def get(client, path, token):
    return client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"})


def test_requests_without_a_valid_token_are_refused(client, token, admin, db):
    assert client.get("/api/v1/provinces").status_code == 401
    assert get(client, "/provinces", "wrong").status_code == 401
    assert get(client, "/provinces", token).status_code == 200
    from portal.api.models import ApiToken

    services.revoke_token(admin, db.session.execute(db.select(ApiToken)).scalar_one())
    assert get(client, "/provinces", token).status_code == 401


def test_every_endpoint_matches_the_openapi_document(client, token, db, make_session, commune_contacts):
    make_session()
    create_ticket(factories.create_user("coordinator"), 1, "Lỗi", "Mô tả", "normal")
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")
    Draft202012Validator.check_schema({"$defs": document["components"]["schemas"]})
    for path, schema in (("/provinces?per_page=10", "ProvincePage"), (f"/provinces/{NGHE_AN}/communes?page=2", "CommunePage"),
                         ("/readiness", "ReadinessPage"), ("/sessions", "SessionPage"),
                         (f"/sessions?province={NGHE_AN}", "SessionPage"), ("/tickets/counts", "TicketCounts")):
        response = get(client, path, token)
        assert response.status_code == 200, path
        validate(document, schema, response.json)
    assert set(document["paths"]) == {"/provinces", "/provinces/{code}/communes", "/provinces/{code}/backlog",
                                      "/readiness", "/sessions", "/tickets/counts"}


def test_pages_and_totals(client, token, db):
    first = get(client, "/provinces?per_page=10", token).json
    assert (first["total"], len(first["items"]), first["page"]) == (34, 10, 1)
    last = get(client, "/provinces?per_page=10&page=4", token).json
    assert len(last["items"]) == 4
    communes = get(client, f"/provinces/{NGHE_AN}/communes?per_page=200", token).json
    assert communes["total"] == 130 == len(communes["items"])
    assert get(client, "/provinces/999/communes", token).status_code == 404


def test_no_personal_data_leaves_through_the_api(client, token, db, admin, make_session, commune_contacts):
    from portal.training import enrolment

    people = commune_contacts(2)
    enrolment.enrol(admin, make_session(), people)
    for path in ("/sessions", "/readiness", "/tickets/counts", "/provinces"):
        body = get(client, path, token).get_data(as_text=True)
        for person in people:
            assert person.email not in body and person.full_name not in body and "+849" not in body


def test_admins_manage_tokens_in_the_browser(client, login_as, db):
    login_as("admin")
    page = client.post("/api/tokens", data={"name": "Hệ thống thống kê"}).get_data(as_text=True)
    raw = page.split("<code>")[1].split("</code>")[0]
    assert get(client, "/readiness", raw).status_code == 200
    login_as("coordinator")
    assert client.get("/api/tokens").status_code == 403


def test_an_admin_lets_a_token_record_the_backlog_and_the_list_says_which_may(client, login_as, db):
    from portal.api.models import ApiToken
    from portal.audit.models import AuditEvent

    login_as("admin")
    page = client.get("/api/tokens").get_data(as_text=True)
    assert 'name="may_record_backlog"' in page and "Được ghi nhận hồ sơ chờ do chưa có tài khoản" in page
    client.post("/api/tokens", data={"name": "Hệ thống một cửa", "may_record_backlog": "y"})
    client.post("/api/tokens", data={"name": "Hệ thống thống kê"})
    tokens = db.session.execute(db.select(ApiToken.name, ApiToken.may_record_backlog).order_by(ApiToken.id)).all()
    assert tokens == [("Hệ thống một cửa", True), ("Hệ thống thống kê", False)]
    page = client.get("/api/tokens").get_data(as_text=True)
    assert page.count("Đọc và ghi nhận hồ sơ chờ do chưa có tài khoản") == 1 and page.count("Chỉ đọc") == 1
    assert db.session.execute(db.select(AuditEvent.target, AuditEvent.detail).where(
        AuditEvent.action == "api.token_create").order_by(AuditEvent.id)).all() == [
        ("Hệ thống một cửa", "may record the dossier backlog"), ("Hệ thống thống kê", "read-only")]


def test_a_page_beyond_the_documented_bounds_is_a_400_not_a_500(client, token, db):
    for path in ("/provinces?page=184467440737095518", "/provinces?page=99999999999999999999",
                 "/provinces?per_page=201", "/provinces?page=0", "/provinces?page=abc",
                 f"/provinces/{NGHE_AN}/communes?page=-1", "/sessions?province=99999999999999999999"):
        response = get(client, path, token)
        assert response.status_code == 400, path
        assert response.json["error"] == "bad_request" and response.json["parameter"] in ("page", "per_page", "province")
    assert get(client, "/provinces/99999999999999999999/communes", token).status_code == 404
    assert get(client, "/provinces?page=1000000&per_page=200", token).json["items"] == []


def test_the_document_states_every_parameters_bounds(client, db):
    document = client.get("/api/v1/openapi.json").json
    operations = [(f"{method} {path}", operation) for path, item in document["paths"].items()
                  for method, operation in item.items()]
    assert {where.split()[0] for where, _operation in operations} == {"get", "post"}
    for where, operation in operations:
        for parameter in operation["parameters"]:
            schema = parameter["schema"]
            assert schema["type"] == "integer" and {"minimum", "maximum"} <= set(schema), (where, parameter["name"])
            assert schema["maximum"] < 2**31, (where, parameter["name"])
        if operation["parameters"]:
            assert "400" in operation["responses"], where
    paging = {p["name"]: p["schema"] for p in document["paths"]["/provinces"]["get"]["parameters"]}
    assert paging["per_page"] == {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}
