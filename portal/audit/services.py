"""Writing to the audit log, and reading it back filtered (the page and its export share one query)."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.core.extensions import db


def record(actor, action: str, target: str = "", detail: str = "") -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits it with the change)."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action[:60],
        target=target[:120],  # the columns' sizes: a long name must not fail the change it records
        detail=detail[:500],
        address=(request.remote_addr or "") if has_request_context() else "cli",
    )
    db.session.add(event)
    return event


@dataclass(frozen=True)
class LogFilter:
    """What the reader narrowed the log to; empty fields do not filter. Dates are Vietnam days, both included."""

    person: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None

    def as_args(self) -> dict:
        """The filter as query-string values (for the export link and the audit record of an export)."""
        values = {"person": self.person, "action": self.action,
                  "since": self.since.isoformat() if self.since else "",
                  "until": self.until.isoformat() if self.until else ""}
        return {key: value for key, value in values.items() if value}


def start_of_day(day: date) -> datetime:
    """The instant a Vietnam day begins (00:00 in Asia/Ho_Chi_Minh, 17:00 UTC the day before)."""
    return datetime.combine(day, time(0), ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


def events_query(filters: LogFilter) -> Select:
    """The events that match, newest first, each with its actor loaded in the same query."""
    query = select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    if filters.person:
        pattern = filters.person.strip()
        people = select(User.id).where(or_(User.email.icontains(pattern, autoescape=True),
                                           User.full_name.icontains(pattern, autoescape=True)))
        query = query.where(AuditEvent.actor_id.in_(people))
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.since:
        query = query.where(AuditEvent.at >= start_of_day(filters.since))
    if filters.until:
        query = query.where(AuditEvent.at < start_of_day(filters.until + timedelta(days=1)))
    return query
