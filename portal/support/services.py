"""Filing, routing, answering and closing tickets; agents per province; the inbox query."""
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, case, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from portal.core import clock, uploads
from portal.access import visible_tickets
from portal.auth.models import User
from portal.core.database import existing_or_insert
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.mail.services import send_mail
from portal.core.models_base import utcnow
from portal.core.storage import key_for, storage
from portal.support import desk, feedback, sla
from portal.support.models import (
    PRIORITIES,
    ProvinceAgent,
    SupportAgent,
    Ticket,
    TicketAttachment,
    TicketCategory,
    TicketMessage,
)
from portal.util.text import fold

ATTACHMENT_TYPES = ("png", "jpg", "gif", "webp", "pdf", "docx", "xlsx", "pptx")
# Which status may follow which; "reopen" is going back from resolved or closed to in progress.
TRANSITIONS = {
    "new": {"assigned", "in_progress", "resolved"},
    "assigned": {"in_progress", "waiting", "resolved"},
    "in_progress": {"waiting", "resolved"},
    "waiting": {"in_progress", "resolved"},
    "resolved": {"closed", "in_progress"},
    "closed": {"in_progress"},
}
STAFF_ROLES = ("admin", "agent")
# Shown in the browser: sniffed raster images only (never SVG or HTML, which could run script).
INLINE_TYPES = tuple(uploads.CONTENT_TYPES[kind] for kind in uploads.IMAGE_TYPES)


def categories(active_only: bool = True) -> list[TicketCategory]:
    query = select(TicketCategory).order_by(TicketCategory.position, TicketCategory.id)
    if active_only:
        query = query.where(TicketCategory.is_active.is_(True))
    return db.session.execute(query).scalars().all()


def routed_agent(province_code: int) -> User | None:
    """The province's primary agent, or its backup while the primary is away, or nobody."""
    rows = {row.role: row for row in db.session.execute(
        select(ProvinceAgent).where(ProvinceAgent.province_code == province_code)).scalars()}
    primary, backup = rows.get("primary"), rows.get("backup")
    if primary is not None:
        status = db.session.get(SupportAgent, primary.agent_id)
        if status is None or not status.is_away:
            return primary.agent
    return backup.agent if backup is not None else None


def check_attachment(upload: uploads.Upload) -> str:
    extension = uploads.extension_of(upload.name)
    if extension not in ATTACHMENT_TYPES:
        raise DomainError(_l("Attach images, PDF or office files (.docx, .xlsx, .pptx)."), field="attachments")
    if upload.size > current_app.config["ATTACHMENT_MAX_BYTES"]:
        raise DomainError(_l("“%(name)s” is larger than %(mb)s MB.", name=upload.name,
                             mb=current_app.config["ATTACHMENT_MAX_BYTES"] // (1024 * 1024)), field="attachments")
    if upload.kind != extension:
        raise DomainError(_l("The content of “%(name)s” is not a .%(ext)s file.", name=upload.name, ext=extension),
                          field="attachments")
    return extension


def attach(ticket: Ticket, uploader: User, files: list[tuple[str, bytes | BinaryIO]],
           message: TicketMessage | None = None) -> None:
    """Check every file first, then store them all (nothing is kept if one is refused); an image keeps its size
    in pixels for its thumbnail. The files are written to the store before the caller commits their rows."""
    checked = [(upload, check_attachment(upload)) for upload in (uploads.opened(name, content) for name, content in files)]
    for upload, extension in checked:
        stored = uploads.stored_name(extension)
        content_type = uploads.CONTENT_TYPES[extension]
        size = storage().save(key_for("attachments", stored), upload.stream, content_type)
        width, height = (uploads.image_size(upload.head) if extension in uploads.IMAGE_TYPES else None) or (None, None)
        db.session.add(TicketAttachment(ticket_id=ticket.id, stored_name=stored, file_name=upload.name[-200:],
                                        content_type=content_type, size=size,
                                        uploaded_by_id=uploader.id, message_id=message.id if message else None,
                                        width=width, height=height))


def conversation(ticket: Ticket, staff: bool) -> list[TicketMessage]:
    """The ticket's messages with their authors and files in three queries; internal notes for staff only."""
    query = (select(TicketMessage).where(TicketMessage.ticket_id == ticket.id)
             .options(joinedload(TicketMessage.author), selectinload(TicketMessage.attachments))
             .order_by(TicketMessage.id))
    if not staff:
        query = query.where(TicketMessage.is_internal.is_(False))
    return db.session.execute(query).scalars().all()


def attachment_key(attachment: TicketAttachment) -> str:
    return key_for("attachments", attachment.stored_name)


def create_ticket(reporter: User, category_id: int, title: str, description: str, priority: str,
                  procedure_ref: str = "", files: list[tuple[str, bytes | BinaryIO]] = (),
                  submission_token: str | None = None) -> Ticket:
    """File a ticket for the reporter's province (and commune), route it, and give its reference at once.

    :param submission_token: the filing form's one-time token; the same form sent again (a double click,
        a retry) gets the ticket it filed the first time, even when both arrive at the same moment.
    """
    if reporter.role not in ("coordinator", "commune_admin") or not reporter.province_code:
        raise DomainError(_l("Only province coordinators and commune administrators file tickets."))
    title, description = " ".join(title.split()), description.strip()
    if not title:
        raise DomainError(_l("Enter the subject of the ticket."), field="title")
    if not description:
        raise DomainError(_l("Describe the problem."), field="description")
    if priority not in PRIORITIES:
        raise DomainError(_l("Choose a priority."), field="priority")
    category = db.session.get(TicketCategory, category_id)
    if category is None or not category.is_active:
        raise DomainError(_l("Choose a category."), field="category_id")
    now = utcnow()
    first_response, resolution = sla.targets(priority)
    agent = routed_agent(reporter.province_code)
    new = Ticket(
        category_id=category.id, title=title[:200], description=description, priority=priority,
        procedure_ref=procedure_ref.strip()[:100], province_code=reporter.province_code,
        commune_code=reporter.commune_code, reporter_id=reporter.id, assignee_id=agent.id if agent else None,
        status="assigned" if agent else "new", search_text=fold(f"{title} {description}"),
        first_response_due=sla.add_working_hours(now, first_response),
        resolution_due=sla.add_working_hours(now, resolution), submission_token=submission_token,
    )
    ticket, created = existing_or_insert(lambda: submitted_ticket(reporter, submission_token), lambda: new)
    if not created:
        return ticket
    attach(ticket, reporter, list(files))
    if agent is not None:
        notify(agent.email, "support/mail/assigned", ticket)
    db.session.commit()
    return ticket


def submitted_ticket(reporter: User, submission_token: str | None) -> Ticket | None:
    """The ticket the reporter already filed with this form, if any."""
    if submission_token is None:
        return None
    return db.session.execute(select(Ticket).where(
        Ticket.reporter_id == reporter.id, Ticket.submission_token == submission_token)).scalar_one_or_none()


def submitted_message(author: User, submission_token: str | None) -> TicketMessage | None:
    """The reply or note the author already wrote with this form, if any."""
    if submission_token is None:
        return None
    return db.session.execute(select(TicketMessage).where(
        TicketMessage.author_id == author.id, TicketMessage.submission_token == submission_token)
    ).scalar_one_or_none()


def notify(address: str, template: str, ticket: Ticket, **context) -> None:
    with force_locale("vi"):
        subject = render_template(f"{template}_subject.txt", ticket=ticket, **context).strip()
        body = render_template(f"{template}.txt", ticket=ticket, **context)
    send_mail(address, subject, body)


def set_status(ticket: Ticket, status: str) -> bool:
    """Move the ticket on; False when it already stands there, or another request (the same form sent twice at
    once) moved it first: one conditional UPDATE, so only one of them mails the reporter."""
    if status == ticket.status:
        return False
    if status not in TRANSITIONS[ticket.status]:
        raise DomainError(_l("A ticket cannot go from this status to that one."), field="status")
    now = utcnow()
    values = {"status": status}
    if status == "resolved":
        values["resolved_at"] = now
    elif status == "closed":
        values["closed_at"] = now
    elif status == "in_progress":
        values["resolved_at"] = values["closed_at"] = None
    db.session.flush()
    moved = db.session.execute(
        update(Ticket).where(Ticket.id == ticket.id, Ticket.status == ticket.status).values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(ticket, ["status", "resolved_at", "closed_at"])
    return bool(moved)


def respond(actor: User, ticket: Ticket, body: str, internal: bool = False, status: str = "",
            submission_token: str | None = None, files: list[tuple[str, bytes | BinaryIO]] = ()) -> TicketMessage | None:
    """Add a public reply or an internal note (with its attachments) and/or change the status; the reporter hears
    of public changes, the assignee of the reporter's replies.

    A reporter may only reply publicly; their reply to a ticket waiting for them puts it back in progress.
    :param submission_token: the reply form's one-time token; the same reply sent again (a double click, a
        retry) changes nothing and returns the message written the first time.
    """
    staff = actor.role in STAFF_ROLES
    body, files = body.strip(), list(files)
    if internal and not staff:
        raise DomainError(_l("Only support staff write internal notes."))
    if status and not staff and status != "in_progress":
        raise DomainError(_l("A ticket cannot go from this status to that one."), field="status")
    if not body and not files and not status:
        raise DomainError(_l("Write a reply or choose a new status."), field="body")
    old_status = ticket.status
    message = None
    if body or files:
        message, created = existing_or_insert(
            lambda: submitted_message(actor, submission_token),
            lambda: TicketMessage(ticket_id=ticket.id, author_id=actor.id, body=body, is_internal=internal,
                                  submission_token=submission_token))
        if not created:  # the same reply, already written by the first of the two requests
            return message
        attach(ticket, actor, files, message)
        if staff and not internal and ticket.first_response_at is None:
            ticket.first_response_at = utcnow()
        if not staff and ticket.status == "waiting":
            status = status or "in_progress"
    if status:
        moved = set_status(ticket, status)
        old_status = old_status if moved else ticket.status  # moved by the other of two requests: theirs to tell
    if staff and ticket.status == "assigned" and message is not None and not internal:
        ticket.status = "in_progress"
    if ticket.assignee_id is None and staff:
        ticket.assignee_id = actor.id
    public_change = (message is not None and not internal) or ticket.status != old_status
    if staff and public_change:
        rating_token = None
        if ticket.status == "resolved" and old_status != "resolved":
            rating_token = feedback.issue_rating_token(ticket)
        notify(ticket.reporter.email, "support/mail/update", ticket, message=message if not internal else None,
               old_status=old_status, rating_token=rating_token)
    if not staff and message is not None and ticket.assignee is not None:
        notify(ticket.assignee.email, "support/mail/reporter_replied", ticket, message=message,
               old_status=old_status)
    db.session.commit()
    return message


def reassign(actor: User, ticket: Ticket, agent_id: int) -> None:
    agent = db.session.get(User, agent_id)
    if agent is None or agent.role not in STAFF_ROLES or not agent.is_active:
        raise DomainError(_l("Choose an active agent."), field="agent_id")
    ticket.assignee_id = agent.id
    if ticket.status == "new":
        ticket.status = "assigned"
    if agent.id != actor.id:
        notify(agent.email, "support/mail/assigned", ticket)
    db.session.commit()


def set_province_agents(province_code: int, primary_id: int | None, backup_id: int | None) -> None:
    """Name the province's primary and backup agents (either may be left empty)."""
    if primary_id and primary_id == backup_id:
        raise DomainError(_l("The backup must be another agent."))
    for role, agent_id in (("primary", primary_id), ("backup", backup_id)):
        row = db.session.get(ProvinceAgent, (province_code, role))
        if agent_id:
            agent = db.session.get(User, agent_id)
            if agent is None or agent.role != "agent":
                raise DomainError(_l("Choose an active agent."))
            if row is None:
                db.session.add(ProvinceAgent(province_code=province_code, role=role, agent_id=agent_id))
            else:
                row.agent_id = agent_id
        elif row is not None:
            db.session.delete(row)
    db.session.commit()


def set_away(agent: User, away: bool) -> None:
    status = db.session.get(SupportAgent, agent.id) or SupportAgent(user_id=agent.id)
    status.is_away = away
    db.session.add(status)
    db.session.commit()


def is_away(agent: User) -> bool:
    status = db.session.get(SupportAgent, agent.id)
    return bool(status and status.is_away)


@dataclass
class InboxFilters:
    """The list's filters; `view` is one of desk.VIEWS ("all" keeps resolved and closed tickets)."""

    status: str = ""
    province_code: int | None = None
    category_id: int | None = None
    priority: str = ""
    overdue: bool = False
    unassigned: bool = False
    search: str = ""
    view: str = "all"


def overdue_clause(now):
    return or_(
        (Ticket.first_response_at.is_(None)) & (Ticket.first_response_due < now),
        (Ticket.resolved_at.is_(None)) & (Ticket.resolution_due < now),
    )


def inbox(user: User, filters: InboxFilters) -> Select:
    """The tickets the user may see, filtered, open ones first by due date: one query per page.

    A search that reads as a reference (HT-2026-000005, 000005, 5) also finds that ticket whatever the other
    filters say, and lists it first; the "open" view gives way to a status chosen in the filters.
    """
    now = clock.now()
    kept = []
    if filters.view != "open" or not filters.status:
        kept.append(desk.view_clause(user, filters.view, now))
    if filters.status == "open":
        kept.append(Ticket.status.not_in(("resolved", "closed")))
    elif filters.status:
        kept.append(Ticket.status == filters.status)
    if filters.province_code:
        kept.append(Ticket.province_code == filters.province_code)
    if filters.category_id:
        kept.append(Ticket.category_id == filters.category_id)
    if filters.priority in PRIORITIES:
        kept.append(Ticket.priority == filters.priority)
    if filters.overdue:
        kept.extend((Ticket.status.not_in(("resolved", "closed")), overdue_clause(now)))
    if filters.unassigned:
        kept.append(Ticket.assignee_id.is_(None))
    if filters.search:
        kept.append(Ticket.search_text.contains(fold(filters.search), autoescape=True))
    query = visible_tickets(user).options(
        joinedload(Ticket.category), joinedload(Ticket.province), joinedload(Ticket.assignee))
    order = (Ticket.resolved_at.is_not(None), desk.current_due(), Ticket.id)  # the next target to fall due first
    number = desk.reference_number(filters.search)
    if number is None:
        return query.where(*kept).order_by(*order)
    return query.where(or_(Ticket.id == number, and_(*kept))).order_by(case((Ticket.id == number, 0), else_=1), *order)


def agents() -> list[User]:
    return db.session.execute(
        select(User).where(User.role == "agent", User.is_active.is_(True)).order_by(User.full_name)
    ).scalars().all()


def save_category(category_id: int | None, name: str, is_active: bool = True) -> TicketCategory:
    """Add a category (no id) or rename and (de)activate one; old tickets keep theirs."""
    name = " ".join(name.split())[:120]  # cut before comparing, so the check sees the name that is stored
    if not name:
        raise DomainError(_l("Name the category."))
    clash = db.session.execute(select(TicketCategory).where(TicketCategory.name == name)).scalar_one_or_none()
    if clash is not None and clash.id != category_id:
        raise DomainError(_l("A category with this name exists."))
    category = db.session.get(TicketCategory, category_id) if category_id else None
    if category is None:
        category = TicketCategory(name=name, position=len(categories(active_only=False)))
        db.session.add(category)
    category.name, category.is_active = name, is_active
    try:
        db.session.commit()
    except IntegrityError:  # the same name saved by someone else at the same moment
        db.session.rollback()
        raise DomainError(_l("A category with this name exists.")) from None
    return category
