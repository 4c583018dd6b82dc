"""Updating a province's QLVB connection, with its history of status changes."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.connections.models import CONNECTION_STATUSES, QlvbConnection, QlvbStatusChange
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.core.models_base import utcnow
from portal.util.validators import parse_phone

# The seven provinces the ministry reported connected by 28/04/2026 (letter 000).
CONNECTED_BY_APRIL = (24, 38, 11, 42, 44, 96, 52)


def connection(province_code: int) -> QlvbConnection:
    """The province's row, created (not started) on first use."""
    found = db.session.get(QlvbConnection, province_code)
    if found is None:
        found = QlvbConnection(province_code=province_code, status="not_started", status_changed_at=utcnow())
        db.session.add(found)
        db.session.flush()
    return found


def update(actor, province_code: int, software: str, vendor: str, contact_name: str, contact_phone: str,
           contact_email: str, status: str, reason: str = "", at: datetime | None = None) -> QlvbConnection:
    """Save the details; a status change is dated and kept in the history (blocked needs a reason)."""
    if status not in CONNECTION_STATUSES:
        raise DomainError(_l("Choose a status."), field="status")
    reason = " ".join(reason.split())
    if status == "blocked" and not reason:
        raise DomainError(_l("Say what blocks the connection."), field="reason")
    phone = parse_phone(contact_phone) if contact_phone.strip() else ""
    if phone is None:
        raise DomainError(_l("Enter a Vietnamese phone number: a 10-digit mobile (0912 345 678) or a landline with its area code."), field="contact_phone")
    found = connection(province_code)
    found.software, found.vendor = software.strip()[:200], vendor.strip()[:200]
    found.contact_name, found.contact_phone, found.contact_email = contact_name.strip()[:200], phone, contact_email.strip()[:254]
    if status != found.status:
        when = at or utcnow()
        db.session.add(QlvbStatusChange(province_code=province_code, old_status=found.status, new_status=status,
                                        reason=reason[:500], changed_by_id=actor.id if actor else None, at=when))
        found.status, found.status_changed_at = status, when
    found.blocked_reason = reason[:500] if status == "blocked" else ""
    db.session.commit()
    return found


def statuses() -> dict[int, QlvbConnection]:
    return {c.province_code: c for c in db.session.execute(select(QlvbConnection)).scalars()}


def history(province_code: int) -> list[QlvbStatusChange]:
    return db.session.execute(
        select(QlvbStatusChange).where(QlvbStatusChange.province_code == province_code)
        .order_by(QlvbStatusChange.at.desc(), QlvbStatusChange.id.desc())
    ).scalars().all()
