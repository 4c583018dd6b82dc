"""API tokens, the data the API serves (no personal data: units, readiness, the public plan, counts), and the
dossier backlog a permitted token records."""
import hashlib
import json
import secrets
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.api.models import ApiToken
from portal.audit.services import record
from portal.backlog import services as backlog
from portal.backlog.models import BacklogReport
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.core.models_base import utcnow
from portal.core.security import has_control_characters
from portal.integrations import services as integrations
from portal.reports.readiness import national_readiness, overdue_condition
from portal.support.models import OPEN_STATUSES, Ticket
from portal.training.models import TrainingSession, session_provinces
from portal.units.models import Commune, Province
from portal.util.query import ISO_DAY, MAX_INTEGER

MAX_PER_PAGE = 200
BACKLOG_FIELDS = ("as_of", "dossiers", "commune_code", "note")


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(admin, name: str, may_record_backlog: bool = False) -> str:
    """A new token (returned once, kept as a hash); read-only unless it may record the dossier backlog."""
    name = " ".join(name.split())
    if not name:
        raise DomainError(_l("Name the system that will use the token."))
    raw = secrets.token_urlsafe(32)
    db.session.add(ApiToken(name=name[:120], token_hash=token_hash(raw), created_by_id=admin.id,
                            may_record_backlog=may_record_backlog))
    record(admin, "api.token_create", name, "may record the dossier backlog" if may_record_backlog else "read-only")
    db.session.commit()
    return raw


def revoke_token(admin, token: ApiToken) -> None:
    token.revoked_at = utcnow()
    record(admin, "api.token_revoke", token.name)
    db.session.commit()


def active_token(raw: str) -> ApiToken | None:
    """The token the raw value belongs to, unless it is unknown or revoked (the views check its permissions)."""
    found = db.session.execute(select(ApiToken).where(ApiToken.token_hash == token_hash(raw))).scalar_one_or_none()
    return found if found is not None and found.revoked_at is None else None


def page_of(query, page: int, per_page: int) -> tuple[list, int]:
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    total = db.session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    items = db.session.execute(query.limit(per_page).offset((max(page, 1) - 1) * per_page)).unique().scalars().all()
    return items, total


def envelope(items: list, page: int, per_page: int, total: int) -> dict:
    return {"items": items, "page": max(page, 1), "per_page": max(1, min(per_page, MAX_PER_PAGE)), "total": total}


def provinces(page: int, per_page: int) -> dict:
    found, total = page_of(select(Province).order_by(Province.code), page, per_page)
    counts = dict(db.session.execute(select(Commune.province_code, func.count(Commune.code))
                                     .group_by(Commune.province_code)).all())
    items = [{"code": p.code, "name": p.name, "kind": p.kind, "communes": counts.get(p.code, 0)} for p in found]
    return envelope(items, page, per_page, total)


def communes(province_code: int, page: int, per_page: int) -> dict:
    query = select(Commune).where(Commune.province_code == province_code).order_by(Commune.sort_key, Commune.code)
    found, total = page_of(query, page, per_page)
    items = [{"code": c.code, "name": c.name, "kind": c.kind} for c in found]
    return envelope(items, page, per_page, total)


def integration_items(cells: dict, kinds: list) -> list[dict]:
    """Each kind's status for one province, with the instant of its last change (null when never touched)."""
    return [{"kind": k.key, "name": k.name, "status": cells[k.id].status if k.id in cells else "not_started",
             "since": cells[k.id].status_changed_at.isoformat() if k.id in cells else None} for k in kinds]


def backlog_figure(latest: backlog.Latest | None) -> dict | None:
    """A province's latest dossiers waiting for an account, its day and its change (null before a second day)."""
    if latest is None:
        return None
    return {"dossiers": latest.dossiers, "as_of": latest.as_of.isoformat(), "change": latest.change}


def readiness(page: int, per_page: int) -> dict:
    rows = national_readiness(select(Province))
    kinds = integrations.kinds()
    cells = integrations.statuses_by_province()
    qlvb = next((k for k in kinds if k.key == "qlvb"), None)
    items = [{
        "code": r.province.code, "name": r.province.name, "communes": r.communes,
        "communes_registered": r.communes_registered, "departments": r.departments,
        "departments_complete": r.departments_complete, "registered": r.registered, "trained": r.trained,
        "open_tickets": r.open_tickets, "overdue_tickets": r.overdue_tickets,
        "connection": integrations.status_of(cells.get(r.province.code, {}), qlvb) if qlvb else "not_started",
        "integrations": integration_items(cells.get(r.province.code, {}), kinds), "score": r.score,
        "dossier_backlog": backlog_figure(r.backlog),
    } for r in rows]
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    start = (max(page, 1) - 1) * per_page
    return envelope(items[start:start + per_page], page, per_page, len(items))


def sessions(page: int, per_page: int, province_code: int | None) -> dict:
    query = select(TrainingSession).options(joinedload(TrainingSession.provinces), joinedload(TrainingSession.trainers))
    if province_code:
        query = query.where(TrainingSession.id.in_(
            select(session_provinces.c.session_id).where(session_provinces.c.province_code == province_code)))
    found, total = page_of(query.order_by(TrainingSession.starts_at, TrainingSession.id), page, per_page)
    items = [{
        "id": s.id, "title": s.title, "audience": s.audience, "mode": s.mode, "status": s.status,
        "revision": s.revision, "starts_at": s.starts_at.isoformat(), "ends_at": s.ends_at.isoformat(),
        "venue": s.venue, "meeting_url": s.meeting_url, "provinces": [p.code for p in s.provinces],
        "trainers": [t.full_name for t in s.trainers],
    } for s in found]
    return envelope(items, page, per_page, total)


def ticket_counts() -> dict:
    by_status = dict(db.session.execute(select(Ticket.status, func.count(Ticket.id)).group_by(Ticket.status)).all())
    now = utcnow()
    rows = db.session.execute(
        select(Ticket.province_code, func.count(Ticket.id)).where(Ticket.status.in_(OPEN_STATUSES)).group_by(Ticket.province_code)
    ).all()
    overdue = dict(db.session.execute(
        select(Ticket.province_code, func.count(Ticket.id)).where(Ticket.status.in_(OPEN_STATUSES), overdue_condition(now))
        .group_by(Ticket.province_code)).all())
    return {"by_status": by_status,
            "by_province": [{"code": code, "open": count, "overdue": overdue.get(code, 0)} for code, count in rows]}


def whole_number(value) -> bool:
    """A JSON integer: not a boolean (which Python counts as one), a float, or a number written as a string."""
    return isinstance(value, int) and not isinstance(value, bool)


def backlog_input(body) -> dict:
    """The arguments of backlog.record from a JSON body, refusing a wrong shape or type with the field at fault.

    The body's ranges (no future day, no negative count, the commune in the province) are the backlog service's
    rules and are checked there, as for the portal's form.
    """
    if not isinstance(body, dict):
        raise DomainError("The body must be a JSON object sent as application/json.", field="body")
    unknown = sorted(set(body) - set(BACKLOG_FIELDS))
    if unknown:
        raise DomainError(f"Unknown field; the fields are {', '.join(BACKLOG_FIELDS)}.", field=unknown[0][:60])
    as_of, dossiers = body.get("as_of"), body.get("dossiers")
    if not isinstance(as_of, str) or not ISO_DAY.fullmatch(as_of):
        raise DomainError("as_of must be a date written YYYY-MM-DD.", field="as_of")
    try:
        day = date.fromisoformat(as_of)
    except ValueError:
        raise DomainError("as_of is not a day of the calendar.", field="as_of") from None
    if not whole_number(dossiers):
        raise DomainError("dossiers must be a JSON integer.", field="dossiers")
    commune_code = body.get("commune_code")
    if commune_code is not None and not (whole_number(commune_code) and 1 <= commune_code <= MAX_INTEGER):
        raise DomainError("commune_code must be a commune's code (an integer) or null.", field="commune_code")
    note = body.get("note")
    note = "" if note is None else note
    if not isinstance(note, str) or has_control_characters([note]):
        raise DomainError("note must be text without control characters.", field="note")
    return {"as_of": day, "dossiers": dossiers, "commune_code": commune_code, "note": note}


def json_body(data: bytes | None):
    """The JSON value sent, or None for a body that is not JSON (nested too deep for the parser included)."""
    if data is None:
        return None
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return None


def record_backlog(token: ApiToken, province_code: int, data: bytes | None) -> BacklogReport:
    """Record the figure a token's system sent; no person is the actor, so the audit event names the token.

    :param data: the request's JSON body, None when it was not sent as application/json.
    """
    values = backlog_input(json_body(data))
    # By keyword: the audit test reads a record() call's second positional argument as an audit action code.
    return backlog.record(None, province_code=province_code, source="api", via=f"token {token.name!r}", **values)


def backlog_item(report: BacklogReport) -> dict:
    return {"province_code": report.province_code, "commune_code": report.commune_code,
            "as_of": report.as_of.isoformat(), "dossiers": report.dossiers, "note": report.note,
            "source": report.source}
