"""Account-access requests: civil servants who need an account on the TTHC system, and the ministry's answer.

Dossiers pile up where nobody has permission (letters 003/004); coordinators list who needs an account,
by form or spreadsheet, and the ministry marks each one granted or refused. The CCCD is needed here, so
it is collected with the person's informed agreement, shown in full only to admins, and each such view is
written to the audit log.
"""
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from portal.audit.services import record
from portal.auth.models import User
from portal.contacts.services import clean_person
from portal.core.database import existing_or_insert
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.imports import services as imports
from portal.imports.models import PendingImport
from portal.core.models_base import utcnow
from portal.accounts.models import AccountRequest

HEADER_ALIASES = {
    "full_name": ("ho va ten", "ho ten", "full name"),
    "unit": ("don vi", "co quan", "don vi cong tac", "unit"),
    "phone": ("so dien thoai", "dien thoai", "sdt", "phone"),
    "email": ("email", "e-mail", "thu dien tu"),
    "cccd": ("cccd", "so cccd", "can cuoc", "so can cuoc", "so dinh danh"),
    "procedures": ("thu tuc", "thu tuc phu trach", "linh vuc", "procedures"),
}
REQUIRED_FIELDS = ("full_name", "unit", "phone", "email", "cccd")


def clean_request(raw: dict) -> tuple[dict, dict]:
    values, errors = clean_person({**raw, "position": "", "unit_name": raw.get("unit", "")})
    values["unit"] = values.pop("unit_name")
    values.pop("position")
    if not values["unit"]:
        errors["unit"] = _l("Enter the unit.")
    if not values.get("cccd"):
        errors["cccd"] = _l("The CCCD number has exactly 12 digits (0–9).")
    values["procedures"] = (raw.get("procedures") or "").strip()[:2000]
    return values, errors


def add_request(coordinator: User, raw: dict, commit: bool = True, submission_token: str | None = None
                ) -> AccountRequest:
    """Record one person's request.

    :param submission_token: the form's one-time token; the same form sent again (a double click, a retry)
        gets the request recorded the first time, even when both arrive at the same moment.
    """
    values, errors = clean_request(raw)
    if errors:
        field, message = next(iter(errors.items()))
        raise DomainError(message, field=field)
    new = AccountRequest(province_code=coordinator.province_code, requested_by_id=coordinator.id,
                         notice_version=current_app.config["CONTACTS_NOTICE_VERSION"], consent_at=utcnow(),
                         submission_token=submission_token, **values)
    request, _created = existing_or_insert(lambda: submitted_request(coordinator, submission_token), lambda: new)
    if commit:
        db.session.commit()
    return request


def submitted_request(coordinator: User, submission_token: str | None) -> AccountRequest | None:
    """The request the coordinator already recorded with this form, if any."""
    if submission_token is None:
        return None
    return db.session.execute(select(AccountRequest).where(
        AccountRequest.requested_by_id == coordinator.id, AccountRequest.submission_token == submission_token)
    ).scalar_one_or_none()


def requests_query(viewer: User, status: str = "") -> Select:
    query = select(AccountRequest).order_by(AccountRequest.status, AccountRequest.id.desc())
    if viewer.role != "admin":
        query = query.where(AccountRequest.province_code == viewer.province_code)
    if status in ("requested", "granted", "refused"):
        query = query.where(AccountRequest.status == status)
    return query


def record_full_views(admin: User, shown: list[AccountRequest]) -> None:
    """Every full CCCD an admin is shown goes to the audit log (one erased by retention shows nothing)."""
    shown = [r for r in shown if r.cccd]
    if shown:
        record(admin, "account_request.cccd_view", "account_requests",
               "ids=" + ",".join(str(r.id) for r in shown))
        db.session.commit()


def decide(admin: User, request: AccountRequest, status: str, note: str) -> None:
    if status not in ("granted", "refused", "requested"):
        raise DomainError(_l("Choose granted or refused."))
    request.status, request.note = status, note.strip()[:500]
    request.decided_by_id, request.decided_at = admin.id, utcnow()
    record(admin, f"account_request.{status}", f"account_request:{request.id}")
    db.session.commit()


def start_import(user: User, filename: str, data: bytes) -> PendingImport:
    return imports.keep_upload(user, "accounts", filename, data, HEADER_ALIASES, province_code=user.province_code)


@dataclass
class RequestRow:
    line: int
    values: dict
    errors: list = field(default_factory=list)


def check_rows(pending: PendingImport) -> list[RequestRow]:
    rows = []
    for line, *cells in pending.rows:
        raw = imports.row_values(pending, cells)
        _values, errors = clean_request(raw)
        rows.append(RequestRow(line, raw, [str(e) for e in errors.values()]))
    return rows


def apply_import(coordinator: User, pending: PendingImport) -> int:
    return imports.save_all(pending, check_rows(pending), lambda row: add_request(coordinator, row.values, commit=False))
