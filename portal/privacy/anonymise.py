"""Anonymising in place: a row that other records need keeps its place, the person's values go.

Shared by the erasure of one person (erasure.py) and the retention rule that ends the focal contacts' purpose
(retention.py). The words written in place are data, not interface text: they read the same in every language.
"""
import re

from sqlalchemy import or_, select

from portal.contacts.models import Contact, ContactChange
from portal.contacts.services import Seat
from portal.core.extensions import db

ERASED_VALUE = "[đã xoá]"
PERSON_FIELDS = ("full_name", "position", "unit_name", "phone", "email")


def erased_name(row_id: int) -> str:
    """What stands in place of an erased person's name: "Người dùng đã xoá #123"."""
    return f"Người dùng đã xoá #{row_id}"


def national_digits(value: str | None) -> str:
    """A phone's digits in the national form, whichever way it was written: +84912345678 and 0912 345 678 alike."""
    number = re.sub(r"\D", "", value or "")
    return "0" + number[2:] if number.startswith("84") and len(number) >= 11 else number


def matches(value, people: list[dict]) -> bool:
    """Whether a history value is one of the people's values: the same text, or the same phone in any format."""
    if not isinstance(value, str) or not value.strip():
        return False
    text, number = value.strip().casefold(), national_digits(value)
    for person in people:
        for name in PERSON_FIELDS:
            own = (person.get(name) or "").strip()
            if not own:
                continue
            if text == own.casefold() or (name == "phone" and len(number) >= 9 and number == national_digits(own)):
                return True
    return False


def scrub_history(seat_keys: set[str], people: list[dict]) -> int:
    """Replace the people's values in the change history of these seats; the history keeps what changed and when.
    Returns how many history rows changed."""
    if not seat_keys:
        return 0
    changed = 0
    rows = db.session.execute(select(ContactChange).where(ContactChange.seat_key.in_(sorted(seat_keys)))).scalars()
    for row in rows:
        scrubbed = {field: [ERASED_VALUE if matches(value, people) else value for value in pair]
                    for field, pair in (row.changes or {}).items()}
        if scrubbed != row.changes:
            row.changes = scrubbed
            changed += 1
    return changed


def person_values(contact: Contact) -> dict:
    return {name: getattr(contact, name) for name in PERSON_FIELDS}


def anonymise_contacts(contacts: list[Contact]) -> int:
    """Blank each contact's person in place (the seat, its enrolments and attendance stay), and scrub their values
    from the seats' history; one history entry per seat says it happened, without the values. The caller commits."""
    people = [person_values(contact) for contact in contacts]
    seats = {contact.id: Seat.of_contact(contact) for contact in contacts}
    for contact in contacts:
        contact.full_name = erased_name(contact.id)
        contact.position = contact.unit_name = contact.phone = contact.email = ""
        contact.cccd = None
    scrub_history({seat.key for seat in seats.values()}, people)
    for contact in contacts:
        db.session.add(ContactChange(seat_key=seats[contact.id].key, province_code=contact.province_code,
                                     action="anonymise", changes={}, changed_by_id=None))
    return len(contacts)


def contacts_with(emails: list[str], phones: list[str]) -> list[Contact]:
    """Contacts registered under any of these e-mails or phones (phones compared as stored, digits only)."""
    conditions = []
    if emails:
        conditions.append(Contact.email.in_(emails))
    if phones:
        conditions.append(Contact.phone.in_(phones))
    if not conditions:
        return []
    return list(db.session.execute(select(Contact).where(or_(*conditions)).order_by(Contact.id)).scalars())
