"""The training pages as trainers, coordinators, the ministry and the public use them."""
import io
import re
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.demo.plan import load_demo_plan
from portal.training import enrolment
from portal.training.models import Enrolment, TrainingSession
from portal.training.services import local_day
from tests import factories
from tests.conftest import start_session
from tests.factories import HA_NOI, NGHE_AN


def session_form(trainer_id, **overrides):
    data = {"title": "Tập huấn bổ sung", "audience": "commune", "mode": "online",
            "meeting_url": "https://hop.tthc.gov.vn/bo-sung", "day": "2026-01-20", "starts": "08:00",
            "ends": "11:30", "capacity": "40", "province_codes": [str(NGHE_AN)], "trainer_ids": [str(trainer_id)]}
    data.update(overrides)
    return data


def test_trainer_creates_a_session_and_is_warned_of_a_clash(client, login_as, db):
    trainer = login_as("trainer")
    response = client.post("/training/sessions/new", data=session_form(trainer.id))
    assert response.status_code == 302
    response = client.post("/training/sessions/new", data=session_form(trainer.id, starts="10:00", ends="12:00"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Người Thử" in page and 'class="flash warning"' in page
    assert db.session.scalar(select(func.count(TrainingSession.id))) == 1


def test_coordinator_enrols_all_and_trainer_marks_attendance(client, login_as, db, make_session, commune_contacts, trainer):
    session = make_session()
    commune_contacts(3)
    login_as("coordinator", province_code=NGHE_AN)
    assert client.post(f"/training/sessions/{session.id}/enrol", data={"all": "1"}).status_code == 302
    assert db.session.scalar(select(func.count(Enrolment.id))) == 3
    start_session(client, trainer)
    entries = db.session.execute(select(Enrolment).order_by(Enrolment.id)).scalars().all()
    data = {f"attendance-{entries[0].id}": "present", f"attendance-{entries[1].id}": "absent"}
    assert client.post(f"/training/sessions/{session.id}/roster", data=data).status_code == 302
    db.session.expire_all()
    assert [e.attendance for e in entries] == ["present", "absent", None]
    workbook = load_workbook(io.BytesIO(client.get(f"/training/sessions/{session.id}/roster.xlsx").data))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[3][1] == "Họ và tên" and {r[8] for r in rows[4:]} == {"Có mặt", "Vắng", None}
    assert db.session.execute(select(AuditEvent).where(AuditEvent.action == "training.roster_export")).scalar_one()


def test_public_plan_needs_no_account_and_shows_no_personal_data(client, db, make_session, commune_contacts, admin):
    session = make_session()
    people = commune_contacts(2)
    enrolment.enrol(admin, session, people)
    page = client.get("/training/public?week=2026-01-19").get_data(as_text=True)
    assert "Tập huấn quản trị hệ thống" in page and "Nghệ An" in page
    for contact in people:
        assert contact.email not in page and contact.full_name not in page
    assert "@" not in re.sub(r"<[^>]+>", "", page)


def test_cancelled_sessions_stay_struck_through(client, login_as, make_session):
    session = make_session()
    login_as("admin")
    client.post(f"/training/sessions/{session.id}/cancel", data={"reason": "Tỉnh đề nghị dời lịch", "confirmed": "yes"})
    page = client.get("/training/?week=2026-01-19").get_data(as_text=True)
    assert 'class="session cancelled"' in page and "Tỉnh đề nghị dời lịch" in page


def test_roles_and_provinces_are_kept_apart(client, login_as, db, make_session, commune_contacts, admin):
    session = make_session()
    enrolment.enrol(admin, session, commune_contacts(1))
    entry = db.session.execute(select(Enrolment)).scalar_one()
    login_as("coordinator", province_code=HA_NOI)
    assert client.post(f"/training/sessions/{session.id}/enrol", data={"all": "1"}).status_code == 403
    assert client.post(f"/training/enrolments/{entry.id}/withdraw").status_code == 404
    assert client.get(f"/training/sessions/{session.id}/roster").status_code == 403
    assert client.get(f"/training/sessions/{session.id}/edit").status_code == 403
    login_as("trainer")  # a trainer who does not train this session
    assert client.get(f"/training/sessions/{session.id}/edit").status_code == 403
    assert client.get(f"/training/sessions/{session.id}/roster.xlsx").status_code == 403


def test_the_plan_week_costs_a_constant_number_of_queries(client, login_as, make_session, count_queries):
    login_as("viewer")
    make_session()
    with count_queries() as few:
        assert client.get("/training/?week=2026-01-19").status_code == 200
    make_session(day="2026-01-21")
    make_session(day="2026-01-22")
    with count_queries() as more:
        assert client.get("/training/?week=2026-01-19").status_code == 200
    assert len(more) == len(few) <= 8


def test_demo_plan_covers_every_province_on_working_days_without_double_booking(db):
    trainers = [factories.create_user("trainer", email=f"gv{n}@test.vn") for n in range(6)]
    assert load_demo_plan(trainers) == 68
    sessions = db.session.execute(select(TrainingSession)).scalars().all()
    covered = {(p.code, s.audience) for s in sessions for p in s.provinces}
    assert len(covered) == 68 and len({code for code, _ in covered}) == 34
    for session in sessions:
        day = local_day(session.starts_at)
        assert day.isoformat() >= "2026-01-19" and day.weekday() < 5
    booked = [(t.id, s.starts_at, s.ends_at) for s in sessions for t in s.trainers]
    for trainer_id, starts, ends in booked:
        clashes = [b for b in booked if b[0] == trainer_id and b[1] < ends and b[2] > starts]
        assert len(clashes) == 1
    assert timedelta(0) < sessions[0].ends_at - sessions[0].starts_at < timedelta(hours=4)


def test_the_table_view_lists_a_province_across_weeks(client, login_as, make_session, count_queries):
    make_session()
    make_session(day="2026-02-03", title="Buổi tuần sau")
    make_session(day="2026-01-20", province_codes=[HA_NOI], starts="13:30", ends="16:00", title="Buổi Hà Nội")
    login_as("viewer")
    with count_queries() as statements:
        page = client.get(f"/training/?view=table&province={NGHE_AN}").get_data(as_text=True)
    assert "Buổi tuần sau" in page and "Buổi Hà Nội" not in page
    assert len(statements) <= 8
