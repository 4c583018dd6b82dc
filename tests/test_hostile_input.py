"""Random and hostile text at the forms and imports: never a 500, always an answer, nothing stored half-way."""
import io
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.backlog.models import BacklogReport
from portal.contacts.models import Contact
from portal.support.models import Ticket
from portal.training.models import TrainingSession
from tests import factories
from tests.conftest import start_session
from tests.test_access import build

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.sampled_from([
        "<script>alert(1)</script>", "' OR 1=1 --", "'; DROP TABLE contacts; --", "\x00", "a\x00b", "\u202e",
        "Nguyễn Văn Ánh 🇻🇳", "=HYPERLINK(\"http://x\")", "٠٩١٢٣٤٥٦٧٨", "x" * 5000, "%s%s%s", "{{7*7}}", "../../etc/passwd",
    ]),
)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@SETTINGS
@given(name=HOSTILE, phone=HOSTILE, email=HOSTILE, cccd=HOSTILE)
def test_the_contact_form(client, login_as, db, commune, name, phone, email, cccd):
    login_as("coordinator")
    before = count(db, Contact)
    response = client.post(f"/contacts/communes/{commune.code}", data={
        "full_name": name, "phone": phone, "email": email, "cccd": cccd, "accept_notice": "y", "version": ""})
    assert response.status_code in (302, 400, 422)
    if response.status_code != 302:
        assert count(db, Contact) == before


@SETTINGS
@given(title=HOSTILE, description=HOSTILE, procedure=HOSTILE)
def test_the_ticket_form(client, login_as, db, title, description, procedure):
    login_as("commune_admin")
    before = count(db, Ticket)
    response = client.post("/support/new", data={"category_id": 1, "title": title, "description": description,
                                                  "procedure_ref": procedure, "priority": "normal"})
    assert response.status_code in (302, 400, 422)
    if response.status_code != 302:
        assert count(db, Ticket) == before


@SETTINGS
@given(title=HOSTILE, venue=HOSTILE, link=HOSTILE, capacity=HOSTILE)
def test_the_session_form(client, login_as, db, title, venue, link, capacity):
    trainer = login_as("trainer")
    before = count(db, TrainingSession)
    response = client.post("/training/sessions/new", data={
        "title": title, "audience": "commune", "mode": "both", "venue": venue, "meeting_url": link,
        "day": "2026-01-20", "starts": "08:00", "ends": "10:00", "capacity": capacity,
        "province_codes": ["40"], "trainer_ids": [str(trainer.id)]})
    assert response.status_code in (302, 400, 422)
    if response.status_code != 302:
        assert count(db, TrainingSession) == before


@SETTINGS
@given(content=st.binary(max_size=2000) | HOSTILE.map(lambda text: text.encode("utf-8", "replace")))
def test_the_contact_import(client, login_as, db, content):
    login_as("coordinator")
    response = client.post("/contacts/import", data={"file": (io.BytesIO(content), "danh-sach.csv"),
                                                     "kind": "commune", "province_code": 40, "accept_notice": "y"})
    assert response.status_code in (200, 302, 400)
    if response.status_code == 302:
        assert client.get(response.location).status_code == 200
    assert count(db, Contact) == 0


@SETTINGS
@given(query=HOSTILE)
def test_search_fields(client, login_as, db, query):
    login_as("admin")
    for path in ("/units/", "/units/provinces/40", "/support/", "/auth/users", "/contacts/"):
        assert client.get(path, query_string={"q": query}).status_code in (200, 400)


@SETTINGS
@given(email=HOSTILE, password=HOSTILE)
def test_the_login_form(client, db, email, password):
    assert client.post("/auth/login", data={"email": email, "password": password}).status_code in (200, 400)


FIELDS = ("name", "title", "description", "body", "full_name", "position", "unit", "unit_name", "phone", "email",
          "cccd", "reason", "note", "question", "answer", "hotline", "meeting_url", "zalo_url", "software", "vendor",
          "contact_name", "contact_phone", "contact_email", "status", "role", "province_code", "commune_code",
          "capacity", "day", "starts", "ends", "venue", "comment", "language", "next", "password", "confirm",
          "current_password", "version", "procedures", "link", "department", "commune", "kind", "agent_id",
          "category_id", "priority", "procedure_ref", "material_id", "active", "allowed", "override_reason",
          "contact_ids", "ticket_ids", "province", "primary-40", "backup-40", "title_vi", "title_en",
          "for_departments", "for_departments_en", "for_communes", "for_communes_en", "for_provinces",
          "for_provinces_en", "area", "change", "happened_on", "ticket_numbers", "candidate_ids", "known_issue_id",
          "detail")


def post_everywhere(app, client, value: str) -> None:
    """Every POST route, signed in as an admin, with `value` in every field the portal's forms use."""
    admin = factories.create_user("admin", email=None)
    values = {"code": 40, "department_id": 1, "user_id": admin.id, "token": "x", "contact_id": 1, "seat": 1,
              "session_id": 1, "enrolment_id": 1, "material_id": 1, "audience": "commune", "ticket_id": 1,
              "attachment_id": 1, "score": 5, "request_id": 1, "token_id": 1, "message_id": 1, "key": "qlvb", "kind_id": 1,
              "milestone_id": 1, "export_id": 1, "name": "outbox_sweep", "proposal_id": 1}
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in ("auth.logout",):
            continue
        start_session(client, admin)
        response = client.post(build(rule, values), data={field: value for field in FIELDS})
        assert response.status_code < 500, (rule.rule, value)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=HOSTILE)
def test_every_post_route_answers_hostile_fields_without_a_500(app, client, db, value):
    post_everywhere(app, client, value)


@pytest.mark.parametrize("huge", ["99999999999999999999", "-99999999999999999999", "2147483648"])
def test_posted_ids_beyond_what_the_database_holds_are_answered_without_a_500(app, client, db, huge):
    post_everywhere(app, client, huge)


JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | HOSTILE
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(HOSTILE, inner, max_size=3), max_leaves=8)
BACKLOG_BODIES = st.fixed_dictionaries({}, optional={
    "as_of": st.dates().map(date.isoformat) | JSON_SCALARS, "dossiers": st.integers() | JSON_SCALARS,
    "commune_code": st.integers() | JSON_SCALARS, "note": JSON_SCALARS}) | JSON_VALUES


@SETTINGS
@given(body=BACKLOG_BODIES)
def test_the_backlog_api(client, db, admin, body):
    from portal.api.services import create_token

    token = create_token(admin, "Hệ thống một cửa", may_record_backlog=True)
    before = count(db, BacklogReport), count(db, AuditEvent)
    response = client.post("/api/v1/provinces/40/backlog", json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code in (201, 400), body
    if response.status_code == 400:
        assert (count(db, BacklogReport), count(db, AuditEvent)) == before
