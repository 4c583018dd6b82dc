"""Requests about personal data: the legal clock in working days, the public form that reveals nothing and writes
only to the address on record, the one-time link, the admins' queue, the warnings, and what a restriction stops."""
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from portal import create_app
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.contacts.services import Seat, save_seat
from portal.core.extensions import db as database
from portal.core.models_base import utcnow
from portal.jobs.services import run_job
from portal.mail.models import OutboxMessage
from portal.privacy import requests
from portal.privacy.models import PrivacyRequest
from portal.privacy.restrictions import restricted_emails
from portal.training.enrolment import enrol
from tests import factories
from tests.conftest import config_for_tests

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CONTACT_EMAIL = "dau.moi@xa.nghean.gov.vn"
CONTACT_PHONE = "0912 345 678"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


@pytest.fixture
def clock_at(app, monkeypatch):
    """Stand the portal's clock on a Vietnam time."""
    return lambda text: monkeypatch.setitem(app.config, "CLOCK_NOW", at(text).isoformat())


@pytest.fixture
def contact(db, commune):
    return save_seat(None, Seat.of_commune(commune), factories.person(7, email=CONTACT_EMAIL, phone=CONTACT_PHONE),
                     None)


def mails(db, recipient: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if recipient is not None:
        query = query.where(OutboxMessage.recipient == recipient)
    return list(db.session.execute(query).scalars())


def link_in(message: OutboxMessage) -> str:
    return re.search(r"https://portal\.test(/privacy/requests/verify/\S+)", message.body).group(1)


def received(db, email: str, kind: str = "restriction", when: str = "2026-01-12T09:00",
             status: str = "received") -> PrivacyRequest:
    """A request received at a Vietnam time, its deadlines counted as the service counts them."""
    request = PrivacyRequest(kind=kind, email=email)
    requests.start_clock(request, at(when))
    request.status = status
    db.session.add(request)
    db.session.commit()
    return request


# The legal clock ------------------------------------------------------------------------------------------------

def test_a_request_on_the_friday_before_a_holiday_counts_working_days_only(app, db, clock_at):
    assert "2026-04-27" in app.config["NON_WORKING_DAYS"] and "2026-04-30" in app.config["NON_WORKING_DAYS"]
    clock_at("2026-04-24T16:30")  # Friday; Monday 27/04 is the Hùng Kings' day, 30/04 and 01/05 holidays too
    user = factories.create_user("commune_admin", email="xa@nghean.gov.vn")
    request = requests.file_for_account(user, "erasure", "Xin xoá dữ liệu")
    assert (request.status, request.ack_due, request.due) == ("received", date(2026, 4, 29), date(2026, 5, 20))


def test_a_request_on_new_years_eve_runs_into_2027(app, db, clock_at):
    assert "2027-01-01" in app.config["NON_WORKING_DAYS"]
    clock_at("2026-12-31T10:00")
    request = requests.file_for_account(factories.create_user("trainer"), "objection", "")
    assert (request.ack_due, request.due) == (date(2027, 1, 5), date(2027, 1, 22))


def test_the_day_is_vietnams_not_utcs(db, clock_at):
    clock_at("2027-01-01T03:00")  # 20:00 UTC on 31/12, but New Year's Day in Vietnam
    request = requests.file_for_account(factories.create_user("trainer"), "objection", "")
    assert request.ack_due == date(2027, 1, 5) and request.due == date(2027, 1, 22)


def test_the_clock_is_near_at_80_percent_then_overdue(db):
    request = received(db, "a@test.vn")  # Monday 12/01/2026: acknowledge by 14/01, complete by 02/02
    assert (request.ack_due, request.due) == (date(2026, 1, 14), date(2026, 2, 2))
    first = requests.legal_clock(request, date(2026, 1, 12))
    assert (first.ack.state, first.ack.days_left, first.due.state, first.state) == ("ok", 2, "ok", "ok")
    assert requests.legal_clock(request, date(2026, 1, 13)).ack.state == "ok"  # 1 of 2 working days: 50 %
    on_the_day = requests.legal_clock(request, date(2026, 1, 14))
    assert (on_the_day.ack.state, on_the_day.ack.days_left, on_the_day.state) == ("near", 0, "near")
    late = requests.legal_clock(request, date(2026, 1, 15))
    assert (late.ack.state, late.ack.days_left, late.state) == ("overdue", -1, "overdue")
    assert requests.legal_clock(request, date(2026, 1, 26)).due.state == "ok"  # 10 of 15
    assert requests.legal_clock(request, date(2026, 1, 28)).due.state == "near"  # 12 of 15: 80 %
    assert requests.legal_clock(request, date(2026, 2, 3)).due.days_left == -1
    request.acknowledged_at = at("2026-01-13T10:00")
    acknowledged = requests.legal_clock(request, date(2026, 1, 20))
    assert (acknowledged.ack.state, acknowledged.due.state, acknowledged.state) == ("met", "ok", "ok")
    request.status = "done"
    assert requests.legal_clock(request, date(2026, 3, 1)).state == "met"
    assert requests.legal_clock(PrivacyRequest(kind="erasure", status="unverified"), date(2026, 1, 12)) is None


# Filing signed in -----------------------------------------------------------------------------------------------

def test_a_person_files_once_per_kind_and_is_told_the_dates(client, db, login_as):
    user = login_as("commune_admin")
    response = client.post("/me/data/requests", data={"kind": "restriction", "detail": "Không nhận nhắc lịch"})
    assert response.status_code == 302 and response.location.endswith("#data-requests")
    client.post("/me/data/requests", data={"kind": "restriction", "detail": "Bấm lần hai"})
    filed = db.session.execute(select(PrivacyRequest)).scalars().all()
    assert len(filed) == 1 and filed[0].detail == "Không nhận nhắc lịch" and filed[0].user_id == user.id
    sent = mails(db, user.email)
    assert len(sent) == 1 and filed[0].reference in sent[0].subject
    assert "14/01/2026" in sent[0].body and "02/02/2026" in sent[0].body
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "privacy_request.file")) == 1
    page = client.get("/me/data/").get_data(as_text=True)
    assert "Yêu cầu về dữ liệu" in page and filed[0].reference in page and "02/02/2026" in page
    client.post("/me/data/requests", data={"kind": "erasure"})
    assert db.session.scalar(select(func.count()).select_from(PrivacyRequest)) == 2


def test_the_database_holds_one_open_request_per_person_and_kind(db):
    received(db, "a@test.vn", kind="erasure")
    second = PrivacyRequest(kind="erasure", email="a@test.vn", status="received")
    assert requests.add_received(second) is None  # the partial unique index: a race cannot open two
    received(db, "a@test.vn", kind="erasure", status="done")  # closed ones are not counted
    assert db.session.scalar(select(func.count()).select_from(PrivacyRequest)) == 2


def test_a_bad_kind_is_refused_on_the_form(client, db, login_as):
    login_as("commune_admin")
    assert client.post("/me/data/requests", data={"kind": "everything"}).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(PrivacyRequest)) == 0


def test_a_person_sees_only_their_own_requests(client, db, login_as):
    received(db, "someone.else@test.vn")
    user = login_as("commune_admin")
    mine = received(db, user.email, kind="correction")
    page = client.get("/me/data/").get_data(as_text=True)
    assert mine.reference in page and "someone.else@test.vn" not in page
    assert page.count("DLCN-") == 1


# The public form --------------------------------------------------------------------------------------------------

def test_the_public_form_answers_the_same_whether_the_address_is_on_record(client, db, contact):
    known = client.post("/privacy/requests/new", data={"email": CONTACT_EMAIL, "kind": "erasure", "detail": ""})
    unknown = client.post("/privacy/requests/new", data={"email": "khong.co@test.vn", "kind": "erasure",
                                                         "detail": ""})
    assert (known.status_code, known.location) == (unknown.status_code, unknown.location) == (
        302, "/privacy/requests/sent")
    assert known.get_data() == unknown.get_data()
    first, second = client.get(known.location), client.get(unknown.location)
    assert first.get_data() == second.get_data() and "Kiểm tra thư" in first.get_data(as_text=True)
    assert first.headers["Cache-Control"] == "no-store"
    assert [m.recipient for m in mails(db)] == [CONTACT_EMAIL]
    assert db.session.execute(select(PrivacyRequest.email, PrivacyRequest.status)).all() == [
        (CONTACT_EMAIL, "unverified")]


def test_a_phone_on_record_sends_the_link_to_the_e_mail_on_record_only(client, db, contact):
    client.post("/privacy/requests/new", data={"email": "nguoi.la@example.vn", "phone": "+84 912.345.678",
                                               "kind": "objection", "detail": ""})
    assert [m.recipient for m in mails(db)] == [CONTACT_EMAIL]
    request = db.session.execute(select(PrivacyRequest)).scalar_one()
    assert (request.email, request.phone) == (CONTACT_EMAIL, "+84912345678")


def test_a_user_and_an_account_request_are_on_record_too(db):
    factories.create_user("trainer", email="gv@test.vn")
    requests.file_public("GV@test.vn", "", "correction", "")
    coordinator = factories.create_user("coordinator")
    from portal.accounts.services import add_request
    add_request(coordinator, {"full_name": "Cán Bộ", "unit": "UBND", "phone": "0987 654 321",
                              "email": "can.bo@test.vn", "cccd": "040099887766", "procedures": ""})
    requests.file_public("", "0987654321", "erasure", "")
    assert [m.recipient for m in mails(db) if "/privacy/requests/verify/" in m.body] == ["gv@test.vn",
                                                                                          "can.bo@test.vn"]


def test_the_public_form_needs_an_e_mail_or_a_phone(client, db):
    response = client.post("/privacy/requests/new", data={"kind": "erasure"})
    assert response.status_code == 422 and "Nhập địa chỉ email hoặc số điện thoại" in response.get_data(
        as_text=True)
    assert client.post("/privacy/requests/new", data={"phone": "12", "kind": "erasure"}).status_code == 422


def test_the_link_works_once_then_answers_404(client, db, contact, clock_at):
    clock_at("2026-04-24T09:00")
    client.post("/privacy/requests/new", data={"email": CONTACT_EMAIL, "kind": "erasure", "detail": "Xoá hết"})
    link = link_in(mails(db, CONTACT_EMAIL)[0])
    page = client.get(link)
    assert page.status_code == 200 and "Xoá hết" in page.get_data(as_text=True)
    assert db.session.execute(select(PrivacyRequest.status)).scalar_one() == "unverified"  # a GET writes nothing
    confirmed = client.post(link)
    assert confirmed.status_code == 200 and "29/04/2026" in confirmed.get_data(as_text=True)
    request = db.session.execute(select(PrivacyRequest)).scalar_one()
    assert (request.status, request.token_hash, request.ack_due, request.due) == (
        "received", None, date(2026, 4, 29), date(2026, 5, 20))
    assert len(mails(db, CONTACT_EMAIL)) == 2  # the link, then "received" with the dates
    again = client.get(link)
    assert again.status_code == 404 and "đã được dùng" in again.get_data(as_text=True)
    assert client.post(link).status_code == 404
    assert client.get("/privacy/requests/verify/not-a-token").status_code == 404


def test_an_expired_link_writes_nothing(client, db, contact):
    requests.file_public(CONTACT_EMAIL, "", "restriction", "")
    link = link_in(mails(db, CONTACT_EMAIL)[0])
    request = db.session.execute(select(PrivacyRequest)).scalar_one()
    request.token_expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.post(link).status_code == 404
    assert (request.status, request.received_at) == ("unverified", None)
    assert len(mails(db)) == 1
    run_job("privacy_deadlines", utcnow())
    assert db.session.scalar(select(func.count()).select_from(PrivacyRequest)) == 0


def test_a_newer_form_replaces_the_older_link(client, db, contact):
    requests.file_public(CONTACT_EMAIL, "", "restriction", "")
    requests.file_public("", CONTACT_PHONE, "restriction", "")  # SQLite may give the new row the old one's id
    assert db.session.scalar(select(func.count()).select_from(PrivacyRequest)) == 1
    first, second = (link_in(message) for message in mails(db, CONTACT_EMAIL))
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200


def test_a_link_to_a_kind_already_open_returns_the_open_request(client, db, contact):
    open_one = received(db, CONTACT_EMAIL, kind="restriction")
    requests.file_public(CONTACT_EMAIL, "", "restriction", "")
    assert requests.verify(link_in(mails(db, CONTACT_EMAIL)[0]).rsplit("/", 1)[1]) == open_one
    assert db.session.scalar(select(func.count()).select_from(PrivacyRequest)) == 1


def test_the_public_form_is_rate_limited(database_uri):
    """On an app of its own with limits on; unknown addresses, so nothing is written to the shared database."""
    app = create_app({**config_for_tests(database_uri), "RATELIMIT_ENABLED": True,
                      "PASSWORD_RESET_LIMIT_PER_ADDRESS": "2 per 10 minutes"})
    client = app.test_client()
    try:
        statuses = [client.post("/privacy/requests/new", data={"email": f"khong{n}@test.vn", "kind": "erasure"}
                                ).status_code for n in range(3)]
    finally:
        with app.app_context():
            database.engine.dispose()
    assert statuses == [302, 302, 429]


# The admins' queue ------------------------------------------------------------------------------------------------

def test_only_admins_see_the_queue(client, db, login_as):
    request = received(db, "rieng.tu@test.vn")
    for path in ("/privacy/requests/", f"/privacy/requests/{request.id}"):
        assert client.get(path).status_code == 302  # to sign in
    for role in ("coordinator", "commune_admin", "viewer", "agent", "trainer"):
        login_as(role)
        for path in ("/privacy/requests/", f"/privacy/requests/{request.id}"):
            response = client.get(path)
            assert response.status_code == 403 and "rieng.tu@test.vn" not in response.get_data(as_text=True)
        assert client.post(f"/privacy/requests/{request.id}/acknowledge").status_code == 403
    login_as("admin")
    page = client.get("/privacy/requests/")
    assert page.status_code == 200 and "rieng.tu@test.vn" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"


def test_the_queue_filters_and_shows_the_state_in_words(client, db, login_as, clock_at):
    clock_at("2026-01-15T09:00")
    late = received(db, "tre@test.vn")  # received 12/01: acknowledgement was due 14/01
    near = received(db, "gan@test.vn", when="2026-01-13T09:00")  # due to be acknowledged today
    fresh = received(db, "moi@test.vn", when="2026-01-15T08:00")
    done = received(db, "xong@test.vn", status="done")
    login_as("admin")
    open_page = client.get("/privacy/requests/").get_data(as_text=True)
    assert all(r.reference in open_page for r in (late, near, fresh)) and done.reference not in open_page
    assert "quá hạn" in open_page and "sắp đến hạn" in open_page and "trễ 1 ngày làm việc" in open_page
    overdue = client.get("/privacy/requests/?status=overdue").get_data(as_text=True)
    assert late.reference in overdue and near.reference not in overdue and fresh.reference not in overdue
    assert done.reference in client.get("/privacy/requests/?status=all").get_data(as_text=True)


def test_the_queue_costs_the_same_queries_for_one_request_or_many(client, db, login_as, count_queries):
    login_as("admin")
    received(db, "mot@test.vn")
    with count_queries() as one:
        assert client.get("/privacy/requests/").status_code == 200
    for number in range(30):
        received(db, f"nguoi{number}@test.vn", kind=("erasure", "objection")[number % 2],
                 when=f"2026-01-{12 + number % 5}T09:00")
    with count_queries() as many:
        assert client.get("/privacy/requests/?status=all").status_code == 200
    assert len(many) == len(one)


@pytest.mark.parametrize("query", ["?page=0", "?page=-5", "?page=99999999999999999999", "?page=abc",
                                   "?status=<script>", "?status=all&page=2", "?status=%27;drop"])
def test_hostile_pages_and_filters_answer_200(client, db, login_as, query):
    login_as("admin")
    assert client.get(f"/privacy/requests/{query}").status_code == 200


def test_unknown_and_unverified_requests_answer_404(client, db, login_as, contact):
    login_as("admin")
    requests.file_public(CONTACT_EMAIL, "", "erasure", "")
    pending = db.session.execute(select(PrivacyRequest)).scalar_one()
    for path in (f"/privacy/requests/{pending.id}", "/privacy/requests/2147483647"):
        assert client.get(path).status_code == 404
    assert client.post(f"/privacy/requests/{pending.id}/complete", data={"answer": "x"}).status_code == 404
    assert client.get("/privacy/requests/99999999999").status_code == 404


def test_an_admin_acknowledges_refuses_and_completes(client, db, login_as):
    admin = login_as("admin")
    restriction = received(db, "han.che@test.vn")
    assert client.post(f"/privacy/requests/{restriction.id}/acknowledge").status_code == 302
    db.session.refresh(restriction)
    assert restriction.status == "acknowledged" and restriction.acknowledged_at is not None
    assert restriction.handled_by_id == admin.id
    missing = client.post(f"/privacy/requests/{restriction.id}/complete", data={"answer": " "})
    assert missing.status_code == 422 and "Ghi câu trả lời" in missing.get_data(as_text=True)
    assert client.post(f"/privacy/requests/{restriction.id}/complete",
                       data={"answer": "Đã ngừng gửi nhắc lịch."}).status_code == 302
    db.session.refresh(restriction)
    assert restriction.status == "done" and restriction.closed_at is not None
    assert restricted_emails(["Han.Che@test.vn", "khac@test.vn"]) == {"han.che@test.vn"}
    correction = received(db, "sua@test.vn", kind="correction")
    client.post(f"/privacy/requests/{correction.id}/refuse", data={"answer": "Thông tin đã đúng."})
    db.session.refresh(correction)
    assert correction.status == "refused" and correction.acknowledged_at is not None
    told = [m.subject for m in mails(db, "han.che@test.vn")]
    assert len(told) == 2 and "đang được xử lý" in told[0]
    assert "Thông tin đã đúng." in mails(db, "sua@test.vn")[0].body
    assert client.post(f"/privacy/requests/{correction.id}/complete", data={"answer": "x"}).status_code == 422


def test_an_erasure_is_previewed_then_approved(client, db, login_as, contact, count_queries):
    person = factories.create_user("commune_admin", email=CONTACT_EMAIL, full_name="Nguyễn Văn Thử 7")
    request = received(db, CONTACT_EMAIL, kind="erasure")
    request.user_id = person.id
    db.session.commit()
    login_as("admin")
    with count_queries() as statements:
        page = client.get(f"/privacy/requests/{request.id}").get_data(as_text=True)
    assert "Tài khoản được ẩn danh; không thể đăng nhập nữa" in page and "Thông tin đầu mối được ẩn danh" in page
    assert "Phê duyệt và xoá" in page and 'action="/privacy/requests/%d/complete"' % request.id not in page
    assert len(statements) < 30
    assert client.post(f"/privacy/requests/{request.id}/complete", data={"answer": "x"}).status_code == 422
    assert client.post(f"/privacy/requests/{request.id}/erase").status_code == 302
    db.session.refresh(request)
    db.session.refresh(person)
    assert request.status == "done" and request.email == "" and person.erased_at is not None
    assert db.session.execute(select(User.id).where(User.email == CONTACT_EMAIL)).first() is None
    assert client.post(f"/privacy/requests/{request.id}/erase").status_code == 404  # done: nothing to approve
    assert client.get(f"/privacy/requests/{request.id}").status_code == 200


def test_an_erasure_with_only_the_request_on_record_erases_the_request_s_copy(client, db, login_as):
    request = received(db, "khong.con@test.vn", kind="erasure")
    login_as("admin")
    assert "Phê duyệt và xoá" in client.get(f"/privacy/requests/{request.id}").get_data(as_text=True)
    assert client.post(f"/privacy/requests/{request.id}/erase").status_code == 302
    db.session.refresh(request)
    assert (request.status, request.email) == ("done", "") and request.email_hash


# The admin home and the warnings ----------------------------------------------------------------------------------

def test_the_admin_home_lists_requests_near_or_past_their_deadline(client, db, login_as, clock_at):
    clock_at("2026-01-15T09:00")
    late = received(db, "tre@test.vn")
    fresh = received(db, "moi@test.vn", when="2026-01-15T08:00")
    login_as("admin")
    page = client.get("/reports/").get_data(as_text=True)
    block = page.split('id="privacy-attention"', 1)[1].split("</section>", 1)[0]
    assert late.reference in block and fresh.reference not in block and "quá hạn" in block
    assert 'href="/privacy/requests/"' in block and "tre@test.vn" not in block
    login_as("viewer")
    assert 'id="privacy-attention"' not in client.get("/reports/").get_data(as_text=True)


def test_the_job_warns_the_admins_once_at_80_percent_and_once_when_overdue(db):
    admins = [factories.create_user("admin", email=f"qt{n}@bo.gov.vn") for n in range(2)]
    request = received(db, "nguoi@test.vn")  # 12/01: acknowledge by 14/01

    def warnings():
        return [m for m in mails(db) if m.dedupe_key and m.dedupe_key.startswith("privacy-deadline:")]

    run_job("privacy_deadlines", at("2026-01-13T10:00"))
    assert warnings() == []
    run_job("privacy_deadlines", at("2026-01-14T08:00"))
    run_job("privacy_deadlines", at("2026-01-14T09:00"))
    near = warnings()
    assert sorted(m.recipient for m in near) == [a.email for a in admins]
    assert request.reference in near[0].subject and "14/01/2026" in near[0].body
    run_job("privacy_deadlines", at("2026-01-15T09:00"))
    run_job("privacy_deadlines", at("2026-01-15T10:00"))
    assert len(warnings()) == 4 and "Quá hạn" in warnings()[-1].subject
    request.status, request.acknowledged_at = "acknowledged", at("2026-01-15T11:00")
    db.session.commit()
    run_job("privacy_deadlines", at("2026-01-27T09:00"))  # 11 of 15 working days
    assert len(warnings()) == 4
    state = run_job("privacy_deadlines", at("2026-01-28T09:00"))  # 12 of 15: the due date's turn
    assert state.outcome == "ok" and len(warnings()) == 6 and "02/02/2026" in warnings()[-1].body


# What a restriction stops -----------------------------------------------------------------------------------------

def test_a_restriction_stops_the_session_reminders(db, make_session, commune_contacts):
    monday = make_session(day="2026-01-19")
    people = commune_contacts(3)
    enrol(None, monday, people)
    received(db, people[0].email, kind="restriction", status="done")
    received(db, people[1].email, kind="objection", status="received")  # not carried out yet: still reminded
    received(db, people[2].email, kind="correction", status="done")  # a correction stops nothing
    before = len(mails(db))
    run_job("session_reminders", at("2026-01-16T14:00"))
    assert sorted(m.recipient for m in mails(db)[before:]) == sorted([people[1].email, people[2].email])


def test_an_objection_stops_the_deadline_reminders(db, commune):
    factories.create_user("coordinator", email="dp1@nghean.gov.vn")
    objecting = factories.create_user("coordinator", email="dp2@nghean.gov.vn")
    received(db, objecting.email, kind="objection", status="done")
    run_job("deadline_reminders", at("2026-01-07T08:00"))
    assert [m.recipient for m in mails(db)] == ["dp1@nghean.gov.vn"]


def test_restricted_emails_is_one_query(db, count_queries):
    received(db, "a@test.vn", status="done")
    with count_queries() as statements:
        assert restricted_emails([f"n{n}@test.vn" for n in range(50)] + ["A@test.vn"]) == {"a@test.vn"}
    assert len(statements) == 1
    assert restricted_emails([]) == set()


def test_the_form_links_are_on_the_notice_and_sign_in_pages(client, db):
    assert 'href="/privacy/requests/new"' in client.get("/privacy/notice/").get_data(as_text=True)
    login = client.get("/auth/login").get_data(as_text=True)
    assert "Chưa có tài khoản? Gửi yêu cầu về dữ liệu cá nhân" in login



def test_the_demo_has_a_request_near_its_deadline_for_the_dashboard(db):
    from portal.core import clock
    from portal.demo import load_all
    from portal.privacy.requests import needing_attention, vietnam_day

    load_all()
    today = vietnam_day(clock.now())
    near = needing_attention(today, 5)
    assert [(request.kind, state.state) for request, state in near] == [("correction", "near")]
    assert load_all()[1]["privacy_requests"] == 0  # loaded once
