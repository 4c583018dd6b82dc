"""What the portal holds about the signed-in person, gathered in a fixed number of queries, and their corrections."""
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.accounts.models import AccountRequest
from portal.audit.services import record
from portal.auth.models import User
from portal.contacts.models import Contact, ContactChange
from portal.contacts.services import Seat, check_shared_person, clean_person, describe_changes
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.support.models import Ticket, TicketAttachment, TicketMessage
from portal.training.models import Enrolment


@dataclass
class MyData:
    """Everything about one person, by kind; account requests they filed for others are not here."""

    user: User | None
    contacts: list[Contact] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)
    account_requests: list[AccountRequest] = field(default_factory=list)

    @property
    def consents(self) -> list[tuple[str, str, object]]:
        """(where, notice version, when) for each entry that recorded a consent."""
        return ([("contact", c.notice_version, c.consent_at) for c in self.contacts]
                + [("account_request", r.notice_version, r.consent_at) for r in self.account_requests])


def own_email(user: User) -> str:
    """Contacts and requests store e-mails lower-cased (contacts.services.clean_person): match on that form."""
    return (user.email or "").strip().lower()


def visible_messages(ticket: Ticket) -> list[TicketMessage]:
    """The thread as its reporter sees it: agents' internal notes are not the reporter's data."""
    return [message for message in ticket.messages if not message.is_internal]


def visible_attachments(ticket: Ticket) -> list[TicketAttachment]:
    internal = {message.id for message in ticket.messages if message.is_internal}
    return [item for item in ticket.attachments if item.message_id not in internal]


def gather(user: User | None, email: str | None = None) -> MyData:
    """One query per kind (plus the eager loads), whatever the number of rows. Without an account (the data
    officer's export of a contact registered by their coordinator), by `email` alone: no account, no tickets."""
    email = own_email(user) if user is not None else (email or "").strip().lower()
    account = None
    if user is not None:
        account = db.session.execute(select(User).where(User.id == user.id)
                                     .options(joinedload(User.province), joinedload(User.commune))).scalar_one()
    contacts = db.session.execute(
        select(Contact).where(Contact.email == email)
        .options(joinedload(Contact.commune), joinedload(Contact.department)).order_by(Contact.id)).scalars().all()
    enrolments = db.session.execute(
        select(Enrolment).join(Enrolment.contact).where(Contact.email == email)
        .options(joinedload(Enrolment.session)).order_by(Enrolment.id)).scalars().all()
    tickets = [] if user is None else db.session.execute(
        select(Ticket).where(Ticket.reporter_id == user.id)
        .options(selectinload(Ticket.messages).joinedload(TicketMessage.author), selectinload(Ticket.attachments))
        .order_by(Ticket.id)).scalars().all()
    requests = db.session.execute(
        select(AccountRequest).where(AccountRequest.email == email).order_by(AccountRequest.id)).scalars().all()
    return MyData(account, list(contacts), list(enrolments), list(tickets), list(requests))


def own_contact(user: User, contact_id: int) -> Contact | None:
    """The person's own contact entry (its e-mail is theirs), else None."""
    contact = db.session.get(Contact, contact_id)
    return contact if contact is not None and contact.email == own_email(user) else None


def correct_contact(user: User, contact: Contact, full_name: str, phone: str) -> Contact:
    """Correct the name and phone of one's own contact entry, with the contacts domain's rules, the seat's
    history and an audit event, in one transaction. The e-mail stays: it is what makes the entry theirs."""
    if contact.email != own_email(user):
        raise DomainError("not your entry")
    raw = {"full_name": full_name, "phone": phone, "email": contact.email,
           "position": contact.position, "unit_name": contact.unit_name}
    values, errors = clean_person(raw)
    for name in ("full_name", "phone"):
        if name in errors:
            raise DomainError(errors[name], field=name)
    before = {"full_name": contact.full_name, "phone": contact.phone}
    after = {"full_name": values["full_name"], "phone": values["phone"]}
    if before == after:
        return contact
    seat = Seat.of_contact(contact)
    if after["phone"] != before["phone"]:
        try:  # one person, one commune: the phone must not be another commune administrator's
            check_shared_person(seat, {"email": None, "phone": after["phone"]}, contact)
        except DomainError as error:
            raise DomainError(error.message, field="phone") from None
    contact.full_name, contact.phone = after["full_name"], after["phone"]
    contact.updated_by_id = user.id
    db.session.add(ContactChange(seat_key=seat.key, province_code=contact.province_code, action="update",
                                 changes=describe_changes(before, after), changed_by_id=user.id))
    record(user, "mydata.correct", f"contact:{contact.id}", ", ".join(sorted(k for k in after if after[k] != before[k])))
    db.session.commit()
    return contact
