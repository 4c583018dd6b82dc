"""Writing to the audit log."""
from flask import has_request_context, request

from portal.audit.models import AuditEvent
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
