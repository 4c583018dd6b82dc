"""Walk every route as every role against another province's objects: no leak, no 500.

Local roles belong to Nghệ An; every id in the URLs points at Hà Nội. New routes are covered
automatically, and a route argument this walk does not know fails the test until it is added.
"""
import io
import zipfile
from datetime import date, datetime

import pytest
from sqlalchemy import select

from portal.integrations.models import IntegrationKind
from portal.mail.models import OutboxMessage

from portal.auth.models import ROLES
from portal.contacts.services import Seat, save_seat
from portal.training.enrolment import enrol
from portal.materials.services import add_link
from portal.milestones.models import Milestone
from portal.accounts.services import add_request
from portal.api.models import ApiToken
from portal.api.services import create_token
from portal.privacy.export import build as build_data_export
from portal.privacy.export import request_export as request_data_export
from portal.proposals.services import ProposalInput
from portal.proposals.services import create as create_proposal
from portal.support.services import create_ticket
from portal.training.models import Enrolment
from portal.training.services import SessionInput, save_session
from portal.units.models import Province
from tests import factories
from tests.conftest import start_session
from tests.factories import HA_NOI, NGHE_AN

LOCAL_ROLES = ("coordinator", "commune_admin")


@pytest.fixture
def hanoi_objects(db, app, tmp_path, monkeypatch):
    """Ids of Hà Nội's objects, by URL argument name, and the personal data that must not leak."""
    app.config["ATTACHMENTS_DIR"] = str(tmp_path)
    monkeypatch.setitem(app.config, "EXPORTS_DIR", str(tmp_path / "exports"))
    person = factories.create_user("coordinator", province_code=HA_NOI, email="ha.noi.private@test.vn")
    department = db.session.get(Province, HA_NOI).departments[0]
    commune = factories.first_commune(HA_NOI)
    contact = save_seat(None, Seat.of_commune(commune), {
        "full_name": "Người Hà Nội", "phone": "0987 111 222", "email": "xa.hanoi.private@test.vn",
        "cccd": "001099887766"}, None)
    admin = factories.create_user("admin")
    trainer = factories.create_user("trainer")
    session = save_session(admin, None, SessionInput(
        title="Tập huấn Hà Nội", audience="commune", mode="online", meeting_url="https://hop.vn/hn",
        starts_at=datetime(2026, 1, 20, 8), ends_at=datetime(2026, 1, 20, 11), capacity=10,
        province_codes=[HA_NOI], trainer_ids=[trainer.id]))
    enrol(admin, session, [contact])
    entry = db.session.execute(select(Enrolment)).scalar_one()
    ticket = create_ticket(person, 1, "Không nhận được hồ sơ", "Nội dung riêng của Hà Nội", "normal",
                           files=[("anh.png", PNG)])
    request = add_request(person, {"full_name": "Người Cần Tài Khoản", "unit": "UBND phường", "phone": "0912000111",
                                   "email": "can.tk@hanoi.gov.vn", "cccd": "001088776655", "procedures": ""})
    create_token(admin, "Hệ thống thống kê")
    data_export = build_data_export(request_data_export(person).id)
    proposal = create_proposal(admin, ProposalInput("Sửa tiếp nhận", "function", "Thêm quyền.", "Xã thiếu quyền."),
                               [ticket.id])
    values = {"code": HA_NOI, "ticket_id": ticket.id, "token_id": db.session.execute(select(ApiToken.id)).scalar_one(), "score": 5, "request_id": request.id, "attachment_id": ticket.attachments[0].id, "department_id": department.id, "user_id": person.id, "token": "not-a-token",
              "contact_id": contact.id, "seat": 1, "session_id": session.id, "enrolment_id": entry.id,
              "audience": "commune", "name": "outbox_sweep", "key": "qlvb", "proposal_id": proposal.id,
              "kind_id": db.session.execute(select(IntegrationKind.id).limit(1)).scalar_one(),
              "message_id": db.session.execute(select(OutboxMessage.id).limit(1)).scalar_one(),
              "milestone_id": db.session.execute(select(Milestone.id).order_by(Milestone.id).limit(1)).scalar_one(),
              "export_id": data_export.id,
              "material_id": add_link(admin, "Hướng dẫn", "", "both", "1", date(2026, 1, 1), True, "https://hd.vn").id}
    return values, [person.email, contact.email, "0987 111 222", "001099887766", "Nội dung riêng của Hà Nội",
                    "can.tk@hanoi.gov.vn"]


PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64

# Endpoints whose `code` is a commune's, not a province's.
COMMUNE_CODE_ENDPOINTS = {"contacts.commune"}
# Objects every signed-in user may look at (a session is in the public plan); personal data stays checked.
SHARED_OBJECT_ENDPOINTS = {"training.session", "materials.file", "feeds.province", "feeds.trainer",
                           "feeds.audience", "feeds.single_event", "feeds.province_page", "training.public_session"}


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule, method


def build(rule, values) -> str:
    if rule.endpoint in COMMUNE_CODE_ENDPOINTS:
        values = {**values, "code": factories.first_commune(HA_NOI).code}
    unknown = set(rule.arguments) - set(values)
    assert not unknown, f"teach the access walk about {unknown} in {rule.rule}"
    return rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]


def readable_text(response) -> str:
    """The body as text; for a spreadsheet, the XML inside it (an .xlsx is a zip archive)."""
    data = response.get_data()
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "".join(archive.read(name).decode() for name in archive.namelist())
    return data.decode("utf-8", "replace")  # binary downloads are searched as far as they are text


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
        body = readable_text(response)
        response.close()  # file downloads hold their file open until closed
        where = f"{method} {url} as {role}"
        assert response.status_code < 500, where
        if role != "admin":
            assert not any(value in body for value in private), f"personal data leaked: {where}"
        assert "001099887766" not in body, f"a full CCCD outside the reveal form: {where}"
        if role != "admin":
            assert "001088776655" not in body, f"a full CCCD shown to {where}"
        if role in LOCAL_ROLES and rule.arguments - {"token"} and rule.endpoint not in SHARED_OBJECT_ENDPOINTS:
            assert response.status_code in (401, 403, 404), where  # 401: the API wants a token
        if role == "anonymous" and response.status_code == 302:
            assert "/auth/login" in response.location or rule.endpoint in ("main.index", "main.set_language"), where
