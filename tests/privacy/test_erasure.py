"""Erasing a person: the preview says what changes; afterwards no table, file or feed holds their name, phone,
e-mail or CCCD, while attendance and ticket counts stay; the CLI does the same."""
import json

import pytest
from sqlalchemy import JSON, LargeBinary, func, select

from portal.accounts.models import AccountRequest
from portal.accounts.services import add_request
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.contacts.models import Contact, ContactChange
from portal.contacts.services import Seat, save_seat
from portal.core.errors import DomainError
from portal.core.extensions import db as _db
from portal.core.storage import storage
from portal.feeds.services import issue_token
from portal.mail.services import send_mail
from portal.privacy import erasure
from portal.privacy.export import DataExport, build, request_export
from portal.privacy.models import ErasedIdentity
from portal.support.models import Ticket, TicketMessage
from portal.support.services import attachment_key, create_ticket, respond
from portal.training.enrolment import enrol, mark_attendance
from portal.training.models import Enrolment
from tests import factories
from tests.conftest import install_store, start_session
from tests.factories import NGHE_AN

EMAIL = "tran.minh@nghean.gov.vn"
NAME = "Trần Thị Mình"
PHONES = ("+84912345678", "0912 345 678", "0912345678")
CCCDS = ("040188001234", "040188009876")
NEIGHBOUR = "n.tran.minh@nghean.gov.vn"  # holds the e-mail inside it: must survive untouched


@pytest.fixture(params=["local", "s3"])
def stores(request, app, tmp_path, monkeypatch):
    """Folders of the test's own, or a bucket prefix of its own on the S3 server: the copy and the files go alike."""
    return install_store(request.param, request, app, tmp_path, monkeypatch)


@pytest.fixture
def person(db, stores, make_session, admin):
    """A commune administrator who attended a session, filed a ticket with a file and replied to it, had an account
    request with a CCCD, has a feed link and a copy of their data, and is named in an agent's reply and mails."""
    commune = factories.first_commune(NGHE_AN)
    me = factories.create_user("commune_admin", commune_code=commune.code, email=EMAIL, full_name=NAME)
    contact = save_seat(None, Seat.of_commune(commune), factories.person(
        7, full_name=NAME, email=EMAIL, phone=PHONES[1], cccd=CCCDS[0]), None)
    session = make_session()
    enrol(admin, session, [contact])
    enrolment = _db.session.execute(select(Enrolment).where(Enrolment.contact_id == contact.id)).scalar_one()
    mark_attendance(session, {enrolment.id: "present"})
    ticket = create_ticket(me, 1, "Không ký số được", f"Gọi tôi số {PHONES[2]}, hỏi {NAME}", "normal",
                           files=[("loi.png", factories.png_image(20, 10))])
    agent = factories.create_user("agent", email="ho.tro@bo.gov.vn", full_name="Cán Bộ Hỗ Trợ")
    respond(agent, ticket, f"Chào chị {NAME}, chúng tôi đã gọi {PHONES[1]}.")
    respond(me, ticket, f"Cảm ơn. Thư của tôi là {EMAIL.upper()}.")
    coordinator = factories.create_user("coordinator", province_code=NGHE_AN, email="dieu.phoi@nghean.gov.vn",
                                        full_name="Điều Phối")
    add_request(coordinator, {"full_name": NAME, "unit": "UBND xã", "phone": PHONES[2], "email": EMAIL,
                              "cccd": CCCDS[1], "procedures": ""})
    neighbour = factories.create_user("viewer", email=NEIGHBOUR, full_name="Người Hàng Xóm")
    send_mail("dieu.phoi@nghean.gov.vn", "Đầu mối mới", f"{NAME} ({EMAIL}) đã được đăng ký; gửi thư {NEIGHBOUR}.")
    token = issue_token(me)
    export = request_export(me)
    build(export.id)
    _db.session.commit()
    return {"me": me, "contact": contact, "ticket": ticket, "token": token, "neighbour": neighbour,
            "export": _db.session.get(DataExport, export.id)}


def forbidden_in(text: str) -> list[str]:
    folded = text.casefold()
    return [value for value in (EMAIL, NAME, *PHONES, *CCCDS) if value.casefold() in folded
            and not (value == EMAIL and folded.count(value) == folded.count(NEIGHBOUR))]


def traces() -> list[str]:
    """Every text, JSON and binary value of every table, and every stored file, that still holds the person."""
    found = []
    for table in _db.Model.metadata.sorted_tables:
        for row in _db.session.execute(select(table)).mappings():
            for column in table.columns:
                value = row[column.name]
                if value is None:
                    continue
                if isinstance(column.type, JSON):
                    text = json.dumps(value, ensure_ascii=False)
                elif isinstance(column.type, LargeBinary):
                    text = bytes(value).decode("utf-8", "replace")
                elif isinstance(value, str):
                    text = value
                else:
                    continue
                found += [f"{table.name}.{column.name}: {hit}" for hit in forbidden_in(text)]
    for area in ("attachments", "exports"):
        for item in storage().objects(area):
            with storage().open(item.key) as stream:
                found += [f"file {item.key}: {hit}" for hit in forbidden_in(stream.read().decode("utf-8", "replace"))]
    return found


def counts() -> dict:
    return {"tickets": _db.session.scalar(select(func.count()).select_from(Ticket)),
            "messages": _db.session.scalar(select(func.count()).select_from(TicketMessage)),
            "present": _db.session.scalar(select(func.count()).select_from(Enrolment)
                                          .where(Enrolment.attendance == "present")),
            "contacts": _db.session.scalar(select(func.count()).select_from(Contact)),
            "account_requests": _db.session.scalar(select(func.count()).select_from(AccountRequest))}


def test_the_preview_names_what_changes_and_writes_nothing(person):
    before = traces()
    plan = erasure.preview(EMAIL.upper())
    lines = {str(label): count for label, count in plan.lines}
    assert plan.user.id == person["me"].id
    assert len(plan.contacts) == 1 and plan.enrolments == 1 and len(plan.account_requests) == 1
    assert len(plan.tickets) == 1 and plan.messages == 1 and len(plan.attachments) == 1
    assert len(plan.exports) == 1 and plan.tokens == 1 and plan.outbox >= 1
    assert sum(lines.values()) > 0
    assert traces() == before and before  # nothing written: the person is still everywhere


def test_erasure_leaves_no_trace_in_any_table_or_file_and_keeps_the_counts(person, client):
    attachment_file = attachment_key(person["ticket"].attachments[0])
    export_file = person["export"].key
    assert storage().exists(attachment_file) and storage().exists(export_file)
    before = counts()
    erasure.erase(EMAIL, None)
    _db.session.expire_all()
    assert traces() == []
    assert counts() == before
    assert not storage().exists(attachment_file) and not storage().exists(export_file)
    user = _db.session.get(User, person["me"].id)
    assert user.full_name == f"Người dùng đã xoá #{user.id}" and not user.is_active and user.erased_at
    contact = _db.session.get(Contact, person["contact"].id)
    assert contact.full_name == f"Người dùng đã xoá #{contact.id}" and contact.cccd is None
    assert _db.session.get(User, person["neighbour"].id).email == NEIGHBOUR
    assert erasure.was_erased(EMAIL) and not erasure.was_erased(NEIGHBOUR)
    assert _db.session.scalar(select(func.count()).select_from(ErasedIdentity)) == 1
    event = _db.session.execute(select(AuditEvent).where(AuditEvent.action == "privacy.erase")).scalar_one()
    assert forbidden_in(f"{event.target} {event.detail}") == []
    history = _db.session.execute(select(ContactChange).where(
        ContactChange.seat_key == Seat.of_contact(contact).key).order_by(ContactChange.id)).scalars().all()
    assert history[-1].action == "anonymise"
    assert client.get(f"/feeds/me/{person['token']}.ics").status_code == 404
    start_session(client, person["me"])  # a session from before the erasure no longer signs anyone in
    assert client.get("/me/data/").status_code in (302, 401)


def test_the_same_address_registered_again_is_recognised(person):
    erasure.erase(EMAIL, None)
    assert erasure.was_erased(f"  {EMAIL.upper()} ")
    with pytest.raises(DomainError):
        erasure.erase(EMAIL, None)  # nothing left on record


def test_an_admin_cannot_erase_their_own_account(db, admin):
    with pytest.raises(DomainError):
        erasure.erase(admin.email, admin)
    assert _db.session.get(User, admin.id).erased_at is None


def test_the_cli_previews_asks_and_erases(app, person):
    runner = app.test_cli_runner()
    declined = runner.invoke(args=["privacy", "erase", EMAIL], input="n\n")
    assert declined.exit_code == 1 and "Account anonymised" in declined.output
    assert _db.session.get(User, person["me"].id).erased_at is None
    done = runner.invoke(args=["privacy", "erase", EMAIL, "--yes"])
    assert done.exit_code == 0, done.output
    _db.session.expire_all()
    assert traces() == []
    again = runner.invoke(args=["privacy", "erase", EMAIL, "--yes"])
    assert again.exit_code == 1 and "Nothing on record" in again.output


def test_the_cli_export_writes_the_persons_zip_and_audits_it(app, person, tmp_path):
    out = tmp_path / "copy.zip"
    result = app.test_cli_runner().invoke(args=["privacy", "export", EMAIL, "--out", str(out)])
    assert result.exit_code == 0, result.output
    import zipfile
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        account = json.loads(archive.read("account.json"))
    assert account["email"] == EMAIL and "contacts.json" in names
    assert any(name.startswith("attachments/") for name in names)
    assert _db.session.execute(select(AuditEvent).where(AuditEvent.action == "privacy.cli_export")).scalar_one()
    missing = app.test_cli_runner().invoke(args=["privacy", "export", "nobody@x.vn", "--out", str(out)])
    assert missing.exit_code == 1 and "Nothing on record" in missing.output


def test_backups_written_before_are_listed_as_holding_the_data(app, person, tmp_path):
    out = tmp_path / "backup.tar"
    result = app.test_cli_runner().invoke(args=["backup", "--out", str(out)])
    assert result.exit_code == 0, result.output
    plan = erasure.preview(EMAIL)
    assert [name for name, _until in plan.backups] == ["backup.tar"]


def test_registering_an_erased_address_again_tells_the_coordinator(person, client):
    erasure.erase(EMAIL, None)
    coordinator = factories.create_user("coordinator", province_code=NGHE_AN)
    start_session(client, coordinator)
    commune = factories.first_commune(NGHE_AN)
    data = {**factories.person(9, full_name="Trần Thị Mình", email=EMAIL, phone="0913 111 222"),
            "accept_notice": "y", "version": str(_db.session.get(Contact, person["contact"].id).version)}
    response = client.post(f"/contacts/communes/{commune.code}", data=data, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "đã được xoá dữ liệu theo yêu cầu" in page


def test_the_persons_other_open_requests_are_settled_by_the_erasure(person):
    from portal.privacy.models import PrivacyRequest
    from portal.privacy.requests import file_for_account

    restriction = file_for_account(person["me"], "restriction", "")
    erasure_request = file_for_account(person["me"], "erasure", "Xin xoá")
    erasure.erase(EMAIL, None, erasure_request)
    _db.session.expire_all()
    for row in (_db.session.get(PrivacyRequest, restriction.id), _db.session.get(PrivacyRequest, erasure_request.id)):
        assert row.status == "done" and row.email == "" and row.email_hash == erasure.email_hash(EMAIL)
