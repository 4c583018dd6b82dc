"""Each consent a person gave, with the text of the version they were shown, and its withdrawal (Law 91/2025/QH15,
Art. 9: informed, per purpose, verifiable; a withdrawal stops the processing that depends on it).

Three purposes (portal.privacy.notices):
- "contact": the focal-contact registration. Its name, phone and e-mail are held for the ministry's public task;
  what rests on the consent is the CCCD (the register's contacts.cccd, basis "consent"). Withdrawing erases the
  CCCD at once, and no CCCD is stored for that entry again until the person gives the consent anew.
- "reminders": session reminder e-mails. They are sent on consent, not by default: the consent the coordinator
  records at registration (the accept_notice box, whose text names the reminders) covers them, because silence is
  not consent and a contact with no recorded consent does not exist (contacts.consent_at is required). The person
  can withdraw it, which stops the reminders to their address (portal.privacy.reminders), and give it again.
- "account_request": the CCCD there is held for the public task of granting the account, so there is nothing to
  withdraw; the text is shown all the same.
"""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from portal.accounts.models import AccountRequest
from portal.audit.services import record
from portal.auth.models import User
from portal.contacts.models import Contact, ContactChange
from portal.contacts.services import Seat, describe_changes
from portal.core.extensions import db
from portal.core.models_base import utcnow
from portal.privacy import notices
from portal.privacy.notices import Notice

NO_WITHDRAWAL = {
    "account_request": _l("This cannot be withdrawn: the CCCD of an account request is needed by law to create the "
                          "account, and it is erased 30 days after the request is decided."),
}


@dataclass
class Consent:
    """One consent as the person reads it: for what, which text, when, and whether it still holds."""

    purpose: str  # a key of notices.PURPOSES
    version: str
    notice: Notice | None  # the text shown; None only for a version notices.py never published
    given_at: datetime | None
    withdrawn_at: datetime | None = None
    contact: Contact | None = None  # the entry a contact consent belongs to
    request: AccountRequest | None = None

    @property
    def title(self):
        return notices.PURPOSES[self.purpose]

    @property
    def is_withdrawable(self) -> bool:
        return self.purpose not in NO_WITHDRAWAL

    @property
    def why_not_withdrawable(self):
        return NO_WITHDRAWAL.get(self.purpose)

    @property
    def current(self) -> Notice:
        """The text someone giving this consent again accepts today."""
        return notices.current(self.purpose)


def reminders_consent(contacts: list[Contact]) -> Consent | None:
    """The person's one reminders consent, from their contact entries (they share the person's address).

    A withdrawal on any entry holds for the address; otherwise the consent given again on "My data", or else
    the registration's consent, whose notice named the reminders.
    """
    if not contacts:
        return None
    withdrawn = [c.reminders_withdrawn_at for c in contacts if c.reminders_withdrawn_at is not None]
    given = [c for c in contacts if c.reminders_notice_version]
    if given:
        entry = max(given, key=lambda c: c.reminders_consent_at)
        return Consent("reminders", entry.reminders_notice_version,
                       notices.get("reminders", entry.reminders_notice_version), entry.reminders_consent_at,
                       max(withdrawn) if withdrawn else None)
    entry = contacts[0]
    return Consent("reminders", entry.notice_version, notices.get("contact", entry.notice_version), entry.consent_at,
                   max(withdrawn) if withdrawn else None)


def person_consents(contacts: list[Contact], requests: list[AccountRequest]) -> list[Consent]:
    """Every consent of the person whose contact entries and account requests these are, with its text."""
    found = [Consent("contact", c.notice_version, notices.get("contact", c.notice_version), c.consent_at,
                     c.consent_withdrawn_at, contact=c) for c in contacts]
    reminders = reminders_consent(contacts)
    if reminders is not None:
        found.append(reminders)
    found += [Consent("account_request", r.notice_version, notices.get("account_request", r.notice_version),
                      r.consent_at, request=r) for r in requests]
    return found


def withdraw_contact(user: User, contact: Contact) -> None:
    """Withdraw the registration's consent for one's own entry: the CCCD goes at once (the seat's history says it
    was erased, never its value) and the audit log records the withdrawal, in one transaction."""
    if contact.consent_withdrawn_at is not None:
        return
    seat = Seat.of_contact(contact)
    if contact.cccd:
        db.session.add(ContactChange(seat_key=seat.key, province_code=contact.province_code, action="withdraw",
                                     changes=describe_changes({"cccd": contact.cccd}, {"cccd": None}),
                                     changed_by_id=user.id))
    contact.cccd = None
    contact.consent_withdrawn_at = utcnow()
    contact.updated_by_id = user.id
    record(user, "mydata.withdraw", f"contact:{contact.id}", "contact")
    db.session.commit()


def give_contact(user: User, contact: Contact) -> None:
    """Give the registration's consent again, to today's text: a CCCD may be stored for the entry again."""
    if contact.consent_withdrawn_at is None:
        return
    contact.notice_version, contact.consent_at = notices.current("contact").version, utcnow()
    contact.consent_withdrawn_at = None
    contact.updated_by_id = user.id
    record(user, "mydata.consent", f"contact:{contact.id}", f"contact {contact.notice_version}")
    db.session.commit()


def withdraw_reminders(user: User, contacts: list[Contact]) -> None:
    """Stop the session reminders to the person's address (every entry of theirs carries it)."""
    if not contacts or all(c.reminders_withdrawn_at is not None for c in contacts):
        return
    now = utcnow()
    for contact in contacts:
        contact.reminders_withdrawn_at = contact.reminders_withdrawn_at or now
    record(user, "mydata.withdraw", "contacts:" + ",".join(str(c.id) for c in contacts), "reminders")
    db.session.commit()


def give_reminders(user: User, contacts: list[Contact]) -> None:
    """Consent to the reminders again, to today's reminders notice, recorded on each of the person's entries."""
    if not contacts or all(c.reminders_withdrawn_at is None for c in contacts):
        return
    now, version = utcnow(), notices.current("reminders").version
    for contact in contacts:
        contact.reminders_withdrawn_at = None
        contact.reminders_notice_version, contact.reminders_consent_at = version, now
    record(user, "mydata.consent", "contacts:" + ",".join(str(c.id) for c in contacts), f"reminders {version}")
    db.session.commit()
