"""The kinds of integration, each province's status for each, its dated history, and the national matrix."""
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, Select, func, select

from portal.audit.services import record
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.core.models_base import utcnow
from portal.integrations.models import INTEGRATION_STATUSES, Integration, IntegrationChange, IntegrationKind
from portal.units.models import Province
from portal.util.validators import parse_phone

KEY = re.compile(r"[a-z][a-z0-9_]{1,39}")
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]+")
STATUS_LABELS = {"not_started": _l("Not started"), "info_sent": _l("Information sent"),
                 "configuring": _l("Configuring"), "testing": _l("Testing"), "live": _l("Live"),
                 "blocked": _l("Blocked")}
# How far along each status is, for the readiness score and sorting (blocked counts as not under way).
STATUS_WEIGHT = {"not_started": 0.0, "info_sent": 0.2, "configuring": 0.4, "testing": 0.7, "live": 1.0,
                 "blocked": 0.0}


def kinds() -> list[IntegrationKind]:
    return db.session.execute(select(IntegrationKind).order_by(IntegrationKind.position, IntegrationKind.id)).scalars().all()


def kind_by_key(key: str) -> IntegrationKind | None:
    return db.session.execute(select(IntegrationKind).where(IntegrationKind.key == key)).scalar_one_or_none()


def one_line(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit]


def save_kind(actor, kind: IntegrationKind | None, key: str, name: str, name_en: str, to_provide: str,
              due_on: date | None, position: int | None = None) -> IntegrationKind:
    """Create or edit a kind; its key is fixed once made, since links and the API name it."""
    name = one_line(name, 200)
    if not name:
        raise DomainError(_l("Give the integration a name."), field="name")
    if kind is None:
        key = key.strip().lower()
        if not KEY.fullmatch(key):
            raise DomainError(_l("The key is 2 to 40 lower-case letters, digits or underscores, starting with a letter (e.g. sms_brandname)."), field="key")
        if kind_by_key(key) is not None:
            raise DomainError(_l("Another integration already has this key."), field="key")
        kind = IntegrationKind(key=key, position=db.session.scalar(select(func.coalesce(func.max(IntegrationKind.position), 0))) + 1)
        db.session.add(kind)
    kind.name, kind.name_en = name, one_line(name_en, 200)
    kind.to_provide = to_provide.strip()[:2000]
    kind.due_on = due_on
    if position is not None:
        kind.position = position
    db.session.flush()
    record(actor, "integrations.kind_save", f"integration_kind:{kind.id}", kind.key)
    db.session.commit()
    return kind


def find(province_code: int, kind: IntegrationKind) -> Integration | None:
    return db.session.execute(select(Integration).where(Integration.province_code == province_code,
                                                        Integration.kind_id == kind.id)).scalar_one_or_none()


def integration(province_code: int, kind: IntegrationKind) -> Integration:
    """The province's row for this kind, created (not started) on first use."""
    found = find(province_code, kind)
    if found is None:
        found = Integration(province_code=province_code, kind=kind, status="not_started", status_changed_at=utcnow())
        db.session.add(found)
        db.session.flush()
    return found


@dataclass
class IntegrationUpdate:
    """What a coordinator or admin sends about one integration (the form's fields, as typed)."""
    status: str
    reason: str = ""
    provided: str = ""
    software: str = ""
    vendor: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""


def update(actor, province_code: int, kind: IntegrationKind, change: IntegrationUpdate,
           at: datetime | None = None) -> Integration:
    """Save the details; a status change is dated and kept in the history (blocked needs a reason)."""
    if change.status not in INTEGRATION_STATUSES:
        raise DomainError(_l("Choose a status."), field="status")
    reason = one_line(change.reason, 500)
    if change.status == "blocked" and not reason:
        raise DomainError(_l("Say what blocks it."), field="reason")
    phone = parse_phone(change.contact_phone) if change.contact_phone.strip() else ""
    if phone is None:
        raise DomainError(_l("Enter a Vietnamese phone number: a 10-digit mobile (0912 345 678) or a landline with its area code."), field="contact_phone")
    email = change.contact_email.strip()
    if email and not EMAIL.fullmatch(email):
        raise DomainError(_l("Enter an e-mail address like name@example.gov.vn."), field="contact_email")
    found = integration(province_code, kind)
    found.provided = change.provided.strip()[:4000]
    found.software, found.vendor = one_line(change.software, 200), one_line(change.vendor, 200)
    found.contact_name, found.contact_phone, found.contact_email = one_line(change.contact_name, 200), phone, email[:254]
    if change.status != found.status:
        when = at or utcnow()
        db.session.add(IntegrationChange(integration_id=found.id, old_status=found.status, new_status=change.status,
                                         reason=reason, changed_by_id=actor.id if actor else None, at=when))
        found.status, found.status_changed_at = change.status, when
    found.blocked_reason = reason if change.status == "blocked" else ""
    db.session.commit()
    return found


def province_integrations(province_code: int) -> list[tuple[IntegrationKind, Integration | None]]:
    """Every kind with the province's row for it (None when never touched), in two queries."""
    rows = {i.kind_id: i for i in db.session.execute(
        select(Integration).where(Integration.province_code == province_code)).scalars()}
    return [(kind, rows.get(kind.id)) for kind in kinds()]


def history(item: Integration) -> Select:
    """The dated changes of one integration, newest first, to paginate."""
    return (select(IntegrationChange).where(IntegrationChange.integration_id == item.id)
            .order_by(IntegrationChange.at.desc(), IntegrationChange.id.desc()))


def statuses_by_province(codes: list[int] | None = None) -> dict[int, dict[int, Row]]:
    """{province code: {kind id: (status, since, reason)}} in one query, as plain rows (no ORM objects to build:
    the matrix reads 272 of them on every view)."""
    query = select(Integration.province_code, Integration.kind_id, Integration.status, Integration.status_changed_at,
                   Integration.blocked_reason)
    if codes is not None:
        query = query.where(Integration.province_code.in_(codes))
    found: dict[int, dict[int, Row]] = {}
    for row in db.session.execute(query):
        found.setdefault(row[0], {})[row[1]] = row
    return found


def progress(rows: dict[int, Row], all_kinds: list[IntegrationKind]) -> float:
    """How far a province is over every kind, 0 to 1 (the mean of the status weights)."""
    if not all_kinds:
        return 0.0
    return sum(STATUS_WEIGHT[rows[k.id].status] if k.id in rows else 0.0 for k in all_kinds) / len(all_kinds)


def count_status(rows: dict[int, Row], status: str) -> int:
    """How many of one province's kinds stand at this status."""
    return sum(1 for cell in rows.values() if cell.status == status)


def status_of(rows: dict[int, Row], kind: IntegrationKind) -> str:
    return rows[kind.id].status if kind.id in rows else "not_started"


@dataclass
class MatrixRow:
    province: Province
    cells: dict[int, Row]  # by kind id; a kind missing here is not started

    def status(self, kind: IntegrationKind) -> str:
        return status_of(self.cells, kind)

    def live(self) -> int:
        return count_status(self.cells, "live")


@dataclass
class Matrix:
    kinds: list[IntegrationKind]
    rows: list[MatrixRow]
    counts: dict[int, dict[str, int]] = field(default_factory=dict)  # kind id -> status -> provinces (all rows)


def matrix(provinces: Select, kind_key: str = "", status: str = "", sort: str = "code",
           descending: bool = False) -> Matrix:
    """Every visible province × every kind in three queries, with counts per kind; filtered by one kind's status."""
    all_kinds = kinds()
    found = db.session.execute(provinces.order_by(Province.code)).scalars().all()
    cells = statuses_by_province()  # every province's: cheaper than naming 34 codes, and only visible ones are kept
    rows = [MatrixRow(p, cells.get(p.code, {})) for p in found]
    counts = {k.id: {s: 0 for s in INTEGRATION_STATUSES} for k in all_kinds}
    for row in rows:
        for kind_id, cell in row.cells.items():
            counts[kind_id][cell.status] += 1
    for kind in all_kinds:  # a kind a province never touched is not started
        counts[kind.id]["not_started"] += len(rows) - sum(counts[kind.id].values())
    chosen = next((k for k in all_kinds if k.key == kind_key), None)
    if chosen is not None and status in INTEGRATION_STATUSES:
        rows = [row for row in rows if row.status(chosen) == status]
    if sort == "name":
        rows.sort(key=lambda r: r.province.sort_key, reverse=descending)
    elif sort == "progress":
        rows.sort(key=lambda r: (progress(r.cells, all_kinds), r.province.code), reverse=descending)
    elif (by_kind := next((k for k in all_kinds if k.key == sort), None)) is not None:
        order = {s: n for n, s in enumerate(("blocked",) + INTEGRATION_STATUSES[:-1])}
        rows.sort(key=lambda r: (order[r.status(by_kind)], r.province.code), reverse=descending)
    else:
        rows.sort(key=lambda r: r.province.code, reverse=descending)
    return Matrix(all_kinds, rows, counts)
