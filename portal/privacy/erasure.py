"""Erasing one person: a preview of exactly what changes, then all of it in one transaction.

Rows that other records need stay and lose the person (the account, their contact entries with the attendance that
points at them, account requests, ticket threads); rows that only serve the person go (sign-in and calendar links,
copies of their data, their attachments and those files, mail addressed to them). Then every text column of every
table is scrubbed of the person's e-mail, phones, CCCD and names: a ticket thread or a colleague's notice that
quotes them keeps its sense and loses them. What remains of the person is their e-mail as a keyed hash
(ErasedIdentity), so that a new registration of the same address can be recognised.

Files are removed after the commit: should that fail, the rows naming them are gone already and the hourly
storage sweep removes what no record names.
"""
import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import LazyString, lazy_gettext as _l
from sqlalchemy import JSON, LargeBinary, String, Text, Unicode, UnicodeText, cast, delete, or_, select, update

from portal.accounts.models import AccountRequest
from portal.audit.models import AuditEvent
from portal.audit.services import record
from portal.auth.models import PasswordToken, User
from portal.contacts.models import Contact, ContactChange
from portal.contacts.services import Seat
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.core.models_base import utcnow
from portal.core.storage import storage
from portal.feeds.models import FeedToken
from portal.imports.models import PendingImport
from portal.mail.models import OutboxMessage
from portal.privacy.anonymise import ERASED_VALUE, anonymise_contacts, erased_name, scrub_history
from portal.privacy.export import DataExport
from portal.privacy.models import ErasedIdentity, PrivacyRequest
from portal.integrations.models import Integration
from portal.support.models import (
    ProvinceAgent, SupportAgent, SupportContact, Ticket, TicketAttachment, TicketMessage)
from portal.support.services import attachment_key
from portal.training.models import Enrolment
from portal.util.validators import display_phone

# Columns that hold another person's name as a whole: a namesake there is someone else, never scrubbed by name.
NAME_COLUMNS = {"full_name", "name", "contact_name"}
TEXT_TYPES = (String, Text, Unicode, UnicodeText)


def email_hash(email: str) -> str:
    """The keyed hash an erased e-mail is kept as: HMAC-SHA256 under a key derived from SECRET_KEY."""
    key = hashlib.sha256(b"erased-identity:" + current_app.config["SECRET_KEY"].encode()).digest()
    return hmac.new(key, normal_email(email).encode(), hashlib.sha256).hexdigest()


def normal_email(email: str) -> str:
    return (email or "").strip().lower()


def was_erased(email: str) -> bool:
    """Whether this address belonged to a person whose data was erased (for a re-registration to be told)."""
    return db.session.execute(select(ErasedIdentity.id).where(ErasedIdentity.email_hash == email_hash(email))
                              ).first() is not None


@dataclass
class Identity:
    """What identifies the person in text: patterns that match their values and nothing around them."""

    email: str
    phones: set[str] = field(default_factory=set)  # as stored: +84912345678
    cccds: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)

    def phone_forms(self) -> set[str]:
        """Each phone as stored, as shown (0912 345 678) and as typed (0912345678)."""
        forms = set()
        for phone in self.phones:
            shown = display_phone(phone)
            forms |= {phone, shown, shown.replace(" ", "")}
        return {form for form in forms if form}

    def literals(self, with_names: bool) -> list[str]:
        """The values to look for with LIKE, before the exact patterns decide."""
        values = [self.email, *self.phone_forms(), *self.cccds]
        return [value for value in values + (sorted(self.names) if with_names else []) if value]

    def pattern(self, with_names: bool) -> re.Pattern:
        parts = [rf"(?<![\w.+-]){re.escape(self.email)}(?![\w-])"]
        parts += [rf"(?<!\d){re.escape(value)}(?!\d)" for value in sorted(self.phone_forms() | self.cccds)]
        if with_names:
            parts += [rf"(?<!\w){re.escape(name)}(?!\w)" for name in sorted(self.names)]
        return re.compile("|".join(parts), re.IGNORECASE)


@dataclass
class Plan:
    """What an erasure changes: `lines` as (what, how many) for the preview, `backups` that still hold the data."""

    email: str
    user: User | None
    contacts: list[Contact]
    account_requests: list[AccountRequest]
    tickets: list[Ticket]
    messages: int
    enrolments: int
    attachments: list[TicketAttachment]
    exports: list[DataExport]
    outbox: int
    tokens: int
    requests: list[PrivacyRequest]
    backups: list[tuple[str, datetime]]
    identity: Identity

    @property
    def lines(self) -> list[tuple[LazyString, int]]:
        rows = [
            (_l("Account anonymised; it can no longer sign in"), 1 if self.user else 0),
            (_l("Contact entries anonymised (their seat, enrolments and attendance stay)"), len(self.contacts)),
            (_l("Enrolments and attendance kept, without the name"), self.enrolments),
            (_l("Account requests anonymised, CCCD erased"), len(self.account_requests)),
            (_l("Tickets kept, the person's details removed from them"), len(self.tickets)),
            (_l("Replies written by the person kept, their details removed"), self.messages),
            (_l("Attachments deleted, with their files"), len(self.attachments)),
            (_l("Copies of the person's data deleted"), len(self.exports)),
            (_l("E-mails to the person deleted from the outbox"), self.outbox),
            (_l("Sign-in and calendar links revoked"), self.tokens),
            (_l("Requests about their data kept, the e-mail kept only as a keyed hash"), len(self.requests)),
        ]
        return rows

    @property
    def is_empty(self) -> bool:
        return not any(count for _label, count in self.lines)


def backups_holding(now: datetime) -> list[tuple[str, datetime]]:
    """Backups written (and audited) within BACKUP_KEPT_DAYS: each still holds the data until it expires."""
    kept = timedelta(days=current_app.config["BACKUP_KEPT_DAYS"])
    events = db.session.execute(select(AuditEvent).where(AuditEvent.action == "backup.write",
                                                         AuditEvent.at > now - kept)
                                .order_by(AuditEvent.at)).scalars()
    return [(event.target, event.at + kept) for event in events]


def preview(email: str) -> Plan:
    """Everything an erasure of this e-mail would change, read in a fixed number of queries; nothing written."""
    email = normal_email(email)
    if not email:
        raise DomainError(_l("Enter the e-mail of the person whose data is to be erased."))
    user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    contacts = list(db.session.execute(select(Contact).where(Contact.email == email).order_by(Contact.id)).scalars())
    account_requests = list(db.session.execute(
        select(AccountRequest).where(AccountRequest.email == email).order_by(AccountRequest.id)).scalars())
    requests = list(db.session.execute(
        select(PrivacyRequest).where(PrivacyRequest.email == email).order_by(PrivacyRequest.id)).scalars())
    tickets, attachments, exports, messages, tokens = [], [], [], 0, 0
    if user is not None:
        tickets = list(db.session.execute(select(Ticket).where(Ticket.reporter_id == user.id)
                                          .order_by(Ticket.id)).scalars())
        attachments = list(db.session.execute(select(TicketAttachment).where(TicketAttachment.uploaded_by_id == user.id)
                                              .order_by(TicketAttachment.id)).scalars())
        exports = list(db.session.execute(select(DataExport).where(DataExport.user_id == user.id)).scalars())
        messages = db.session.scalar(select(db.func.count()).select_from(TicketMessage)
                                     .where(TicketMessage.author_id == user.id))
        tokens = (db.session.scalar(select(db.func.count()).select_from(PasswordToken)
                                    .where(PasswordToken.user_id == user.id))
                  + db.session.scalar(select(db.func.count()).select_from(FeedToken).where(FeedToken.user_id == user.id)))
    enrolments = db.session.scalar(select(db.func.count()).select_from(Enrolment)
                                   .where(Enrolment.contact_id.in_([c.id for c in contacts]))) if contacts else 0
    outbox = db.session.scalar(select(db.func.count()).select_from(OutboxMessage)
                               .where(OutboxMessage.recipient == email))
    identity = Identity(email)
    for person in [user] if user else []:
        identity.names.add(person.full_name)
    for row in [*contacts, *account_requests]:
        identity.names.add(row.full_name)
        identity.phones.add(row.phone)
        identity.cccds.add(row.cccd)
    identity.phones = {phone for phone in identity.phones if phone}
    identity.cccds = {cccd for cccd in identity.cccds if cccd}
    # A one-word name (or none) would match too much text that is not about the person.
    identity.names = {name.strip() for name in identity.names if name and len(name.split()) >= 2}
    return Plan(email, user, contacts, account_requests, tickets, messages, enrolments, attachments, exports,
                outbox, tokens, requests, backups_holding(utcnow()), identity)


def erase(email: str, actor: User | None, request: PrivacyRequest | None = None) -> Plan:
    """Carry out the erasure `preview(email)` shows, in one transaction, and record it without the values.

    :param actor: the admin who approved it (None from the CLI, where the audit event says "cli").
    :param request: the person's request, marked done by the same commit.
    """
    plan = preview(email)
    if plan.is_empty:
        raise DomainError(_l("Nothing on record for this e-mail."))
    if actor is not None and plan.user is not None and actor.id == plan.user.id:
        raise DomainError(_l("You cannot erase your own account; another admin must approve it."))
    now = utcnow()
    keys = [attachment_key(item) for item in plan.attachments] + [export.key for export in plan.exports
                                                                   if export.stored_name]
    seats = {Seat.of_contact(contact).key for contact in plan.contacts}
    anonymise_contacts(plan.contacts)
    for row in plan.account_requests:
        row.full_name, row.unit, row.phone, row.email = erased_name(row.id), "", "", ""
        row.cccd, row.procedures, row.note = None, "", ""
    for item in plan.attachments:
        db.session.delete(item)
    for export in plan.exports:
        db.session.delete(export)
    hashed = email_hash(plan.email)
    if request is not None:
        request.status, request.closed_at, request.handled_by_id = "done", now, actor.id if actor else None
    for row in plan.requests:
        row.email, row.phone, row.email_hash = "", "", hashed
        if row.is_open:  # nothing left to restrict, object to or correct: settled by the erasure
            row.status, row.closed_at, row.handled_by_id = "done", now, actor.id if actor else None
            row.answer = "Dữ liệu của người yêu cầu đã được xoá toàn bộ."
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == plan.email))
    db.session.execute(delete(PendingImport).where(or_(*[cast(PendingImport.rows, Text).contains(value, autoescape=True)
                                                       for value in plan.identity.literals(with_names=False)])))
    user = plan.user
    if user is not None:
        db.session.execute(delete(PasswordToken).where(PasswordToken.user_id == user.id))
        db.session.execute(delete(FeedToken).where(FeedToken.user_id == user.id))
        db.session.execute(delete(ProvinceAgent).where(ProvinceAgent.agent_id == user.id))
        db.session.execute(delete(SupportAgent).where(SupportAgent.user_id == user.id))
        db.session.execute(update(AuditEvent).where(AuditEvent.actor_id == user.id).values(address=""))
        user.email, user.full_name = f"erased-{user.id}@erased.invalid", erased_name(user.id)
        user.password_hash, user.is_active, user.last_login_at, user.erased_at = None, False, None, now
        user.session_version += 1
    db.session.flush()
    scrub_history(seats | history_mentioning(plan.identity),
                  [{"email": plan.email}, *({"phone": phone} for phone in plan.identity.phones),
                   *({"full_name": name} for name in plan.identity.names)])
    # Directory entries listing the person (support contacts, a vendor's contact for an integration).
    db.session.execute(delete(SupportContact).where(SupportContact.email == plan.email))
    db.session.execute(update(Integration).where(Integration.contact_email == plan.email)
                       .values(contact_name="", contact_phone="", contact_email=""))
    scrub_text_columns(plan.identity)
    if db.session.execute(select(ErasedIdentity.id).where(ErasedIdentity.email_hash == hashed)).first() is None:
        db.session.add(ErasedIdentity(email_hash=hashed, erased_at=now))
    counted = ", ".join(f"{count}" for _label, count in plan.lines)
    target = f"request:{request.id}" if request is not None else (f"user:{user.id}" if user else "cli")
    record(actor, "privacy.erase", target, f"counts {counted}")
    db.session.commit()
    for key in keys:
        storage().delete(key)
    return plan


def history_mentioning(identity: Identity) -> set[str]:
    """Seats whose history holds the person's e-mail or phone: seats they held before someone replaced them."""
    literals = identity.literals(with_names=False)
    rows = db.session.execute(select(ContactChange.seat_key).where(
        or_(*[cast(ContactChange.changes, Text).contains(value, autoescape=True) for value in literals]))).scalars()
    return set(rows)


def scrub_text_columns(identity: Identity) -> int:
    """Replace the person's values in every text and JSON column of every table; returns how many rows changed.

    LIKE finds the candidate rows, then the exact patterns replace: "an@x.vn" never touches "tran@x.vn", a phone
    never touches a longer number. Names are not looked for in columns that hold another person's name as a whole.
    JSON is searched on its text (ASCII values only: names there are escaped), then walked value by value.
    """
    changed = 0
    for table in db.Model.metadata.sorted_tables:
        key = list(table.primary_key.columns)
        for column in table.columns:
            if isinstance(column.type, LargeBinary) or not isinstance(column.type, (*TEXT_TYPES, JSON)):
                continue
            is_json = isinstance(column.type, JSON)
            with_names = column.name not in NAME_COLUMNS and not is_json
            literals = identity.literals(with_names)
            target = cast(column, Text) if is_json else column
            found = db.session.execute(select(*key, column).where(
                or_(*[target.icontains(value, autoescape=True) for value in literals]))).all()
            pattern = identity.pattern(with_names)
            for row in found:
                value = row[-1]
                scrubbed = walk(value, pattern)
                if scrubbed != value:
                    db.session.execute(update(table).where(*[k == row[i] for i, k in enumerate(key)])
                                       .values({column.name: scrubbed}))
                    changed += 1
    return changed


def walk(value, pattern: re.Pattern):
    """The value with every match replaced, through lists and dicts (JSON)."""
    if isinstance(value, str):
        return pattern.sub(ERASED_VALUE, value)
    if isinstance(value, list):
        return [walk(item, pattern) for item in value]
    if isinstance(value, dict):
        return {name: walk(item, pattern) for name, item in value.items()}
    return value
