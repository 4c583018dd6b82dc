"""The plan's public changelog: every flush that creates a session or changes its time, place or status
writes a PlanChange row in the same transaction, so a rolled-back change leaves nothing behind.

One hook on the ORM, rather than a call in each service (edit, cancel, restore, import), so no path can forget it.
"""
from datetime import datetime

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, selectinload

from portal.core import clock
from portal.training.models import PlanChange, TrainingSession

TIME_FIELDS = ("starts_at", "ends_at")
PLACE_FIELDS = ("mode", "venue", "meeting_url")


def public_values(session: TrainingSession, fields: tuple, old: dict | None = None) -> dict:
    """The fields as JSON-ready values (instants as ISO text), taking `old` values where given."""
    values = {}
    for name in fields:
        value = (old or {}).get(name, getattr(session, name))
        values[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return values


def previous_values(session: TrainingSession, fields: tuple) -> dict | None:
    """The values the fields had before this flush, or None when none of them changed."""
    state, old, changed = inspect(session), {}, False
    for name in fields:
        history = state.attrs[name].history
        if history.has_changes():
            changed = True
            old[name] = history.deleted[0] if history.deleted else None
    return old if changed else None


def changes_of(session: TrainingSession) -> list[tuple[str, dict, dict]]:
    """(kind, before, after) for what this flush changes in a loaded session."""
    found = []
    for kind, fields in (("time", TIME_FIELDS), ("place", PLACE_FIELDS)):
        old = previous_values(session, fields)
        if old is not None:
            found.append((kind, public_values(session, fields, old), public_values(session, fields)))
    old_status = previous_values(session, ("status",))
    if old_status is not None:
        was_cancelled = old_status["status"] == "cancelled"
        if session.is_cancelled and not was_cancelled:
            found.append(("cancelled", {}, {"reason": session.cancel_reason}))
        elif was_cancelled and not session.is_cancelled:
            found.append(("restored", {}, {}))
    return found


@event.listens_for(Session, "before_flush")
def record_plan_changes(session, _context, _instances) -> None:
    """Write the changelog rows for the sessions this flush creates or changes."""
    now = clock.now()
    for obj in list(session.new):
        if isinstance(obj, TrainingSession):
            session.add(PlanChange(session=obj, changed_at=now, kind="new", before={},
                                   after=public_values(obj, TIME_FIELDS + PLACE_FIELDS)))
    for obj in list(session.dirty):
        if isinstance(obj, TrainingSession) and session.is_modified(obj, include_collections=False):
            for kind, before, after in changes_of(obj):
                session.add(PlanChange(session=obj, changed_at=now, kind=kind, before=before, after=after))


def recent_changes():
    """Newest first, with each change's session (and its provinces) loaded in the same few queries per page."""
    return (select(PlanChange)
            .options(selectinload(PlanChange.session).selectinload(TrainingSession.provinces))
            .order_by(PlanChange.changed_at.desc(), PlanChange.id.desc()))


def readable(values: dict) -> dict:
    """Stored values with the ISO instants turned back into datetimes, for the templates' Vietnam-time filters."""
    return {name: datetime.fromisoformat(value) if name in TIME_FIELDS and value else value
            for name, value in values.items()}


def entries(items: list[PlanChange]) -> list[dict]:
    """The page's changes as the changelog shows them: the change, its session and both sides readable."""
    return [{"change": item, "session": item.session, "before": readable(item.before), "after": readable(item.after)}
            for item in items]
