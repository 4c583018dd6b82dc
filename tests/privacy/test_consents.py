"""Consent with its text (Law 91/2025/QH15, Art. 9): the version recorded is the one shown, its words can be read
back, a withdrawal stops what rests on it (the CCCD, the reminders), and nobody withdraws someone else's."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from portal.accounts.models import AccountRequest
from portal.accounts.services import add_request
from portal.audit.models import AuditEvent
from portal.contacts.models import Contact, ContactChange
from portal.contacts.services import Seat, save_seat
from portal.core.errors import DomainError
from portal.jobs.services import run_job
from portal.mail.models import OutboxMessage
from portal.privacy import notices
from portal.privacy.consents import person_consents
from portal.training.enrolment import enrol
from portal.units.models import Commune
from tests import factories
from tests.conftest import start_session
from tests.factories import NGHE_AN

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MY_EMAIL = "admin.xa@nghean.gov.vn"
CCCD = "040188001234"


@pytest.fixture
def me(db):
    """A commune administrator whose own contact entry holds a CCCD."""
    commune = factories.first_commune(NGHE_AN)
    user = factories.create_user("commune_admin", commune_code=commune.code, email=MY_EMAIL)
    contact = save_seat(None, Seat.of_commune(commune), factories.person(7, email=MY_EMAIL, cccd=CCCD), None)
    return user, contact


def test_every_purpose_has_a_current_text_in_both_languages_and_published_versions_are_unique():
    for purpose in notices.PURPOSES:
        notice = notices.current(purpose)
        assert notice.purpose == purpose and notice.text.vi and notice.text.en and notice.text.vi != notice.text.en
    keys = [(n.purpose, n.version) for n in notices.NOTICES]
    assert len(keys) == len(set(keys))
    assert notices.get("contact", "2026-01") and notices.get("account_request", "2026-01")  # the texts in force
    assert notices.get("contact", "1999-01") is None


def test_the_version_recorded_is_the_current_one_and_its_text_is_retrievable(me, db):
    _user, contact = me
    coordinator = factories.create_user("coordinator")
    request = add_request(coordinator, {"full_name": "Trần Thị Mình", "unit": "UBND xã", "phone": "0912345678",
                                        "email": MY_EMAIL, "cccd": "040188009876", "procedures": ""})
    assert contact.notice_version == notices.current("contact").version
    assert request.notice_version == notices.current("account_request").version
    found = {c.purpose: c for c in person_consents([contact], [request])}
    assert found["contact"].notice == notices.current("contact")
    assert found["account_request"].notice.text.vi.startswith("Bộ cần")
    assert found["reminders"].notice == notices.current("contact")  # the registration's consent covers them


def test_every_notice_version_in_the_demo_data_exists(db):
    from portal.demo import load_all

    load_all()
    stored = {("contact", v) for v in db.session.execute(select(Contact.notice_version).distinct()).scalars()}
    stored |= {("reminders", v) for v in db.session.execute(
        select(Contact.reminders_notice_version).where(Contact.reminders_notice_version.is_not(None))
        .distinct()).scalars()}
    stored |= {("account_request", v)
               for v in db.session.execute(select(AccountRequest.notice_version).distinct()).scalars()}
    assert stored and [key for key in stored if notices.get(*key) is None] == []


def test_the_forms_show_the_current_text_beside_the_checkbox(client, login_as, commune):
    login_as("coordinator", province_code=NGHE_AN)
    text = notices.current("contact").paragraphs("vi")[0]
    page = client.get(f"/contacts/communes/{commune.code}").get_data(as_text=True)
    assert text in page and page.index(text) < page.index('name="accept_notice"')
    assert text in client.get("/contacts/import").get_data(as_text=True)
    page = client.get("/accounts/").get_data(as_text=True)
    assert notices.current("account_request").paragraphs("vi")[0] in page


def test_an_import_needs_the_coordinators_confirmation_of_the_notice(client, login_as, db):
    import io

    login_as("coordinator", province_code=NGHE_AN)
    response = client.post("/contacts/import", data={
        "file": (io.BytesIO("Đơn vị,Họ và tên,Số điện thoại,Email\n".encode()), "x.csv"), "kind": "commune",
        "province_code": NGHE_AN})
    assert response.status_code == 200 and 'id="accept_notice-error"' in response.get_data(as_text=True)


def test_my_data_shows_each_consent_with_the_text_of_its_version(client, me, db):
    user, contact = me
    contact.notice_version = "2026-01"  # accepted before the current text was published
    db.session.commit()
    start_session(client, user)
    page = client.get("/me/data/").get_data(as_text=True)
    section = page[page.index('id="consents"'):]
    assert notices.get("contact", "2026-01").paragraphs("vi")[0] in section
    assert "Đăng ký cán bộ đầu mối" in section and "Thư nhắc lịch tập huấn" in section and "2026-01" in section
    assert section.count(">Rút lại sự đồng ý</button>") == 2  # the registration's and the reminders'


def test_an_unknown_version_is_said_so_on_the_page(client, me, db):
    user, contact = me
    contact.notice_version = "1999-01"
    db.session.commit()
    start_session(client, user)
    assert "Không tìm thấy nội dung của phiên bản 1999-01" in client.get("/me/data/").get_data(as_text=True)


def test_withdrawing_erases_the_cccd_records_the_history_and_audits_without_the_value(client, me, db):
    user, contact = me
    start_session(client, user)
    response = client.post(f"/me/data/consents/contacts/{contact.id}/withdraw")
    assert response.status_code == 302 and response.location.endswith("#consents")
    db.session.expire_all()
    contact = db.session.get(Contact, contact.id)
    assert contact.cccd is None and contact.consent_withdrawn_at is not None
    change = db.session.execute(select(ContactChange).where(ContactChange.action == "withdraw")).scalar_one()
    assert change.changes == {"cccd": ["set", "erased"]} and change.changed_by_id == user.id
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "mydata.withdraw")).scalar_one()
    assert event.target == f"contact:{contact.id}" and CCCD not in (event.detail or "")
    assert all(CCCD not in str(c.changes) for c in db.session.execute(select(ContactChange)).scalars())
    page = client.get("/me/data/").get_data(as_text=True)
    assert "đã rút lại lúc" in page and "Đồng ý lại" in page


def test_a_withdrawn_cccd_cannot_be_entered_again_until_the_person_consents_anew(client, me, db):
    user, contact = me
    start_session(client, user)
    client.post(f"/me/data/consents/contacts/{contact.id}/withdraw")
    db.session.expire_all()
    contact = db.session.get(Contact, contact.id)
    seat = Seat.of_contact(contact)
    with pytest.raises(DomainError) as refused:
        save_seat(None, seat, factories.person(7, email=MY_EMAIL, cccd=CCCD), contact.version)
    assert refused.value.field == "cccd"  # refused before anything is written
    saved = save_seat(None, seat, factories.person(7, email=MY_EMAIL, position="Phó chủ tịch"),
                      db.session.get(Contact, contact.id).version)  # other fields still change
    assert saved.position == "Phó chủ tịch" and saved.cccd is None
    client.post(f"/me/data/consents/contacts/{contact.id}/give")
    db.session.expire_all()
    contact = db.session.get(Contact, contact.id)
    assert contact.consent_withdrawn_at is None and contact.notice_version == notices.current("contact").version
    assert save_seat(None, seat, factories.person(7, email=MY_EMAIL, position="Phó chủ tịch", cccd=CCCD),
                     contact.version).cccd == CCCD


def test_a_replacement_is_a_new_person_with_a_consent_of_their_own(me, db):
    _user, contact = me
    contact.consent_withdrawn_at = contact.reminders_withdrawn_at = contact.consent_at
    db.session.commit()
    replaced = save_seat(None, Seat.of_contact(contact), factories.person(9, cccd="040188005678"), contact.version,
                         is_replacement=True)
    assert replaced.cccd == "040188005678" and replaced.consent_withdrawn_at is None
    assert replaced.reminders_withdrawn_at is None


def reminded(at: str) -> list[str]:
    before = db_recipients()
    run_job("session_reminders", datetime.fromisoformat(at).replace(tzinfo=VN))
    return db_recipients()[len(before):]


def db_recipients() -> list[str]:
    from portal.core.extensions import db
    return db.session.execute(select(OutboxMessage.recipient).order_by(OutboxMessage.id)).scalars().all()


def test_withdrawing_reminders_stops_them_to_that_address_only_and_giving_again_restarts_them(
        client, me, db, make_session):
    user, contact = me
    communes = db.session.execute(select(Commune).where(
        Commune.province_code == NGHE_AN, Commune.code != contact.commune_code).order_by(Commune.code).limit(2)).scalars()
    others = [save_seat(None, Seat.of_commune(c), factories.person(50 + n), None) for n, c in enumerate(communes)]
    monday = make_session(day="2026-01-19")
    enrol(None, monday, [contact, *others])
    start_session(client, user)
    assert client.post("/me/data/consents/reminders/withdraw").status_code == 302
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "mydata.withdraw")).scalar_one()
    assert event.detail == "reminders"
    assert sorted(reminded("2026-01-16T14:00")) == sorted(o.email for o in others)
    assert "Thư nhắc lịch tập huấn" in client.get("/me/data/").get_data(as_text=True)
    client.post("/me/data/consents/reminders/give")
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).reminders_notice_version == notices.current("reminders").version
    tuesday = make_session(day="2026-01-20")
    enrol(None, tuesday, [contact])
    assert reminded("2026-01-19T14:00") == [MY_EMAIL]


def test_someone_elses_consent_answers_404(client, me, db):
    _user, contact = me
    stranger = factories.create_user("commune_admin", commune_code=factories.first_commune(factories.HA_NOI).code,
                                     email="khac@hanoi.gov.vn")
    start_session(client, stranger)
    assert client.post(f"/me/data/consents/contacts/{contact.id}/withdraw").status_code == 404
    assert client.post(f"/me/data/consents/contacts/{contact.id}/give").status_code == 404
    assert client.post("/me/data/consents/reminders/withdraw").status_code == 404  # no entry of theirs
    assert client.post("/me/data/consents/contacts/999999/withdraw").status_code == 404
    assert db.session.get(Contact, contact.id).cccd == CCCD


def test_an_account_request_shows_its_text_and_why_it_cannot_be_withdrawn(client, db):
    user = factories.create_user("commune_admin", email=MY_EMAIL)
    add_request(factories.create_user("coordinator"), {"full_name": "Trần Thị Mình", "unit": "UBND xã",
                                                       "phone": "0912345678", "email": MY_EMAIL,
                                                       "cccd": "040188009876", "procedures": ""})
    start_session(client, user)
    page = client.get("/me/data/").get_data(as_text=True)
    section = page[page.index('id="consents"'):]
    assert notices.current("account_request").paragraphs("vi")[0] in section
    assert "Không rút lại được" in section and ">Rút lại sự đồng ý</button>" not in section


IMPORT_CSV = "Đơn vị,Họ và tên,Số điện thoại,Email\n{unit},Phan Văn Một,0912000001,mot@xa.vn\n"


def test_an_import_saves_under_the_version_confirmed_at_upload_or_not_at_all(db, monkeypatch):
    from portal.contacts import imports
    from portal.units.models import Province

    user = factories.create_user("coordinator")
    province = db.session.get(Province, NGHE_AN)
    csv = IMPORT_CSV.format(unit=factories.first_commune(NGHE_AN).code).encode()
    pending = imports.start_import(user, province, "commune", "x.csv", csv)
    assert pending.notice_version == notices.current("contact").version
    monkeypatch.setitem(notices.CURRENT, "contact", "2026-01")  # a new text published before the confirmation
    with pytest.raises(DomainError):
        imports.apply_import(user, pending)
    assert db.session.execute(select(Contact)).first() is None
    pending = imports.start_import(user, province, "commune", "x.csv", csv)
    imports.apply_import(user, pending)
    assert db.session.execute(select(Contact.notice_version)).scalar_one() == "2026-01"


def test_the_command_line_import_needs_the_notice_confirmed(runner, db, tmp_path):
    factories.create_user("admin")
    path = tmp_path / "x.csv"
    path.write_text(IMPORT_CSV.format(unit=factories.first_commune(NGHE_AN).code), encoding="utf-8")
    refused = runner.invoke(args=["contacts", "import", str(path), "--province", str(NGHE_AN)])
    assert refused.exit_code != 0 and "--notice-accepted" in refused.output
    assert db.session.execute(select(Contact)).first() is None
    accepted = runner.invoke(args=["contacts", "import", str(path), "--province", str(NGHE_AN), "--notice-accepted"])
    assert accepted.exit_code == 0, accepted.output
    assert db.session.execute(select(Contact.notice_version)).scalar_one() == notices.current("contact").version


def test_the_copy_of_my_data_carries_each_consent_with_its_words(me, db):
    from portal.privacy import mydata
    from portal.privacy.export import documents

    user, contact = me
    consents = documents(mydata.gather(user))["consents.json"]
    assert [c["purpose"] for c in consents] == ["contact", "reminders"]
    assert consents[0]["contact_id"] == contact.id and consents[0]["withdrawn_at"] is None
    assert consents[0]["text"]["vi"] == notices.current("contact").text.vi
