"""Scheduled jobs: each sends what it should on its day, once, and the page and CLI show and run them."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from portal.core.queue import Daily, EveryMinutes
from portal.jobs.models import JobState
from portal.jobs.services import run_job
from portal.mail.models import OutboxMessage
from portal.support.models import ProvinceAgent, SupportAgent
from portal.support.services import create_ticket
from portal.training.enrolment import enrol
from tests import factories

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


def queued_to() -> list[str]:
    from portal.core.extensions import db
    return db.session.execute(select(OutboxMessage.recipient).order_by(OutboxMessage.id)).scalars().all()


def test_schedules_are_in_vietnam_time():
    eight = Daily(8, 0)
    assert eight.matches(at("2026-01-07T08:00")) and not eight.matches(at("2026-01-07T01:00"))
    assert eight.next_after(at("2026-01-07T08:00")) == at("2026-01-08T08:00")
    monday = Daily(8, 0, weekdays=(0,))
    assert monday.next_after(at("2026-01-07T09:00")) == at("2026-01-12T08:00")
    assert EveryMinutes(10).next_after(at("2026-01-07T08:03")) == at("2026-01-07T08:10")


def test_deadline_reminders_go_out_7_3_and_1_working_days_before_and_once(db, commune):
    factories.create_user("coordinator", province_code=factories.NGHE_AN, email="dp@nghean.gov.vn")
    days = {"2026-01-07": 1, "2026-01-08": 0, "2026-01-13": 1, "2026-01-15": 1, "2026-01-16": 0, "2026-01-10": 0}
    for day, expected in days.items():
        before = len(queued_to())
        state = run_job("deadline_reminders", at(f"{day}T08:00"))
        assert state.outcome == "ok" and len(queued_to()) - before == expected, (day, state.detail)
    run_job("deadline_reminders", at("2026-01-07T08:00"))  # run twice on a reminder day: nothing more
    assert queued_to() == ["dp@nghean.gov.vn"] * 3
    body = db.session.execute(select(OutboxMessage.body)).scalars().first()
    assert "16/01/2026" in body and commune.name in body and "Sở" in body


def test_session_reminders_reach_the_enrolled_the_working_day_before(db, make_session, commune_contacts):
    monday = make_session(day="2026-01-19")
    people = commune_contacts(2)
    enrol(None, monday, people)
    before = len(queued_to())
    assert run_job("session_reminders", at("2026-01-16T14:00")).outcome == "ok"  # Friday before Monday
    reminded = queued_to()[before:]
    assert sorted(reminded) == sorted(p.email for p in people)
    run_job("session_reminders", at("2026-01-16T14:00"))
    assert len(queued_to()) == before + 2
    assert run_job("session_reminders", at("2026-01-17T14:00")).detail == "not a working day"


def test_sla_warnings_at_80_percent_to_the_agent_and_the_backup_while_away(db):
    primary = factories.create_user("agent", email="chinh@bo.gov.vn")
    backup = factories.create_user("agent", email="phu@bo.gov.vn")
    db.session.add_all([ProvinceAgent(province_code=factories.NGHE_AN, role="primary", agent_id=primary.id),
                        ProvinceAgent(province_code=factories.NGHE_AN, role="backup", agent_id=backup.id),
                        SupportAgent(user_id=primary.id, is_away=False)])
    reporter = factories.create_user("commune_admin", province_code=factories.NGHE_AN,
                                     commune_code=factories.first_commune(factories.NGHE_AN).code)
    ticket = create_ticket(reporter, 1, "Không ký số được", "Lỗi chữ ký số khi trả kết quả", "urgent")
    ticket.created_at = at("2026-01-19T08:00")  # urgent: 2 working hours to a first response
    db.session.commit()
    before = len(queued_to())
    run_job("sla_warnings", at("2026-01-19T09:30"))
    assert queued_to()[before:] == []
    run_job("sla_warnings", at("2026-01-19T09:40"))  # 1 h 40 of 2 h
    assert queued_to()[before:] == ["chinh@bo.gov.vn"]
    db.session.get(SupportAgent, primary.id).is_away = True
    run_job("sla_warnings", at("2026-01-19T09:50"))
    assert queued_to()[before:] == ["chinh@bo.gov.vn", "phu@bo.gov.vn"]


def test_the_weekly_report_goes_to_admins_on_monday_with_the_workbook(db):
    admin = factories.create_user("admin", email="quantri@bo.gov.vn")
    state = run_job("weekly_report", at("2026-01-26T08:00"))
    assert state.outcome == "ok" and "2026-W04" in state.detail
    message = db.session.execute(select(OutboxMessage).where(OutboxMessage.recipient == admin.email)).scalar_one()
    assert message.attachment_name == "bao-cao-tuan-2026-W04.xlsx" and message.attachment[:2] == b"PK"
    run_job("weekly_report", at("2026-01-26T08:00"))
    assert len(queued_to()) == 1


def test_a_failing_job_is_recorded_as_failed(db, monkeypatch):
    from portal.jobs import services

    def broken(now):
        raise RuntimeError("hỏng")

    monkeypatch.setitem(services.JOBS, "weekly_report", services.JOBS["weekly_report"].__class__(
        "weekly_report", "x", Daily(8), broken))
    state = run_job("weekly_report")
    assert state.outcome == "failed" and "hỏng" in state.detail


def test_the_jobs_page_lists_each_job_and_queues_a_run(client, login_as, db):
    run_job("outbox_sweep")
    login_as("admin")
    page = client.get("/jobs/").get_data(as_text=True)
    for name in ("deadline_reminders", "session_reminders", "sla_warnings", "weekly_report", "outbox_sweep"):
        assert name in page
    assert client.post("/jobs/weekly_report/run").status_code == 302
    assert client.post("/jobs/no_such_job/run").status_code == 404


def test_the_cli_lists_and_runs_jobs(runner, db):
    result = runner.invoke(args=["jobs", "run", "outbox_sweep"])
    assert result.exit_code == 0 and "outbox_sweep: ok" in result.output
    assert db.session.get(JobState, "outbox_sweep").outcome == "ok"
    listing = runner.invoke(args=["jobs", "list"]).output
    assert "weekly_report" in listing and "next:" in listing


def test_two_workers_scheduling_the_same_minute_run_the_job_once(db, monkeypatch):
    """Each host's worker enqueues the periodic job; the first to claim the minute runs it, the other skips."""
    from portal.jobs import services

    runs = []
    monkeypatch.setitem(services.JOBS, "storage_sweep", services.Job(
        "storage_sweep", "test", EveryMinutes(60), lambda now: runs.append(now) or "ran"))
    first = services.run_scheduled("storage_sweep")
    second = services.run_scheduled("storage_sweep")
    assert first.outcome == "ok" and first.detail == "ran" and second is None and len(runs) == 1
    state = db.session.get(JobState, "storage_sweep")
    state.started_at = state.started_at.replace(second=0, microsecond=0) - timedelta(minutes=1)
    db.session.commit()
    assert services.run_scheduled("storage_sweep").outcome == "ok" and len(runs) == 2
