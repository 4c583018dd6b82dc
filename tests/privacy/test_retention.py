"""Retention that runs by itself: each rule removes exactly what its dry run listed, nothing before its time, the
files with the rows; every run is recorded with counts, and audited without the values."""
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from portal.accounts.models import AccountRequest
from portal.accounts.services import add_request
from portal.audit.models import AuditEvent
from portal.contacts.models import Contact
from portal.contacts.services import Seat
from portal.core.models_base import utcnow
from portal.core.queue import Daily
from portal.jobs.services import JOBS, run_job
from portal.privacy import retention
from portal.privacy.anonymise import erased_name
from portal.privacy.export import documents
from portal.privacy.models import RetentionRun
from portal.privacy.mydata import gather
from portal.support.models import Ticket, TicketAttachment
from portal.support.services import attachment_key, create_ticket, respond
from portal.training.enrolment import enrol, mark_attendance
from portal.training.models import Enrolment
from tests import factories
from tests.conftest import install_store, start_session

NOW = datetime(2026, 12, 3, 3, 0, tzinfo=timezone.utc)
VIETNAM = timezone(timedelta(hours=7))
CCCD = {29: "040188000029", 31: "040188000031", 400: "040188000400", "refused": "040188000777",
        "open": "040188000888"}


@pytest.fixture
def store(request, app, tmp_path, monkeypatch):
    """The local folder by default; the S3 server for tests that ask for it with indirect parametrization."""
    return install_store(getattr(request, "param", "local"), request, app, tmp_path, monkeypatch)


@pytest.fixture
def coordinator(db):
    return factories.create_user("coordinator", full_name="Điều Phối Nghệ An")


def account_request(db, coordinator, cccd: str, status: str, decided_at: datetime | None, email: str = ""):
    request = add_request(coordinator, {"full_name": f"Người Xin {cccd[-3:]}", "unit": "UBND xã", "phone": "0912000111",
                                        "email": email or f"xin{cccd[-3:]}@nghean.gov.vn", "cccd": cccd,
                                        "procedures": ""})
    request.status, request.decided_at = status, decided_at
    db.session.commit()
    return request


@pytest.fixture
def requests(db, coordinator):
    """Granted 29, 31 and 400 days ago, refused 31 days ago, and one still waiting (asked for long ago)."""
    return {
        29: account_request(db, coordinator, CCCD[29], "granted", NOW - timedelta(days=29)),
        31: account_request(db, coordinator, CCCD[31], "granted", NOW - timedelta(days=31)),
        400: account_request(db, coordinator, CCCD[400], "granted", NOW - timedelta(days=400)),
        "refused": account_request(db, coordinator, CCCD["refused"], "refused", NOW - timedelta(days=31)),
        "open": account_request(db, coordinator, CCCD["open"], "requested", None),
    }


def close(db, ticket: Ticket, days_ago: int | None) -> None:
    ticket.status = "closed" if days_ago is not None else "in_progress"
    ticket.closed_at = NOW - timedelta(days=days_ago) if days_ago is not None else None
    db.session.commit()


@pytest.fixture
def tickets(db, store, admin):
    """An open ticket, one closed 10 days ago and one closed 200 days ago (a file on the ticket and one on a reply),
    each with files in the store."""
    reporter = factories.create_user("commune_admin", full_name="Người Báo Lỗi")
    made = {}
    for name, days_ago in (("open", None), ("recent", 10), ("old", 200)):
        ticket = create_ticket(reporter, 1, f"Phiếu {name}", "Không ký số được", "normal",
                               files=[(f"anh-{name}.png", factories.png_image(20, 10))])
        respond(admin, ticket, "Gửi lại ảnh giúp.", files=[(f"tra-loi-{name}.png", factories.png_image(30, 10))])
        close(db, ticket, days_ago)
        made[name] = ticket
    return made


def keys_of(ticket: Ticket) -> list[str]:
    return [attachment_key(item) for item in ticket.attachments]


# The CCCD of account requests ----------------------------------------------------------------------------------

def test_the_cccd_goes_30_days_after_the_decision_and_the_request_stays(db, requests):
    rule = retention.RULES["request_cccd"]
    listed = retention.due(rule, NOW)
    assert listed == {"account_request": sorted([requests[31].id, requests[400].id, requests["refused"].id])}
    outcome = retention.apply(rule, NOW)
    assert outcome.ids == listed
    db.session.expire_all()
    erased = {row.id for row in db.session.execute(select(AccountRequest).where(AccountRequest.cccd.is_(None))).scalars()}
    assert erased == set(listed["account_request"])
    assert db.session.get(AccountRequest, requests[29].id).cccd == CCCD[29]  # day 29: kept
    assert db.session.get(AccountRequest, requests["open"].id).cccd == CCCD["open"]  # not decided: kept
    assert db.session.get(AccountRequest, requests[31].id).full_name == "Người Xin 031"  # the row stays
    assert db.session.scalar(select(func.count()).select_from(AccountRequest)) == 5
    assert retention.due(rule, NOW) == {}
    # Day 31 of the one granted 29 days ago: now it goes.
    assert retention.due(rule, NOW + timedelta(days=2)) == {"account_request": [requests[29].id]}


def test_the_cccd_rule_follows_its_setting(app, db, requests, monkeypatch):
    monkeypatch.setitem(app.config, "RETENTION_CCCD_DAYS", 28)
    assert requests[29].id in retention.due(retention.RULES["request_cccd"], NOW)["account_request"]


def test_pages_and_copies_say_an_erased_cccd_was_erased(client, db, requests, coordinator):
    retention.apply(retention.RULES["request_cccd"], NOW)
    erased_person = requests["open"]  # as erasure leaves a request: no e-mail, no CCCD, and a name that says so
    erased_person.email, erased_person.cccd = "", None
    db.session.commit()
    start_session(client, coordinator)
    page = client.get("/accounts/").get_data(as_text=True)
    assert "đã xoá theo thời hạn lưu trữ" in page and "********0029" in page and "********0031" not in page
    assert page.count("đã xoá theo thời hạn lưu trữ") == 3  # 31, 400 and refused; not the erased person's
    start_session(client, factories.create_user("admin"))
    page = client.get("/accounts/").get_data(as_text=True)
    assert "đã xoá theo thời hạn lưu trữ" in page and CCCD[29] in page and CCCD[31] not in page
    viewed = db.session.execute(select(AuditEvent.detail).where(AuditEvent.action == "account_request.cccd_view")
                                ).scalar_one()
    assert f"{requests[31].id}" not in viewed.removeprefix("ids=").split(",")  # an erased one is no view
    person = factories.create_user("commune_admin", email="xin031@nghean.gov.vn")
    start_session(client, person)
    page = client.get("/me/data/").get_data(as_text=True)
    assert "đã xoá theo thời hạn lưu trữ" in page
    copy = documents(gather(person))["account_requests.json"]
    assert copy == [{**copy[0], "cccd": None, "cccd_erased": True}]


# Focal contacts ------------------------------------------------------------------------------------------------

def test_contacts_are_kept_through_the_last_day_and_anonymised_after_it(db, commune_contacts, department, register,
                                                                        make_session, admin):
    contacts = commune_contacts(3) + [register(Seat.of_department(department, 1), 901)]
    session = make_session()
    enrol(admin, session, contacts[:3])
    enrolments = db.session.execute(select(Enrolment).where(Enrolment.session_id == session.id)).scalars().all()
    mark_attendance(session, {enrolments[0].id: "present", enrolments[1].id: "absent"})
    attendance = dict(db.session.execute(select(Enrolment.attendance, func.count()).group_by(Enrolment.attendance)).all())
    rule = retention.RULES["contacts"]
    last_moment = datetime(2026, 12, 31, 23, 59, 59, tzinfo=VIETNAM)
    assert retention.due(rule, last_moment) == {}
    before = retention.apply(rule, last_moment)
    assert before.run.removed == 0 and db.session.scalar(select(func.count()).where(Contact.email == "")) == 0
    after = datetime(2027, 1, 1, 0, 0, tzinfo=VIETNAM)
    listed = retention.due(rule, after)
    assert listed == {"contact": sorted(c.id for c in contacts)}
    assert retention.apply(rule, after).ids == listed
    db.session.expire_all()
    for contact in db.session.execute(select(Contact)).scalars():
        assert contact.full_name == erased_name(contact.id) and contact.email == contact.phone == ""
    assert dict(db.session.execute(select(Enrolment.attendance, func.count()).group_by(Enrolment.attendance)).all()
                ) == attendance
    assert retention.due(rule, after) == {}  # anonymised contacts are not listed again


def test_the_ministry_extends_the_contacts_date_by_configuration(app, db, commune_contacts, monkeypatch):
    commune_contacts(1)
    rule = retention.RULES["contacts"]
    assert retention.due(rule, datetime(2027, 1, 2, tzinfo=VIETNAM))
    monkeypatch.setitem(app.config, "RETENTION_CONTACTS_UNTIL", "2027-06-30")
    assert retention.due(rule, datetime(2027, 1, 2, tzinfo=VIETNAM)) == {}
    assert retention.due(rule, datetime(2027, 7, 1, tzinfo=VIETNAM))


# Attachments of closed tickets ---------------------------------------------------------------------------------

@pytest.mark.parametrize("store", ["local", "s3"], indirect=True)
def test_attachments_of_tickets_closed_long_ago_go_with_their_files(db, store, tickets):
    old_keys = keys_of(tickets["old"])
    kept_keys = keys_of(tickets["open"]) + keys_of(tickets["recent"])
    assert all(store.exists(key) for key in old_keys + kept_keys)
    rule = retention.RULES["ticket_attachments"]
    listed = retention.due(rule, NOW)
    assert listed == {"ticket_attachment": sorted(item.id for item in tickets["old"].attachments)}
    assert retention.apply(rule, NOW).ids == listed
    db.session.expire_all()
    left = set(db.session.execute(select(TicketAttachment.id)).scalars())
    assert left == {item.id for name in ("open", "recent") for item in db.session.get(Ticket, tickets[name].id).attachments}
    assert not any(store.exists(key) for key in old_keys)
    assert all(store.exists(key) for key in kept_keys)
    assert len(db.session.get(Ticket, tickets["old"].id).messages) == 1  # the thread stays


def test_a_ticket_closed_less_than_the_period_ago_keeps_its_files(app, db, tickets, monkeypatch):
    rule = retention.RULES["ticket_attachments"]
    monkeypatch.setitem(app.config, "RETENTION_TICKET_ATTACHMENT_DAYS", 201)
    assert retention.due(rule, NOW) == {}
    monkeypatch.setitem(app.config, "RETENTION_TICKET_ATTACHMENT_DAYS", 9)
    assert set(retention.due(rule, NOW)["ticket_attachment"]) == {
        item.id for name in ("recent", "old") for item in tickets[name].attachments}


def test_a_file_the_store_cannot_delete_now_is_left_to_the_sweep(db, store, tickets, monkeypatch, caplog):
    def unreachable(key):
        raise ConnectionError("store down")

    monkeypatch.setattr(store, "delete", unreachable)
    outcome = retention.apply(retention.RULES["ticket_attachments"], NOW)
    assert outcome.run.removed == 2 and "storage sweep" in caplog.text
    assert db.session.scalar(select(func.count()).select_from(TicketAttachment)) == 4


# Dry runs, the record of runs and the audit log ----------------------------------------------------------------

def test_a_dry_run_removes_nothing_and_the_run_after_it_removes_what_it_listed(db, requests, tickets):
    previews = retention.run_all(NOW, dry=True)
    assert [outcome.run.dry_run for outcome in previews] == [True, True, True]
    assert db.session.scalar(select(func.count()).where(AccountRequest.cccd.is_(None))) == 0
    assert db.session.scalar(select(func.count()).select_from(TicketAttachment)) == 6
    runs = retention.run_all(NOW)
    assert [outcome.ids for outcome in runs] == [outcome.ids for outcome in previews]
    assert {run.rule: (run.dry_run, run.removed, run.counts) for run in db.session.execute(
        select(RetentionRun).where(RetentionRun.dry_run.is_(False))).scalars()} == {
        "request_cccd": (False, 3, {"account_request": 3}), "contacts": (False, 0, {}),
        "ticket_attachments": (False, 2, {"ticket_attachment": 2})}


def test_each_rule_that_removed_something_is_audited_with_ids_and_no_values(db, requests, tickets):
    retention.run_all(NOW)
    events = db.session.execute(select(AuditEvent).where(AuditEvent.action == "retention.run")
                                .order_by(AuditEvent.id)).scalars().all()
    assert [event.detail.split(":")[0] for event in events] == ["request_cccd", "ticket_attachments"]
    assert all(event.actor_id is None and event.target.startswith("retention_run:") for event in events)
    assert f"ids {requests[31].id}" in events[0].detail or f",{requests[31].id}" in events[0].detail
    text = json.dumps([(event.target, event.detail) for event in events])
    for value in [*CCCD.values(), "Người Xin", "@nghean.gov.vn", ".png", "anh-old"]:
        assert value not in text
    runs = json.dumps([run.counts for run in db.session.execute(select(RetentionRun)).scalars()])
    assert not any(value in runs for value in CCCD.values())


def test_a_long_list_of_ids_is_cut_visibly_in_the_audit_log_and_keeps_its_count():
    detail = retention.audit_detail(retention.RULES["contacts"], {"contact": list(range(1000, 1400))})
    assert len(detail) == 500 and detail.startswith("contacts: contact 400: ids 1000,1001,") and detail.endswith("…")


def test_the_command_lists_then_removes_with_ids(app, db, coordinator):
    request = account_request(db, coordinator, CCCD[31], "granted", utcnow() - timedelta(days=31))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["privacy", "retention", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["request_cccd: would remove 1", f"  account_request 1: {request.id}",
                                          "contacts: would remove nothing", "ticket_attachments: would remove nothing"]
    assert db.session.get(AccountRequest, request.id).cccd == CCCD[31]
    result = runner.invoke(args=["privacy", "retention"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == ["request_cccd: removed 1", f"  account_request 1: {request.id}"]
    db.session.expire_all()
    assert db.session.get(AccountRequest, request.id).cccd is None
    assert runner.invoke(args=["privacy", "retention"]).output.splitlines()[0] == "request_cccd: removed nothing"


def test_the_job_runs_every_rule_at_half_past_two_in_the_night(db, requests):
    job = JOBS["privacy_retention"]
    assert job.schedule == Daily(2, 30)
    state = run_job("privacy_retention", NOW)
    assert state.outcome == "ok" and state.detail == "request_cccd 3, contacts 0, ticket_attachments 0"


# The admin page ------------------------------------------------------------------------------------------------

def test_the_admin_sees_each_rule_what_would_go_the_next_run_and_the_last(client, db, login_as, coordinator):
    account_request(db, coordinator, CCCD[31], "granted", utcnow() - timedelta(days=31))
    retention.dry_run(retention.RULES["request_cccd"], utcnow())
    retention.apply(retention.RULES["ticket_attachments"], utcnow())
    login_as("admin")
    response = client.get("/privacy/retention/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "Thời hạn lưu trữ dữ liệu cá nhân" in page
    assert "Số CCCD trong yêu cầu cấp tài khoản được xoá 30 ngày" in page and "hết ngày 31/12/2026" in page
    assert "180 ngày sau khi phiếu được đóng" in page and "RETENTION_CONTACTS_UNTIL" in page
    assert "Yêu cầu cấp tài khoản (đã xoá CCCD): <strong>1</strong>" in page  # a run now, and the dry run
    assert page.count("Yêu cầu cấp tài khoản (đã xoá CCCD): <strong>1</strong>") == 2
    assert "Lần chạy thử gần nhất" in page and "chưa chạy" in page  # request_cccd never really ran
    assert "02:30" in page and 'href="/jobs/"' in page
    assert CCCD[31] not in page


def test_the_page_costs_the_same_queries_whatever_the_data(client, db, login_as, coordinator, count_queries,
                                                           commune_contacts, app, monkeypatch):
    monkeypatch.setitem(app.config, "RETENTION_CONTACTS_UNTIL", "2026-01-01")
    login_as("admin")
    account_request(db, coordinator, CCCD[31], "granted", utcnow() - timedelta(days=31))
    client.get("/privacy/retention/")
    with count_queries() as few:
        client.get("/privacy/retention/")
    for number in (29, 400, "refused"):
        account_request(db, coordinator, CCCD[number], "granted", utcnow() - timedelta(days=40))
    commune_contacts(4)
    retention.run_all(utcnow(), dry=True)
    retention.run_all(utcnow())
    with count_queries() as many:
        page = client.get("/privacy/retention/").get_data(as_text=True)
    assert "Cán bộ đầu mối (đã ẩn danh): <strong>4</strong>" in page
    assert len(many) == len(few)


@pytest.mark.parametrize("role", ("coordinator", "commune_admin", "agent", "viewer"))
def test_only_admins_see_the_retention_page(client, login_as, role):
    login_as(role)
    assert client.get("/privacy/retention/").status_code == 403


def test_the_register_links_to_the_retention_page(client, login_as):
    login_as("admin")
    assert 'href="/privacy/retention/"' in client.get("/privacy/register/").get_data(as_text=True)
