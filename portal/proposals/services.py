"""The rules of proposals: what one holds, the tickets it answers, its dated steps, and the release notices."""
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, func, insert, select, update

from portal.audit.services import record
from portal.auth.models import User
from portal.core import clock
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.core.i18n import local
from portal.mail.services import send_each
from portal.proposals.models import AREAS, STATUSES, Proposal, ProposalChange, ProposalTicket
from portal.support.desk import reference_number
from portal.support.models import KnownIssue, Ticket, TicketMessage

# Each status and the ones it may move on to; released and declined are final.
TRANSITIONS = {
    "drafted": ("sent",),
    "sent": ("accepted", "declined"),
    "accepted": ("in_test", "declined"),
    "in_test": ("released", "declined"),
    "released": (),
    "declined": (),
}
FINAL = ("released", "declined")
STATUS_LABELS = {"drafted": _l("Drafted"), "sent": _l("Sent"), "accepted": _l("Accepted"), "in_test": _l("In test"),
                 "released": _l("Released"), "declined": _l("Declined")}
AREA_LABELS = {"feature": _l("Feature"), "function": _l("Function"), "interface": _l("Interface")}
MAX_TICKETS = 500  # far past any group the recurring page shows; keeps one proposal's INSERT bounded
SEPARATORS = re.compile(r"[,;\s]+")


@dataclass(frozen=True)
class ProposalInput:
    title: str
    area: str
    change: str
    reason: str


def today() -> date:
    """Today in Vietnam, on the portal's clock."""
    return local(clock.now()).date()


def checked(data: ProposalInput) -> ProposalInput:
    """The input trimmed, or a DomainError naming the first field that is missing."""
    title = " ".join(data.title.split())
    if not title:
        raise DomainError(_l("Give the proposal a title."), field="title")
    if data.area not in AREAS:
        raise DomainError(_l("Choose whether it concerns a feature, a function or the interface."), field="area")
    change, reason = data.change.strip(), data.reason.strip()
    if not change:
        raise DomainError(_l("Say what should change."), field="change")
    if not reason:
        raise DomainError(_l("Say why it should change."), field="reason")
    return ProposalInput(title[:200], data.area, change, reason)


def ticket_numbers(text: str) -> list[int]:
    """The ticket numbers typed in a box (HT-2026-000123, 000123 or 123, separated by commas, spaces or lines)."""
    numbers, wrong = [], []
    for token in SEPARATORS.split(text.strip()):
        if not token:
            continue
        number = reference_number(token)
        (numbers if number is not None else wrong).append(number if number is not None else token)
    if wrong:
        raise DomainError(_l("Not a ticket number: %(values)s.", values=", ".join(wrong[:5])), field="ticket_numbers")
    return numbers


def existing_tickets(ticket_ids: list[int]) -> list[Ticket]:
    """The tickets with these numbers, oldest first; a number that names no ticket is refused."""
    wanted = list(dict.fromkeys(ticket_ids))
    if len(wanted) > MAX_TICKETS:
        raise DomainError(_l("A proposal answers at most %(count)s tickets.", count=MAX_TICKETS),
                          field="ticket_numbers")
    found = db.session.execute(select(Ticket).where(Ticket.id.in_(wanted)).order_by(Ticket.id)).scalars().all()
    missing = sorted(set(wanted) - {ticket.id for ticket in found})
    if missing:
        raise DomainError(_l("No ticket has the number %(numbers)s.", numbers=", ".join(map(str, missing[:5]))),
                          field="ticket_numbers")
    return found


def checked_day(proposal: Proposal | None, day: date | None) -> date:
    """The day of a step: not in the future, and not before the proposal's previous step."""
    day = day or today()
    if day > today():
        raise DomainError(_l("The date cannot be in the future."), field="happened_on")
    if proposal is not None and day < proposal.status_on:
        raise DomainError(_l("The date cannot be before the previous step (%(day)s).",
                             day=proposal.status_on.strftime("%d/%m/%Y")), field="happened_on")
    return day


def link_tickets(proposal_id: int, ticket_ids: list[int]) -> None:
    if ticket_ids:
        db.session.execute(insert(ProposalTicket), [{"proposal_id": proposal_id, "ticket_id": ticket_id}
                                                    for ticket_id in ticket_ids])


def create(actor: User, data: ProposalInput, ticket_ids: list[int], known_issue_id: int | None = None,
           day: date | None = None) -> Proposal:
    """A drafted proposal with its tickets, its first dated step and an audit event, in one transaction."""
    data = checked(data)
    tickets = existing_tickets(ticket_ids)
    day = checked_day(None, day)
    issue = db.session.get(KnownIssue, known_issue_id) if known_issue_id else None
    proposal = Proposal(title=data.title, area=data.area, change=data.change, reason=data.reason, status="drafted",
                        status_on=day, created_by_id=actor.id, source_known_issue_id=issue.id if issue else None)
    db.session.add(proposal)
    db.session.flush()
    link_tickets(proposal.id, [ticket.id for ticket in tickets])
    db.session.add(ProposalChange(proposal_id=proposal.id, old_status=None, new_status="drafted", happened_on=day,
                                  changed_by_id=actor.id))
    record(actor, "proposal.create", f"proposal:{proposal.id}", f"tickets={len(tickets)}")
    db.session.commit()
    return proposal


def edit(actor: User, proposal: Proposal, data: ProposalInput, ticket_ids: list[int]) -> Proposal:
    """New wording and tickets, until the proposal is released or declined (its reporters were told by then)."""
    if proposal.status in FINAL:
        raise DomainError(_l("A released or declined proposal can no longer be edited."))
    data = checked(data)
    wanted = {ticket.id for ticket in existing_tickets(ticket_ids)}
    current = set(db.session.execute(
        select(ProposalTicket.ticket_id).where(ProposalTicket.proposal_id == proposal.id)).scalars())
    proposal.title, proposal.area, proposal.change, proposal.reason = data.title, data.area, data.change, data.reason
    if current - wanted:
        db.session.execute(delete(ProposalTicket).where(ProposalTicket.proposal_id == proposal.id,
                                                        ProposalTicket.ticket_id.in_(current - wanted)))
    link_tickets(proposal.id, sorted(wanted - current))
    record(actor, "proposal.edit", f"proposal:{proposal.id}",
           f"added={len(wanted - current)} removed={len(current - wanted)}")
    db.session.commit()
    return proposal


def move(actor: User, proposal: Proposal, status: str, day: date | None = None, note: str = "") -> int:
    """Take the proposal to its next status on a day; on release its reporters are told through the outbox.

    One conditional UPDATE moves it, so of two people who release it at once only one does (and mails).
    Returns how many reporters were queued a notice.
    """
    old = proposal.status
    if status not in STATUSES:
        raise DomainError(_l("Choose a status."), field="status")
    if status not in TRANSITIONS[old]:
        raise DomainError(_l("A proposal cannot go from “%(old)s” to “%(new)s”.",
                             old=STATUS_LABELS[old], new=STATUS_LABELS[status]), field="status")
    day = checked_day(proposal, day)
    moved = db.session.execute(
        update(Proposal).where(Proposal.id == proposal.id, Proposal.status == old)
        .values(status=status, status_on=day).execution_options(synchronize_session=False)
    ).rowcount
    if not moved:
        db.session.rollback()
        raise DomainError(_l("Someone else changed this proposal's status meanwhile: look again."))
    db.session.add(ProposalChange(proposal_id=proposal.id, old_status=old, new_status=status, happened_on=day,
                                  note=" ".join(note.split())[:500], changed_by_id=actor.id))
    db.session.refresh(proposal, ["status", "status_on"])
    told = tell_reporters(actor, proposal) if status == "released" else 0
    record(actor, "proposal.status", f"proposal:{proposal.id}", f"{old}->{status} on={day.isoformat()} told={told}")
    db.session.commit()
    return told



@dataclass
class Reporter:
    user: User
    tickets: list


def reporters(proposal_id: int) -> list[Reporter]:
    """Everyone who filed one of the proposal's tickets, once per e-mail address (without case), with their
    tickets; an account without an address is left out. One query."""
    rows = db.session.execute(
        select(User, Ticket).join(Ticket, Ticket.reporter_id == User.id)
        .join(ProposalTicket, ProposalTicket.ticket_id == Ticket.id)
        .where(ProposalTicket.proposal_id == proposal_id, User.email != "")
        .order_by(User.id, Ticket.id)
    ).all()
    found: dict[str, Reporter] = {}
    for user, ticket in rows:
        found.setdefault(user.email.strip().lower(), Reporter(user, [])).tickets.append(ticket)
    return list(found.values())


def tell_reporters(actor: User, proposal: Proposal) -> int:
    """One e-mail per reporter (keyed, so never twice) and an internal note on each ticket's thread."""
    people = reporters(proposal.id)
    messages = []
    with force_locale("vi"):  # accounts carry no language of their own: the portal's, Vietnamese
        for person in people:
            context = {"proposal": proposal, "person": person.user, "tickets": person.tickets}
            messages.append((person.user.email,
                             render_template("proposals/mail/released_subject.txt", **context).strip(),
                             render_template("proposals/mail/released.txt", **context),
                             f"proposal-released:{proposal.id}:{person.user.email.strip().lower()}"))
        note = render_template("proposals/mail/ticket_note.txt", proposal=proposal).strip()
    ticket_ids = db.session.execute(
        select(ProposalTicket.ticket_id).where(ProposalTicket.proposal_id == proposal.id)).scalars().all()
    if ticket_ids:
        db.session.execute(insert(TicketMessage), [{"ticket_id": ticket_id, "author_id": actor.id, "body": note,
                                                    "is_internal": True} for ticket_id in ticket_ids])
    return send_each(messages)


def list_query(status: str = "") -> Select:
    """(proposal, number of its tickets) rows, newest first, in one query; optionally of one status."""
    count = (select(func.count(ProposalTicket.id)).where(ProposalTicket.proposal_id == Proposal.id)
             .correlate(Proposal).scalar_subquery())
    query = select(Proposal, count.label("ticket_count")).order_by(Proposal.id.desc())
    return query.where(Proposal.status == status) if status else query


def status_counts() -> Counter:
    return Counter(dict(db.session.execute(select(Proposal.status, func.count()).group_by(Proposal.status)).all()))


def tickets_of(proposal_id: int) -> list[Ticket]:
    return db.session.execute(
        select(Ticket).join(ProposalTicket, ProposalTicket.ticket_id == Ticket.id)
        .where(ProposalTicket.proposal_id == proposal_id).order_by(Ticket.id)
    ).scalars().all()


def history(proposal_id: int) -> list[ProposalChange]:
    return db.session.execute(
        select(ProposalChange).where(ProposalChange.proposal_id == proposal_id).order_by(ProposalChange.id)
    ).scalars().all()


def known_issue_tickets(issue_id: int) -> list[Ticket]:
    """The tickets linked to a known issue, oldest first."""
    return db.session.execute(
        select(Ticket).where(Ticket.known_issue_id == issue_id).order_by(Ticket.id).limit(MAX_TICKETS)
    ).scalars().all()


def tickets_by_id(ticket_ids: list[int]) -> list[Ticket]:
    """The tickets of a recurring group as its button sends them (numbers that name none are dropped)."""
    return db.session.execute(
        select(Ticket).where(Ticket.id.in_(ticket_ids[:MAX_TICKETS])).order_by(Ticket.id)).scalars().all()
