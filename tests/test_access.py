"""Walk every route as every role against another province's objects: no leak, no 500.

Local roles belong to Nghệ An; every id in the URLs points at Hà Nội. New routes are covered
automatically, and a route argument this walk does not know fails the test until it is added.
"""
import pytest

from portal.auth.models import ROLES
from portal.units.models import Province
from tests import factories
from tests.conftest import start_session
from tests.factories import HA_NOI, NGHE_AN

LOCAL_ROLES = ("coordinator", "commune_admin")


@pytest.fixture
def hanoi_objects(db):
    """Ids of Hà Nội's objects, by URL argument name, and the personal data that must not leak."""
    person = factories.create_user("coordinator", province_code=HA_NOI, email="ha.noi.private@test.vn")
    department = db.session.get(Province, HA_NOI).departments[0]
    values = {"code": HA_NOI, "department_id": department.id, "user_id": person.id, "token": "not-a-token"}
    return values, [person.email]


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule, method


def build(rule, values) -> str:
    unknown = set(rule.arguments) - set(values)
    assert not unknown, f"teach the access walk about {unknown} in {rule.rule}"
    return rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]


@pytest.mark.parametrize("role", ("anonymous",) + ROLES)
def test_every_route_as_every_role(app, client, db, hanoi_objects, role):
    values, private = hanoi_objects
    user = None
    if role != "anonymous":
        scope = {"province_code": NGHE_AN} if role == "coordinator" else {}
        user = factories.create_user(role, **scope)
    for rule, method in routes(app):
        if user is not None:
            db.session.refresh(user)
            start_session(client, user)
        else:
            client.delete_cookie("session")
        url = build(rule, values)
        response = client.open(url, method=method, data={})
        body = response.get_data(as_text=True)
        where = f"{method} {url} as {role}"
        assert response.status_code < 500, where
        if role != "admin":
            assert not any(value in body for value in private), f"personal data leaked: {where}"
        if role in LOCAL_ROLES and rule.arguments - {"token"}:
            assert response.status_code in (403, 404), where
        if role == "anonymous" and response.status_code == 302:
            assert "/auth/login" in response.location or rule.endpoint in ("main.index", "main.set_language"), where
