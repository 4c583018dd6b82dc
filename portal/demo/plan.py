"""The demo January 2026 training plan: both audiences in every province, on working days from 19/01/2026.

Sessions fill a grid of (day, half-day, trainer) slots in order, so no trainer is ever booked twice.
"""
import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, func, select

from portal.auth.models import User
from portal.contacts.models import Contact
from portal.core.extensions import db
from portal.core.models_base import utcnow
from portal.training.models import Enrolment, PlanChange, TrainingSession
from portal.core.clock import is_working_day
from portal.training.services import to_utc
from portal.units.models import Commune, Province

FIRST_DAY = date(2026, 1, 19)
HALF_DAYS = ((time(8, 0), time(11, 30)), (time(13, 30), time(17, 0)))
MEETING_HOST = "https://hop.tthc.gov.vn"


def working_days(start: date):
    day = start
    while True:
        if is_working_day(day):
            yield day
        day += timedelta(days=1)


def slots(trainers: list[User]):
    """(day, start, end, trainer) in order: every trainer's morning, then every trainer's afternoon, day by day."""
    for day in working_days(FIRST_DAY):
        for starts, ends in HALF_DAYS:
            for trainer in trainers:
                yield day, starts, ends, trainer


def session_for(province: Province, audience: str, communes: int, slot) -> TrainingSession:
    day, starts, ends, trainer = slot
    department = audience == "department"
    return TrainingSession(
        title=(f"Tập huấn cán bộ Sở - {province.name}" if department
               else f"Tập huấn quản trị hệ thống cấp xã - {province.name}"),
        description="Hướng dẫn sử dụng Hệ thống thông tin giải quyết thủ tục hành chính của Bộ VHTTDL: "
                    "tiếp nhận, xử lý hồ sơ, phân quyền tài khoản.",
        audience=audience,
        mode="both" if department else "online",
        venue=f"Hội trường {province.departments[0].name}, {province.name}" if department else "",
        meeting_url=f"{MEETING_HOST}/{province.codename.replace('_', '-')}-{audience}",
        starts_at=to_utc(datetime.combine(day, starts)), ends_at=to_utc(datetime.combine(day, ends)),
        capacity=30 if department else communes + 10, enrolled=0, status="scheduled", revision=0,
        provinces=[province], trainers=[trainer],
    )


def load_demo_plan(trainers: list[User], seed: int = 2026) -> int:
    """Create the plan once (0 when sessions exist); enrol Nghệ An's contacts and mark most of them present."""
    if db.session.scalar(select(func.count(TrainingSession.id))):
        return 0
    provinces = db.session.execute(select(Province).order_by(Province.code)).scalars().all()
    commune_counts = dict(db.session.execute(
        select(Commune.province_code, func.count(Commune.code)).group_by(Commune.province_code)).all())
    slot_iterator = slots(trainers)
    sessions = []
    for province in provinces:
        for audience in ("department", "commune"):
            sessions.append(session_for(province, audience, commune_counts[province.code], next(slot_iterator)))
    db.session.add_all(sessions)
    db.session.flush()
    db.session.execute(delete(PlanChange))  # the plan as first published is not a change
    enrol_and_attend([s for s in sessions if s.provinces[0].code == 40], random.Random(seed))
    change_a_few(sessions)
    db.session.commit()
    return len(sessions)


def change_a_few(sessions: list[TrainingSession]) -> None:
    """Since publication: one session starts later in its own slot, one moves hall, one is cancelled."""
    later, moved, cancelled = sessions[2], sessions[6], sessions[5]
    later.starts_at += timedelta(minutes=30)
    moved.venue = f"Hội trường UBND {moved.provinces[0].name}"
    cancelled.status, cancelled.cancel_reason = "cancelled", "Trùng lịch họp của UBND tỉnh; sẽ bố trí buổi khác."
    for session in (later, moved):
        session.status = "changed"
    for session in (later, moved, cancelled):
        session.revision += 1


def enrol_and_attend(sessions: list[TrainingSession], rng: random.Random) -> None:
    for session in sessions:
        contacts = db.session.execute(
            select(Contact).where(Contact.province_code == session.provinces[0].code, Contact.kind == session.audience)
        ).scalars().all()
        for contact in contacts[: session.capacity]:
            db.session.add(Enrolment(session_id=session.id, contact_id=contact.id, status="enrolled",
                                     attendance="present" if rng.random() < 0.85 else "absent", marked_at=utcnow()))
        session.enrolled = min(len(contacts), session.capacity)
