"""Which sessions each feed holds, how they are worded, and personal tokens (the data clock is feeds/clock.py)."""
import hashlib
from email.utils import parseaddr
import secrets
from urllib.parse import urlencode
from datetime import datetime, timezone

from flask import current_app
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from portal.auth.models import User
from portal.contacts.models import Contact
from portal.core.extensions import db
from portal.feeds.ical import DayEvent, FeedEvent, calendar_bytes, day_calendar_bytes, invitation_bytes
from portal.feeds.models import FeedToken
from portal.core.models_base import utcnow
from portal.milestones import services as milestones
from portal.milestones.models import UNIT_KINDS, Milestone
from portal.training.models import Enrolment, TrainingSession, session_provinces, session_trainers
from portal.util.urls import public_url

AUDIENCE_WORDS = {"department": "Cán bộ Sở", "commune": "Cán bộ quản trị cấp xã",
                  "both": "Cán bộ Sở và cán bộ quản trị cấp xã"}
UNIT_WORDS = {"departments": "Sở VHTTDL, Sở VH&TT, Sở DL", "communes": "Xã, phường, đặc khu",
              "provinces": "Tỉnh, thành phố"}
MODE_WORDS = {"in_person": "Trực tiếp", "online": "Trực tuyến", "both": "Trực tiếp và trực tuyến"}
PRODUCT = "-//Bo VHTTDL//Cong ho tro trien khai TTHC//VI"


# Which sessions --------------------------------------------------------------------------------

def with_details(query: Select) -> Select:
    """Sessions with their provinces, trainers and materials joined in: a whole feed is one query."""
    return query.options(
        joinedload(TrainingSession.provinces), joinedload(TrainingSession.trainers),
        joinedload(TrainingSession.materials),
    ).order_by(TrainingSession.starts_at, TrainingSession.id)


def plan_sessions() -> Select:
    return with_details(select(TrainingSession))


def province_sessions(code: int) -> Select:
    return with_details(select(TrainingSession).where(TrainingSession.id.in_(
        select(session_provinces.c.session_id).where(session_provinces.c.province_code == code))))


def audience_sessions(audience: str) -> Select:
    return with_details(select(TrainingSession).where(TrainingSession.audience.in_([audience, "both"])))


def trainer_sessions(user_id: int) -> Select:
    return with_details(select(TrainingSession).where(TrainingSession.id.in_(
        select(session_trainers.c.session_id).where(session_trainers.c.user_id == user_id))))


def personal_key(user: User) -> tuple:
    """What a personal feed depends on besides the plan: the person's province and registered contacts."""
    contact_ids = db.session.execute(select(Contact.id).where(Contact.email == user.email).order_by(Contact.id))
    return ("me", user.id, user.province_code, tuple(contact_ids.scalars()))


def personal_sessions(user: User) -> Select:
    """The sessions the person is enrolled in (as a registered contact) or trains, and their province's."""
    enrolled = (select(Enrolment.session_id).join(Contact, Contact.id == Enrolment.contact_id)
                .where(Contact.email == user.email))
    trains = select(session_trainers.c.session_id).where(session_trainers.c.user_id == user.id)
    conditions = [TrainingSession.id.in_(enrolled), TrainingSession.id.in_(trains)]
    if user.province_code:
        conditions.append(TrainingSession.id.in_(select(session_provinces.c.session_id)
                                                 .where(session_provinces.c.province_code == user.province_code)))
    return with_details(select(TrainingSession).where(or_(*conditions)))


# How they are worded ---------------------------------------------------------------------------

def feed_host() -> str:
    """The public host, the domain part of every UID (stable whichever host served the request)."""
    return current_app.config["PUBLIC_URL"].split("://", 1)[-1].split("/", 1)[0]


def feed_event(session: TrainingSession) -> FeedEvent:
    page = public_url("training.public_session", session_id=session.id)
    provinces = ", ".join(p.name for p in session.provinces)
    lines = [
        f"Đối tượng: {AUDIENCE_WORDS[session.audience]}",
        f"Tỉnh/thành phố: {provinces}",
        f"Hình thức: {MODE_WORDS[session.mode]}",
        f"Giảng viên: {', '.join(t.full_name or 'Giảng viên' for t in session.trainers)}",
    ]
    if session.meeting_url:
        lines.append(f"Phòng họp trực tuyến: {session.meeting_url}")
    for material in session.materials:
        link = material.link or public_url("materials.file", material_id=material.id)
        lines.append(f"Tài liệu: {material.title} - {link}")
    if session.is_cancelled:
        lines.insert(0, f"ĐÃ HỦY: {session.cancel_reason}")
    if session.description:
        lines.append(session.description)
    lines.append(f"Chi tiết: {page}")
    return FeedEvent(
        uid=f"session-{session.id}@{feed_host()}", starts_at=session.starts_at, ends_at=session.ends_at,
        changed_at=session.updated_at, sequence=session.revision, summary=session.title,
        description="\n".join(lines), location=session.venue or session.meeting_url,
        url=session.meeting_url or page, is_cancelled=session.is_cancelled,
        categories=(AUDIENCE_WORDS[session.audience], *[p.name for p in session.provinces]),
    )


def feed_bytes(name: str, query: Select) -> bytes:
    """The whole feed in one query for the sessions (plus one per relationship), as iCalendar bytes."""
    sessions = db.session.execute(query).unique().scalars().all()
    description = f"Kế hoạch tập huấn hệ thống TTHC - {current_app.config['MINISTRY_NAME']}"
    return calendar_bytes(name, description, [feed_event(s) for s in sessions], PRODUCT)


# The transition calendar ----------------------------------------------------------------------

def milestone_event(milestone: Milestone) -> DayEvent:
    """A key date as an all-day event, in Vietnamese like every feed: the title, then each kind's duty."""
    page = public_url("main.index")
    lines = [f"{UNIT_WORDS[kind]}: {text}" for kind in UNIT_KINDS if (text := getattr(milestone, f"for_{kind}"))]
    lines.append(f"Chi tiết: {page}")
    return DayEvent(uid=f"milestone-{milestone.id}@{feed_host()}", day=milestone.day, changed_at=milestone.updated_at,
                    sequence=milestone.sequence, summary=milestone.title_vi, description="\n".join(lines), url=page,
                    categories=("Mốc thời gian triển khai",))


def milestones_bytes() -> bytes:
    """The milestones feed in one query."""
    rows = db.session.execute(milestones.ordered()).scalars().all()
    description = f"Các mốc thời gian chuyển sang hệ thống TTHC tập trung - {current_app.config['MINISTRY_NAME']}"
    return day_calendar_bytes("Mốc thời gian triển khai TTHC", description, [milestone_event(m) for m in rows],
                              PRODUCT)


# Personal tokens -------------------------------------------------------------------------------

def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: User) -> str:
    """A new personal link (128+ random bits); the previous one stops working. Only the hash is kept."""
    raw = secrets.token_urlsafe(24)
    existing = db.session.get(FeedToken, user.id)
    if existing is None:
        db.session.add(FeedToken(user_id=user.id, token_hash=token_hash(raw)))
    else:
        existing.token_hash, existing.created_at = token_hash(raw), utcnow()
    db.session.commit()
    return raw


def revoke_token(user: User) -> None:
    existing = db.session.get(FeedToken, user.id)
    if existing is not None:
        db.session.delete(existing)
        db.session.commit()


def user_for_token(raw: str) -> User | None:
    user = db.session.execute(
        select(User).join(FeedToken, FeedToken.user_id == User.id).where(FeedToken.token_hash == token_hash(raw))
    ).scalar_one_or_none()
    return user if user is not None and user.is_active else None


def token_created_at(user: User) -> datetime | None:
    existing = db.session.get(FeedToken, user.id)
    return existing.created_at if existing else None


# One session -----------------------------------------------------------------------------------

def single_event_bytes(session: TrainingSession) -> bytes:
    return calendar_bytes(session.title, session.title, [feed_event(session)], PRODUCT)


def invitations(session: TrainingSession, method: str, attendees: list[tuple[str, str]]) -> list[bytes]:
    """The calendar part of an e-mail to each (name, e-mail) enrolled in the session (REQUEST or CANCEL)."""
    organizer = (current_app.config["MINISTRY_NAME"], parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1])
    return invitation_bytes(method, feed_event(session), organizer, attendees, utcnow(), PRODUCT)


def google_calendar_link(session: TrainingSession) -> str:
    """A link that opens Google Calendar's "new event" form filled with the session."""
    item = feed_event(session)
    stamp = "%Y%m%dT%H%M%SZ"
    dates = f"{item.starts_at.astimezone(timezone.utc):{stamp}}/{item.ends_at.astimezone(timezone.utc):{stamp}}"
    query = urlencode({"action": "TEMPLATE", "text": item.summary, "dates": dates, "details": item.description,
                       "location": item.location, "ctz": "Asia/Ho_Chi_Minh"})
    return "https://calendar.google.com/calendar/render?" + query
