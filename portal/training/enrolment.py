"""Enrolling registered contacts into sessions, the waiting list, attendance and coverage.

A confirmed seat is taken by one conditional UPDATE of the session's counter (enrolled < capacity),
and the database's check keeps the counter within capacity, so two people can never take the last seat.
"""
import io
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from sqlalchemy import distinct, func, select, update
from sqlalchemy.orm import joinedload

from portal.audit.services import record
from portal.contacts.models import Contact
from portal.contacts.spreadsheets import text_cell
from portal.core.database import insert_or_winner
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.core.models_base import utcnow
from portal.util.text import sort_key
from portal.training.models import ATTENDANCE, Enrolment, TrainingSession
from portal.training.notices import confirm_seats, details, withdrawn
from portal.training.services import audience_kinds, fill_freed_seats, serves, take_seat
from portal.units.models import Province
from portal.util.validators import display_phone


def check_enrollable(session: TrainingSession, contact: Contact) -> None:
    if session.is_cancelled:
        raise DomainError(_l("The session is cancelled."))
    if session.has_started:
        raise DomainError(_l("Enrolment closed when the session started."))
    if not serves(session, contact.province_code):
        raise DomainError(_l("%(name)s works in a province this session does not serve.", name=contact.full_name))
    if contact.kind not in audience_kinds(session):
        raise DomainError(_l("%(name)s is not in this session's audience.", name=contact.full_name))


def enrol(actor, session: TrainingSession, contacts: list[Contact]) -> tuple[int, int]:
    """Enrol contacts (skipping those already in); return (confirmed, waiting). All or nothing on error.

    Someone enrolled by a simultaneous request (the same form sent twice) is skipped like anyone already in:
    the seat taken for them here is given back with the clashing insert.
    """
    existing = set(db.session.execute(
        select(Enrolment.contact_id).where(Enrolment.session_id == session.id)).scalars())
    confirmed, waiting = [], 0
    for contact in contacts:
        check_enrollable(session, contact)
        if contact.id in existing:
            continue
        existing.add(contact.id)
        entry, created = insert_or_winner(lambda: add_enrolment(actor, session, contact),
                                          lambda: enrolment_of(session, contact))
        if not created:
            db.session.refresh(session, ["enrolled"])
        elif entry.status == "enrolled":
            confirmed.append(contact)
        else:
            waiting += 1
    confirm_seats(session, confirmed)
    db.session.commit()
    return len(confirmed), waiting


def add_enrolment(actor, session: TrainingSession, contact: Contact) -> Enrolment:
    """A confirmed seat if one is left, else a place on the waiting list."""
    status = "enrolled" if take_seat(session) else "waiting"
    return Enrolment(session_id=session.id, contact_id=contact.id, status=status,
                     enrolled_by_id=actor.id if actor else None)


def enrolment_of(session: TrainingSession, contact: Contact) -> Enrolment | None:
    return db.session.execute(select(Enrolment).where(
        Enrolment.session_id == session.id, Enrolment.contact_id == contact.id)).scalar_one_or_none()


def eligible_contacts(session: TrainingSession, province_code: int) -> list[Contact]:
    """The province's registered contacts who belong to the session's audience, in Vietnamese name order."""
    contacts = db.session.execute(
        select(Contact).where(Contact.province_code == province_code, Contact.kind.in_(audience_kinds(session)))
    ).scalars().all()
    return sorted(contacts, key=lambda c: (c.kind, sort_key(c.full_name)))


def waiting_positions(session: TrainingSession) -> dict[int, int]:
    """Each waiting enrolment's place in the queue (1 is next), by enrolment id: seats free up in that order."""
    waiting = db.session.execute(
        select(Enrolment.id).where(Enrolment.session_id == session.id, Enrolment.status == "waiting")
        .order_by(Enrolment.id)).scalars()
    return {enrolment_id: position for position, enrolment_id in enumerate(waiting, start=1)}


def first_waiting(session: TrainingSession) -> Contact | None:
    """Who takes the next seat that frees up."""
    return db.session.scalar(
        select(Contact).join(Enrolment, Enrolment.contact_id == Contact.id)
        .where(Enrolment.session_id == session.id, Enrolment.status == "waiting").order_by(Enrolment.id).limit(1))


def release(enrolment: Enrolment) -> None:
    """Take someone out (the caller commits): a confirmed seat is given back and, while the session is ahead,
    the person gets a cancellation for their calendar and the seat goes to the first person waiting."""
    session = enrolment.session
    if enrolment.status == "enrolled":
        db.session.execute(
            update(TrainingSession).where(TrainingSession.id == session.id)
            .values(enrolled=TrainingSession.enrolled - 1).execution_options(synchronize_session=False)
        )
        db.session.refresh(session, ["enrolled"])
        if not session.has_started:
            withdrawn(session, enrolment.contact)
    db.session.delete(enrolment)
    db.session.flush()
    fill_freed_seats(session)


def withdraw(enrolment: Enrolment) -> None:
    """Take someone out of a session that has not started yet."""
    if enrolment.session.has_started:
        raise DomainError(_l("Enrolment closed when the session started."))
    release(enrolment)
    db.session.commit()


def contact_enrolments(contact: Contact) -> list[Enrolment]:
    """A person's enrolments, sessions in time order (what removing their entry takes with it)."""
    return db.session.execute(
        select(Enrolment).join(TrainingSession, TrainingSession.id == Enrolment.session_id)
        .where(Enrolment.contact_id == contact.id).options(joinedload(Enrolment.session))
        .order_by(TrainingSession.starts_at)).scalars().all()


def mark_attendance(session: TrainingSession, marks: dict[int, str]) -> int:
    """Record present / absent / excused for confirmed enrolments of this session; return how many changed."""
    if any(value not in ATTENDANCE for value in marks.values()):
        raise DomainError(_l("Attendance is present, absent or excused."))
    changed = 0
    now = utcnow()
    for enrolment in db.session.execute(
        select(Enrolment).where(Enrolment.session_id == session.id, Enrolment.id.in_(marks),
                                Enrolment.status == "enrolled")
    ).scalars():
        if enrolment.attendance != marks[enrolment.id]:
            enrolment.attendance, enrolment.marked_at = marks[enrolment.id], now
            changed += 1
    db.session.commit()
    return changed


def roster(session: TrainingSession, province_code: int | None = None) -> list[Enrolment]:
    """The session's people, confirmed before waiting, then by province and Vietnamese name order."""
    query = select(Enrolment).join(Contact, Contact.id == Enrolment.contact_id).where(Enrolment.session_id == session.id)
    if province_code is not None:
        query = query.where(Contact.province_code == province_code)
    contact = joinedload(Enrolment.contact)
    options = (contact.joinedload(Contact.commune), contact.joinedload(Contact.department))
    entries = db.session.execute(query.options(*options)).scalars().all()
    return sorted(entries, key=lambda e: (e.status, e.contact.province_code, sort_key(e.contact.full_name)))


@dataclass
class Coverage:
    province_code: int
    name: str
    registered: int
    attended: int

    @property
    def ratio(self) -> float:
        return self.attended / self.registered if self.registered else 0.0


def coverage(provinces) -> list[Coverage]:
    """Per province: registered contacts, and how many of them attended at least one session (two queries)."""
    found = db.session.execute(provinces.order_by(Province.code)).scalars().all()
    codes = [p.code for p in found]
    registered = dict(db.session.execute(
        select(Contact.province_code, func.count(Contact.id)).where(Contact.province_code.in_(codes))
        .group_by(Contact.province_code)).all())
    attended = dict(db.session.execute(
        select(Contact.province_code, func.count(distinct(Contact.id)))
        .join(Enrolment, Enrolment.contact_id == Contact.id)
        .where(Enrolment.attendance == "present", Contact.province_code.in_(codes))
        .group_by(Contact.province_code)).all())
    return [Coverage(p.code, p.name, registered.get(p.code, 0), attended.get(p.code, 0)) for p in found]


ROSTER_COLUMNS = ("STT", "Họ và tên", "Tỉnh/thành phố", "Đơn vị", "Chức vụ", "Số điện thoại", "Email", "Trạng thái",
                  "Điểm danh")
ROSTER_STATUS = {"enrolled": "Đã ghi danh", "waiting": "Danh sách chờ"}
ROSTER_ATTENDANCE = {"present": "Có mặt", "absent": "Vắng", "excused": "Vắng có phép", None: ""}


def roster_workbook(actor, session: TrainingSession) -> bytes:
    """The session's roster as .xlsx (in Vietnamese); it holds phones and e-mails, so it is audited."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Điểm danh")
    sheet.append([text_cell(sheet, session.title, bold=True)])
    sheet.append([text_cell(sheet, details(session)["time"])])
    sheet.append([])
    sheet.append([text_cell(sheet, title, bold=True) for title in ROSTER_COLUMNS])
    names = dict(db.session.execute(select(Province.code, Province.name)).all())
    for number, entry in enumerate(roster(session), start=1):
        contact = entry.contact
        unit = contact.commune.name if contact.commune else contact.department.name
        values = (contact.full_name, names[contact.province_code], unit, contact.position,
                  display_phone(contact.phone), contact.email, ROSTER_STATUS[entry.status],
                  ROSTER_ATTENDANCE[entry.attendance])
        sheet.append([number] + [text_cell(sheet, value) for value in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    record(actor, "training.roster_export", f"session:{session.id}")
    db.session.commit()
    return buffer.getvalue()
