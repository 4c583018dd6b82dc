"""The agents' desk: the list's views with their counts, reference search, and a reporter's other tickets."""
import re
from datetime import datetime

from sqlalchemy import and_, case, func, or_, true
from sqlalchemy.sql.elements import ColumnElement

from portal.access import visible_tickets
from portal.auth.models import User
from portal.core.extensions import db
from portal.core import clock
from portal.support import sla
from portal.support.models import OPEN_STATUSES, PRIORITIES, Ticket
from portal.util.query import MAX_INTEGER

# The list's views, in the order of their tabs; "all" is the only one that shows resolved and closed tickets.
VIEWS = ("mine", "unassigned", "near", "breached", "open", "all")
DEFAULT_VIEW = "open"
LOCAL_VIEWS = ("near", "breached", "open", "all")
# HT-2026-000005, ht 2026 5, 000005 or 5: the optional prefix and year, then the number with or without zeros.
REFERENCE = re.compile(r"(?:ht[-\s]*)?(?:(?:19|20)[0-9]{2}[-\s]+)?0*([0-9]{1,10})", re.IGNORECASE)
REPORTER_TICKETS_SHOWN = 10


def views_for(user: User) -> tuple[str, ...]:
    """Agents and admins work a queue (mine, unassigned); a locality only follows its own tickets."""
    return VIEWS if user.role in ("admin", "agent") else LOCAL_VIEWS


def current_due() -> ColumnElement:
    """The due instant of the current target, as sla.current_target reads it: first response, then resolution."""
    return case((Ticket.first_response_at.is_(None), Ticket.first_response_due), else_=Ticket.resolution_due)


def breached_clause(now: datetime) -> ColumnElement:
    """The current target (first response until answered, then resolution) has passed."""
    return current_due() <= now


def near_clause(now: datetime) -> ColumnElement:
    """The current target is not yet due but 80 % of its working time is used: per priority, the instant before
    which a due date counts as near is worked out once in Python (working hours are not SQL's business)."""
    per_priority = []
    for priority in PRIORITIES:
        first_response, resolution = sla.targets(priority)
        per_priority.append(and_(Ticket.priority == priority, or_(
            and_(Ticket.first_response_at.is_(None), Ticket.first_response_due > now,
                 Ticket.first_response_due <= sla.near_until(now, first_response)),
            and_(Ticket.first_response_at.is_not(None), Ticket.resolution_due > now,
                 Ticket.resolution_due <= sla.near_until(now, resolution)))))
    return or_(*per_priority)


def view_clause(user: User, view: str, now: datetime) -> ColumnElement:
    """What a view keeps of the tickets the user may see; every view but "all" keeps open tickets only."""
    is_open = Ticket.status.in_(OPEN_STATUSES)
    return {
        "mine": and_(is_open, Ticket.assignee_id == user.id),
        "unassigned": and_(is_open, Ticket.assignee_id.is_(None)),
        "near": and_(is_open, near_clause(now)),
        "breached": and_(is_open, breached_clause(now)),
        "open": is_open,
        "all": true(),
    }[view]


def view_counts(user: User) -> dict[str, int]:
    """How many tickets each of the user's views holds, in one grouped query over the user's scope."""
    now, views = clock.now(), views_for(user)
    columns = [func.count(case((view_clause(user, view, now), 1))).label(view) for view in views]
    row = db.session.execute(visible_tickets(user).with_only_columns(*columns)).one()
    return dict(zip(views, row))


def reference_number(text: str) -> int | None:
    """The ticket number a search for a reference means, or None when the text is not a reference."""
    match = REFERENCE.fullmatch(text.strip())
    if match is None:
        return None
    number = int(match.group(1))
    return number if 0 < number <= MAX_INTEGER else None


def only_reference_hit(number: int | None, page) -> Ticket | None:
    """The ticket to open at once: the list's single hit is the ticket the reference names."""
    if number is not None and page.page == 1 and page.total == 1 and page.items[0].id == number:
        return page.items[0]
    return None


def reporter_tickets(viewer: User, ticket: Ticket) -> list[Ticket]:
    """The reporter's latest other tickets the viewer may see, in one query, for context beside the thread."""
    return db.session.execute(
        visible_tickets(viewer).where(Ticket.reporter_id == ticket.reporter_id, Ticket.id != ticket.id)
        .order_by(Ticket.id.desc()).limit(REPORTER_TICKETS_SHOWN)).scalars().all()
