"""Registering, editing, replacing and removing focal contacts, with history, deadline and duties."""
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal.audit.services import record
from portal.auth.models import User
from portal.contacts.models import Contact, ContactChange, DutyText
from portal.core.database import insert_or_winner
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.core.models_base import utcnow
from portal.privacy import notices
from portal.training.enrolment import contact_enrolments, release
from portal.units.models import Commune, Department
from portal.util.validators import display_phone, is_cccd, parse_phone

PERSON_FIELDS = ("full_name", "position", "unit_name", "phone", "email")
DEFAULT_DUTIES = {
    "department": (
        "Làm đầu mối phối hợp với Bộ trong quá trình triển khai Hệ thống thông tin giải quyết TTHC tại tỉnh.\n"
        "Tổng hợp danh sách, tài khoản và nhu cầu phân quyền của cán bộ Sở; theo dõi việc tiếp nhận, xử lý hồ sơ.\n"
        "Tham gia tập huấn, hướng dẫn lại cho cán bộ của Sở; tổng hợp khó khăn, vướng mắc gửi về Bộ."
    ),
    "commune": (
        "Quản trị hệ thống tại xã/phường/đặc khu: đề nghị cấp tài khoản, phân quyền cho cán bộ tiếp nhận và giải quyết hồ sơ.\n"
        "Tham gia tập huấn và hướng dẫn lại cán bộ tại đơn vị; bảo đảm hồ sơ không bị tồn đọng do thiếu quyền truy cập.\n"
        "Phản ánh kịp thời khó khăn, sự cố về Bộ qua kênh hỗ trợ của cổng."
    ),
}


class ContactConflict(DomainError):
    """Someone else changed the seat since the form was opened; the user's input is kept for another try."""


class SeatRefused(DomainError):
    """One of several entries saved together was refused: which seat, and why (nothing was saved)."""

    def __init__(self, seat: "Seat", error: DomainError):
        super().__init__(error.message, error.field)
        self.seat = seat
        self.is_conflict = isinstance(error, ContactConflict)


@dataclass(frozen=True)
class Seat:
    """Where a contact sits: a department's seat 1 or 2, or a commune's one seat."""

    kind: str
    province_code: int
    department_id: int | None = None
    seat: int = 1
    commune_code: int | None = None

    @property
    def key(self) -> str:
        if self.kind == "commune":
            return f"commune:{self.commune_code}"
        return f"department:{self.department_id}:{self.seat}"

    @classmethod
    def of_commune(cls, commune: Commune) -> "Seat":
        return cls("commune", commune.province_code, commune_code=commune.code)

    @classmethod
    def of_department(cls, department: Department, seat: int) -> "Seat":
        if seat not in (1, 2):
            raise DomainError(_l("A department has two cadre seats."))
        return cls("department", department.province_code, department_id=department.id, seat=seat)

    @classmethod
    def of_contact(cls, contact: Contact) -> "Seat":
        return cls(contact.kind, contact.province_code, contact.department_id, contact.seat, contact.commune_code)


def clean_person(raw: dict) -> tuple[dict, dict]:
    """Normalise a person's fields; return (values, errors by field) so forms, CLI and imports share the rules."""
    values, errors = {}, {}
    values["full_name"] = " ".join((raw.get("full_name") or "").split())
    if not values["full_name"]:
        errors["full_name"] = _l("Enter the full name.")
    elif len(values["full_name"]) > 200:
        errors["full_name"] = _l("The full name is too long.")
    for field in ("position", "unit_name"):
        values[field] = " ".join((raw.get(field) or "").split())[:200]
    phone = parse_phone(raw.get("phone") or "")
    if phone is None:
        errors["phone"] = _l("Enter a Vietnamese phone number: a 10-digit mobile (0912 345 678) or a landline with its area code.")
    values["phone"] = phone
    try:
        values["email"] = validate_email((raw.get("email") or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        errors["email"] = _l("Enter a valid e-mail address.")
        values["email"] = None
    cccd = (raw.get("cccd") or "").strip()
    if cccd and not is_cccd(cccd):
        errors["cccd"] = _l("The CCCD number has exactly 12 digits (0–9).")
    values["cccd"] = cccd or None
    return values, errors


def deadline() -> datetime:
    return datetime.fromisoformat(current_app.config["CONTACTS_DEADLINE"])


def days_left(now: datetime | None = None) -> int:
    """Calendar days in Vietnam from today to the deadline's day (0 on the day, negative once past)."""
    vietnam = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return (deadline().astimezone(vietnam).date() - (now or utcnow()).astimezone(vietnam).date()).days


def seat_contact(seat: Seat) -> Contact | None:
    query = select(Contact)
    if seat.kind == "commune":
        query = query.where(Contact.commune_code == seat.commune_code)
    else:
        query = query.where(Contact.department_id == seat.department_id, Contact.seat == seat.seat)
    return db.session.execute(query).scalar_one_or_none()


def check_shared_person(seat: Seat, values: dict, current: Contact | None) -> None:
    """One person administers one commune, unless an admin has allowed this entry to share."""
    if seat.kind != "commune" or (current is not None and current.is_shared_person_allowed):
        return
    other = db.session.execute(
        select(Contact.commune_code)
        .where(Contact.kind == "commune", Contact.commune_code != seat.commune_code)
        .where(or_(Contact.email == values["email"], Contact.phone == values["phone"]))
        .limit(1)
    ).scalar_one_or_none()
    if other is not None:
        raise DomainError(
            _l("This person is already the administrator of another commune (code %(code)s). "
               "Only a ministry administrator can allow one person for two communes.", code=other),
            field="email",
        )


def describe_changes(before: dict, after: dict) -> dict:
    """field -> [old, new] for the history; a CCCD is never copied there, only whether it was set or erased."""
    changes = {}
    for field in PERSON_FIELDS:
        old, new = before.get(field), after.get(field)
        if field == "phone":
            old, new = display_phone(old), display_phone(new)
        if (old or "") != (new or ""):
            changes[field] = [old or "", new or ""]
    if before.get("cccd") != after.get("cccd"):
        changes["cccd"] = ["set" if before.get("cccd") else "", "set" if after.get("cccd") else "erased"]
    return changes


def snapshot(contact: Contact | None) -> dict:
    if contact is None:
        return {}
    return {field: getattr(contact, field) for field in PERSON_FIELDS + ("cccd",)}


def save_seat(actor: User | None, seat: Seat, raw: dict, expected_version: int | None,
              is_replacement: bool = False, commit: bool = True) -> Contact:
    """Create or update the seat's contact after checking the fields, the seat's state and the shared-person rule.

    :param expected_version: the version the form was opened on (None when it offered an empty seat);
        a different current version means someone else saved in between, and this save is refused.
    :param is_replacement: a different person takes the seat: the previous person's CCCD is erased.
    """
    values, errors = clean_person(raw)
    if errors:
        field, message = next(iter(errors.items()))
        raise DomainError(message, field=field)
    current = seat_contact(seat)
    if current is None and expected_version is not None:
        raise ContactConflict(_l("This entry was removed by someone else meanwhile. Check the page and save again."))
    if current is not None and current.version != expected_version and holds(current, values):
        return current  # the same form sent twice (a double click, a retry): the first one saved it
    if current is not None and expected_version is None:
        raise ContactConflict(
            _l("Someone else registered this seat meanwhile. Your entry was not saved; compare it with theirs."))
    if current is not None and current.version != expected_version:
        raise ContactConflict(
            _l("Someone else changed this entry after you opened it. Your changes were not saved; review theirs."))
    check_shared_person(seat, values, current)
    if current is None:
        current = register_seat(actor, seat, values)
    else:
        update_seat(actor, seat, current, values, is_replacement)
    if commit:
        db.session.commit()
    return current


SAME_MOMENT = _l("Someone else saved this seat at the same moment. Your entry was not saved; check and try again.")


def holds(contact: Contact, values: dict) -> bool:
    """Whether the contact already holds exactly what was submitted (an empty CCCD field changes nothing)."""
    return (all(getattr(contact, field) == values[field] for field in PERSON_FIELDS)
            and (not values["cccd"] or values["cccd"] == contact.cccd))


def register_seat(actor: User | None, seat: Seat, values: dict) -> Contact:
    """Fill an empty seat. When a simultaneous request fills it first, the same person submitted twice
    gets the winner's entry as their own; anyone else gets a conflict."""

    def create() -> Contact:
        contact = Contact(kind=seat.kind, province_code=seat.province_code, department_id=seat.department_id,
                          seat=seat.seat, commune_code=seat.commune_code)
        start_tenure(contact)
        fill(actor, seat, contact, values, "create", {})
        return contact

    contact, created = insert_or_winner(create, lambda: seat_contact(seat))
    if not created and not holds(contact, values):
        raise ContactConflict(SAME_MOMENT)
    return contact


def update_seat(actor: User | None, seat: Seat, current: Contact, values: dict, is_replacement: bool) -> None:
    """Change the seat's holder (a replacement) or their details; the row's version refuses a concurrent save."""
    before = snapshot(current)
    action = "replace" if is_replacement else "update"
    if is_replacement:
        start_tenure(current)
    else:
        check_cccd_allowed(current, values["cccd"])
        if not values["cccd"]:
            values["cccd"] = current.cccd  # an empty field keeps the stored number, which the form never shows back
    fill(actor, seat, current, values, action, before)
    try:
        db.session.flush()
    except (IntegrityError, StaleDataError):
        db.session.rollback()
        raise ContactConflict(SAME_MOMENT) from None


def start_tenure(contact: Contact) -> None:
    """A new person in the seat: whether they came after the deadline, and the notice they agreed to (today's
    text, shown beside the form's checkbox); the previous person's withdrawals were theirs, not the new one's."""
    now = utcnow()
    contact.is_late = now > deadline()
    contact.notice_version = notices.current("contact").version
    contact.consent_at = now
    contact.consent_withdrawn_at = None
    contact.reminders_notice_version = contact.reminders_consent_at = contact.reminders_withdrawn_at = None


def check_cccd_allowed(contact: Contact, cccd: str | None) -> None:
    """Refuse a CCCD for an entry whose person withdrew their consent: only they can give it again."""
    if cccd and contact.consent_withdrawn_at is not None:
        raise DomainError(_l("This person withdrew their consent to keeping a CCCD number. It can be stored again "
                             "only after they give their consent anew on “My data”."), field="cccd")


def fill(actor: User | None, seat: Seat, contact: Contact, values: dict, action: str, before: dict) -> None:
    """Write the person's fields and the history entry that describes the change."""
    for field, value in values.items():
        setattr(contact, field, value)
    contact.updated_by_id = actor.id if actor else None
    db.session.add(ContactChange(seat_key=seat.key, province_code=seat.province_code, action=action,
                                 changes=describe_changes(before, values), changed_by_id=contact.updated_by_id))


@dataclass(frozen=True)
class SeatEntry:
    """What a form submitted for one seat."""

    seat: Seat
    raw: dict
    expected_version: int | None
    is_replacement: bool = False


def changes_anything(current: Contact | None, raw: dict, is_replacement: bool = False) -> bool:
    """Whether an entry would change its seat: for an empty seat, anything typed in; for a held one, a field
    that differs from the stored entry, a CCCD typed in (the form never shows the stored one) or a replacement."""
    if current is None:
        return any((raw.get(name) or "").strip() for name in PERSON_FIELDS + ("cccd",))
    if is_replacement or (raw.get("cccd") or "").strip():
        return True
    values, errors = clean_person(raw)
    return bool(errors) or any((values[name] or "") != (getattr(current, name) or "") for name in PERSON_FIELDS)


def save_seats(actor: User, entries: list[SeatEntry]) -> list[Contact]:
    """Check every entry, then write them all in one transaction, or none (a Sở's two cadres on one page).

    Raises SeatRefused naming the seat whose entry was refused.
    """
    for entry in entries:
        _values, errors = clean_person(entry.raw)
        if errors:
            field, message = next(iter(errors.items()))
            raise SeatRefused(entry.seat, DomainError(message, field=field))
    saved = []
    for entry in entries:
        try:
            saved.append(save_seat(actor, entry.seat, entry.raw, entry.expected_version,
                                   is_replacement=entry.is_replacement, commit=False))
        except DomainError as error:
            db.session.rollback()
            raise SeatRefused(entry.seat, error) from None
    db.session.commit()
    return saved


def remove_contact(actor: User, contact: Contact, expected_version: int) -> None:
    """Vacate a seat; the history keeps who held it (without the CCCD). The person is withdrawn from their
    sessions first, so seats are given back and sessions still ahead are taken out of their calendar."""
    if contact.version != expected_version:
        raise ContactConflict(_l("Someone else changed this entry after you opened it. Review it before removing."))
    for enrolment in contact_enrolments(contact):
        release(enrolment)
    seat = Seat.of_contact(contact)
    db.session.add(ContactChange(seat_key=seat.key, province_code=seat.province_code, action="remove",
                                 changes=describe_changes(snapshot(contact), {}), changed_by_id=actor.id))
    db.session.delete(contact)
    db.session.commit()


def allow_shared_person(actor: User, contact: Contact, allowed: bool) -> None:
    contact.is_shared_person_allowed = allowed
    record(actor, "contact.shared_person", f"contact:{contact.id}", f"allowed={allowed}")
    db.session.commit()


def reveal_cccd(actor: User, contact: Contact, reason: str) -> str:
    """The full CCCD for an admin who gives a reason; every such view goes to the audit log."""
    reason = " ".join(reason.split())
    if actor.role != "admin":
        raise DomainError(_l("Only ministry administrators can see a full CCCD number."))
    if len(reason) < 5:
        raise DomainError(_l("Say why you need the full number."), field="reason")
    record(actor, "contact.cccd_view", f"contact:{contact.id}", reason)
    db.session.commit()
    return contact.cccd or ""


def seat_history(seat: Seat) -> list[ContactChange]:
    return db.session.execute(
        select(ContactChange).where(ContactChange.seat_key == seat.key).order_by(ContactChange.id.desc())
    ).scalars().all()


def duties() -> dict[str, str]:
    stored = {d.kind: d.body for d in db.session.execute(select(DutyText)).scalars()}
    return {kind: stored.get(kind, text) for kind, text in DEFAULT_DUTIES.items()}


def save_duties(actor: User, kind: str, body: str) -> None:
    body = body.strip()
    if kind not in DEFAULT_DUTIES or not body:
        raise DomainError(_l("Write the duties."), field="body")
    duty = db.session.get(DutyText, kind) or DutyText(kind=kind)
    duty.body = body
    db.session.add(duty)
    record(actor, "contacts.duties", kind)
    db.session.commit()
