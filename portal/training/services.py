"""Sessions: validation, conflict warnings, revisions and change notices; the plan's queries."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select, update
from sqlalchemy.orm import selectinload

from portal.audit.services import record
from portal.core import clock
from portal.auth.models import User
from portal.contacts.models import Contact
from portal.core.clock import is_working_day
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.training.notices import confirm_seats, details, notify_change
from portal.training.models import AUDIENCES, MODES, Enrolment, TrainingSession, session_provinces, session_trainers
from portal.training.week import WeekSession, load_week
from portal.units.models import Province

TRACKED_FIELDS = ("starts_at", "ends_at", "venue", "meeting_url", "mode")


@dataclass
class SessionInput:
    """A session as typed: local (Asia/Ho_Chi_Minh) start and end, province codes and trainer ids."""

    title: str
    audience: str
    mode: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    province_codes: list[int]
    trainer_ids: list[int]
    description: str = ""
    venue: str = ""
    meeting_url: str = ""


class ConflictWarnings(DomainError):
    """The session clashes with others or falls on a non-working day; an admin may save it with a reason."""

    def __init__(self, warnings: list):
        super().__init__(_l("The session has conflicts."))
        self.warnings = warnings


def vietnam() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def to_utc(local: datetime) -> datetime:
    """A wall-clock time in Vietnam (naive, as typed) as an aware UTC instant."""
    return local.replace(tzinfo=vietnam()).astimezone(ZoneInfo("UTC"))


def local_day(instant: datetime) -> date:
    return instant.astimezone(vietnam()).date()


def validate(data: SessionInput) -> dict:
    """Errors by field that no override can lift."""
    errors = {}
    if not data.title.strip():
        errors["title"] = _l("Enter the title of the session.")
    elif len(data.title.strip()) > 200:
        errors["title"] = _l("The title is too long.")
    if len(data.venue.strip()) > 300 or len(data.meeting_url.strip()) > 500:
        errors["venue"] = _l("The venue or the meeting link is too long.")
    if data.audience not in AUDIENCES:
        errors["audience"] = _l("Choose the audience.")
    if data.mode not in MODES:
        errors["mode"] = _l("Choose how the session is held.")
    if data.ends_at <= data.starts_at:
        errors["ends_at"] = _l("The session must end after it starts.")
    if data.capacity is None or data.capacity < 1:
        errors["capacity"] = _l("The capacity is at least 1.")
    if not data.province_codes:
        errors["province_codes"] = _l("Choose at least one province.")
    if not data.trainer_ids:
        errors["trainer_ids"] = _l("Choose at least one trainer.")
    if data.mode in ("in_person", "both") and not data.venue.strip():
        errors["venue"] = _l("An in-person session needs a venue.")
    if data.mode in ("online", "both") and not data.meeting_url.strip().startswith(("https://", "http://")):
        errors["meeting_url"] = _l("An online session needs a meeting link (https://...).")
    return errors


def as_input(session: TrainingSession) -> SessionInput:
    """A saved session as the form would have sent it (local times), to check it again."""
    starts, ends = (instant.astimezone(vietnam()).replace(tzinfo=None) for instant in (session.starts_at, session.ends_at))
    return SessionInput(title=session.title, audience=session.audience, mode=session.mode, starts_at=starts,
                        ends_at=ends, capacity=session.capacity, province_codes=[p.code for p in session.provinces],
                        trainer_ids=[t.id for t in session.trainers], description=session.description,
                        venue=session.venue, meeting_url=session.meeting_url)


def overlapping(starts_at: datetime, ends_at: datetime, exclude_id: int | None) -> Select:
    query = select(TrainingSession).where(
        TrainingSession.status != "cancelled", TrainingSession.starts_at < ends_at, TrainingSession.ends_at > starts_at
    )
    return query.where(TrainingSession.id != exclude_id) if exclude_id else query


def conflicts(data: SessionInput, exclude_id: int | None = None) -> list:
    """Warnings: a double-booked trainer, the same province and audience twice at once, a non-working day."""
    warnings = booking_conflicts(data, exclude_id)
    day = data.starts_at.date()
    while day <= data.ends_at.date():
        if not is_working_day(day):
            warnings.append(_l("%(date)s is not a working day (weekend or holiday).", date=day.strftime("%d/%m/%Y")))
        day += timedelta(days=1)
    return warnings


def booking_conflicts(data: SessionInput, exclude_id: int | None = None) -> list:
    """A trainer booked twice, or a province given the same audience twice, at the session's time."""
    starts_at, ends_at = to_utc(data.starts_at), to_utc(data.ends_at)
    warnings = []
    busy = db.session.execute(
        overlapping(starts_at, ends_at, exclude_id)
        .join(session_trainers, session_trainers.c.session_id == TrainingSession.id)
        .where(session_trainers.c.user_id.in_(data.trainer_ids))
        .with_only_columns(TrainingSession.title, session_trainers.c.user_id)
    ).all()
    names = {u.id: u.full_name or u.email for u in db.session.execute(
        select(User).where(User.id.in_(data.trainer_ids))).scalars()}
    for title, trainer_id in busy:
        warnings.append(_l("%(trainer)s already trains “%(title)s” at that time.", trainer=names.get(trainer_id, trainer_id),
                           title=title))
    audiences = [data.audience, "both"] if data.audience != "both" else list(AUDIENCES)
    clashes = db.session.execute(
        overlapping(starts_at, ends_at, exclude_id)
        .join(session_provinces, session_provinces.c.session_id == TrainingSession.id)
        .join(Province, Province.code == session_provinces.c.province_code)
        .where(session_provinces.c.province_code.in_(data.province_codes), TrainingSession.audience.in_(audiences))
        .with_only_columns(TrainingSession.title, Province.name)
    ).all()
    for title, province_name in clashes:
        warnings.append(_l("%(province)s already has “%(title)s” for the same audience at that time.",
                           province=province_name, title=title))
    return warnings


def planned_in_the_past(session: TrainingSession | None, data: SessionInput) -> bool:
    """A new session, or a session moved to another start, that starts before now by the portal's clock."""
    starts_at = to_utc(data.starts_at)
    return starts_at < clock.now() and (session is None or session.starts_at != starts_at)


def save_session(actor: User, session: TrainingSession | None, data: SessionInput, override_reason: str = "",
                 commit: bool = True, past_confirmed: bool = False) -> TrainingSession:
    """Create or change a session; conflicts stop the save unless an admin gives a reason to override them.

    :param commit: False leaves the transaction open, for an import that saves all its rows or none.
    :param past_confirmed: the planner confirmed that a session starting before now is meant (a record of
        a session already held, usually); without it such a save is refused.
    """
    errors = validate(data)
    if errors:
        field_name, message = next(iter(errors.items()))
        raise DomainError(message, field=field_name)
    if not past_confirmed and planned_in_the_past(session, data):
        raise DomainError(_l("This session would start in the past (%(when)s). Tick the box to confirm that it is "
                             "meant.", when=data.starts_at.strftime("%d/%m/%Y %H:%M")), field="past_confirmed")
    if session is not None and data.capacity < session.enrolled:
        raise DomainError(_l("%(count)s people are already enrolled: the capacity cannot be lower.",
                             count=session.enrolled), field="capacity")
    warnings = conflicts(data, session.id if session else None)
    override_reason = " ".join(override_reason.split())
    if warnings and not (actor.role == "admin" and override_reason):
        raise ConflictWarnings(warnings)
    trainers = db.session.execute(select(User).where(User.id.in_(data.trainer_ids), User.role == "trainer")).scalars().all()
    if len(trainers) != len(set(data.trainer_ids)):
        raise DomainError(_l("Only trainer accounts can train a session."), field="trainer_ids")
    provinces = db.session.execute(select(Province).where(Province.code.in_(data.province_codes))).scalars().all()
    before = details(session) if session is not None else None
    if session is None:
        session = TrainingSession(created_by_id=actor.id, status="scheduled", revision=0, enrolled=0)
        db.session.add(session)
    new_values = {
        "title": data.title.strip(), "description": data.description.strip(), "audience": data.audience,
        "mode": data.mode, "venue": data.venue.strip(), "meeting_url": data.meeting_url.strip(),
        "starts_at": to_utc(data.starts_at), "ends_at": to_utc(data.ends_at), "capacity": data.capacity,
    }
    moved = before is not None and any(getattr(session, f) != new_values[f] for f in TRACKED_FIELDS)
    for name, value in new_values.items():
        setattr(session, name, value)
    session.provinces, session.trainers = provinces, trainers
    session.override_reason = override_reason if warnings else ""
    if moved:
        session.revision += 1
        session.status = "changed"
    if warnings:
        record(actor, "training.override", f"session:{session.id}", override_reason)
    db.session.flush()
    fill_freed_seats(session)
    if moved:
        notify_change(session, before)
    if commit:
        db.session.commit()
    return session


def cancel_session(actor: User, session: TrainingSession, reason: str) -> None:
    """Cancel but keep the session: it stays in the plan struck through, and in calendars as CANCELLED."""
    reason = " ".join(reason.split())
    if session.is_cancelled:
        raise DomainError(_l("The session is already cancelled."))
    if not reason:
        raise DomainError(_l("Give the reason for the cancellation."), field="reason")
    before = details(session)
    session.status, session.cancel_reason = "cancelled", reason[:300]
    session.revision += 1
    record(actor, "training.cancel", f"session:{session.id}", reason)
    notify_change(session, before)
    db.session.commit()


def restore_session(actor: User, session: TrainingSession) -> None:
    """Undo a cancellation: the session is back in the plan, and everyone with a seat gets an updated invitation
    (a higher SEQUENCE), so calendars that removed it add it again."""
    if not session.is_cancelled:
        raise DomainError(_l("The session is not cancelled."))
    if session.has_started:
        raise DomainError(_l("The session's time has passed: plan a new session instead."))
    clashes = booking_conflicts(as_input(session), exclude_id=session.id)
    if clashes:  # planned into its slot since the cancellation: restoring would double-book
        raise DomainError(_l("The session cannot be restored: %(clashes)s Plan it again at another time.",
                             clashes=" ".join(str(clash) for clash in clashes)))
    before = details(session)
    session.status, session.cancel_reason = "changed", ""
    session.revision += 1
    record(actor, "training.restore", f"session:{session.id}")
    db.session.flush()
    fill_freed_seats(session)
    notify_change(session, before)
    db.session.commit()


def take_seat(session: TrainingSession) -> bool:
    """Atomically take one confirmed seat if any is left (one conditional UPDATE of the counter)."""
    taken = db.session.execute(
        update(TrainingSession)
        .where(TrainingSession.id == session.id, TrainingSession.enrolled < TrainingSession.capacity)
        .values(enrolled=TrainingSession.enrolled + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(session, ["enrolled"])
    return taken == 1


def fill_freed_seats(session: TrainingSession) -> int:
    """Move people from the waiting list into free seats, first come first served, until the session starts."""
    if session.is_cancelled or session.has_started:
        return 0
    waiting = db.session.execute(
        select(Enrolment).where(Enrolment.session_id == session.id, Enrolment.status == "waiting")
        .order_by(Enrolment.id)
    ).scalars()
    promoted = []
    for enrolment in waiting:
        if not take_seat(session):
            break
        enrolment.status = "enrolled"
        promoted.append(enrolment.contact)
    confirm_seats(session, promoted)
    return len(promoted)


@dataclass
class PlanFilters:
    province_code: int | None = None
    audience: str = ""
    trainer_id: int | None = None
    mode: str = ""


def week_bounds(monday: date) -> tuple[datetime, datetime]:
    start = datetime.combine(monday, datetime.min.time()).replace(tzinfo=vietnam())
    return start, start + timedelta(days=7)


def filtered_sessions(filters: PlanFilters) -> Select:
    query = select(TrainingSession)
    if filters.province_code:
        query = query.where(TrainingSession.id.in_(
            select(session_provinces.c.session_id).where(session_provinces.c.province_code == filters.province_code)))
    if filters.audience in ("department", "commune"):
        query = query.where(TrainingSession.audience.in_([filters.audience, "both"]))
    if filters.mode in MODES:  # "online" also finds sessions held both ways
        query = query.where(TrainingSession.mode.in_({filters.mode, "both"}))
    if filters.trainer_id:
        query = query.where(TrainingSession.id.in_(
            select(session_trainers.c.session_id).where(session_trainers.c.user_id == filters.trainer_id)))
    return query


def plan_week(monday: date, filters: PlanFilters) -> list[WeekSession]:
    """The week's sessions (cancelled ones too) with the names of their provinces and trainers, read as plain rows
    in three queries (portal.training.week says why)."""
    start, end = week_bounds(monday)
    return load_week(
        filtered_sessions(filters)
        .where(TrainingSession.starts_at >= start, TrainingSession.starts_at < end)
        .order_by(TrainingSession.starts_at, TrainingSession.id)
    )


def plan_list(filters: PlanFilters) -> Select:
    """Every matching session in time order, for the table view (paginated by the caller)."""
    return (
        filtered_sessions(filters)
        .options(selectinload(TrainingSession.provinces), selectinload(TrainingSession.trainers))
        .order_by(TrainingSession.starts_at, TrainingSession.id)
    )


def first_week_with_sessions(filters: PlanFilters) -> date:
    """The Monday of the next matching session's week; once the plan is over, of its first week."""
    matching = filtered_sessions(filters).with_only_columns(TrainingSession.starts_at).order_by(TrainingSession.starts_at)
    upcoming = db.session.scalar(matching.where(TrainingSession.starts_at >= clock.now()).limit(1))
    first = upcoming or db.session.scalar(matching.limit(1))
    day = local_day(first) if first else date(2026, 1, 19)
    return day - timedelta(days=day.weekday())


def trainers() -> list[User]:
    return db.session.execute(
        select(User).where(User.role == "trainer", User.is_active.is_(True)).order_by(User.full_name)
    ).scalars().all()


def serves(session: TrainingSession, province_code: int) -> bool:
    return any(p.code == province_code for p in session.provinces)


def audience_kinds(session: TrainingSession) -> list[str]:
    return ["department", "commune"] if session.audience == "both" else [session.audience]

