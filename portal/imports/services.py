"""Keeping, finding and mapping pending imports."""
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.imports.models import PendingImport
from portal.core.models_base import utcnow
from portal.util.sheets import auto_mapping, read_rows, split_header

PENDING_LIFETIME = timedelta(days=1)


def keep_upload(user, domain: str, filename: str, data: bytes, aliases: dict, sheet_title: str = "",
                province_code: int | None = None, kind: str = "", notice_version: str | None = None) -> PendingImport:
    """Parse the upload and keep its rows for the preview; uploads older than a day are dropped."""
    if len(data) > current_app.config["IMPORT_MAX_BYTES"]:
        raise DomainError(_l("The file is too large."), field="file")
    headers, rows = split_header(read_rows(filename, data, sheet_title, aliases), aliases)
    if len(rows) > current_app.config["IMPORT_MAX_ROWS"]:
        raise DomainError(_l("The file has too many rows."), field="file")
    db.session.execute(delete(PendingImport).where(PendingImport.created_at < utcnow() - PENDING_LIFETIME))
    pending = PendingImport(token=secrets.token_urlsafe(32), domain=domain, user_id=user.id,
                            province_code=province_code, kind=kind, notice_version=notice_version,
                            filename=filename[:200], headers=headers,
                            rows=rows, mapping=auto_mapping(headers, aliases))
    db.session.add(pending)
    db.session.commit()
    return pending


def pending_for(user, domain: str, token: str) -> PendingImport | None:
    """The user's own pending import of this domain, or None."""
    return db.session.execute(
        select(PendingImport).where(PendingImport.token == token, PendingImport.domain == domain,
                                    PendingImport.user_id == user.id)
    ).scalar_one_or_none()


def missing_fields(pending: PendingImport, required: tuple) -> list[str]:
    return [name for name in required if name not in pending.mapping]


def set_mapping(pending: PendingImport, chosen: dict[str, int | None], required: tuple) -> None:
    mapping = {name: index for name, index in chosen.items()
               if index is not None and 0 <= index < len(pending.headers)}
    if any(name not in mapping for name in required):
        raise DomainError(_l("Choose a column for every required field."))
    pending.mapping = mapping
    db.session.commit()


def row_values(pending: PendingImport, cells: list) -> dict[str, str]:
    """A data row's cells by field name, through the column mapping."""
    return {name: cells[index] if index < len(cells) else "" for name, index in pending.mapping.items()}


def discard(pending: PendingImport) -> None:
    db.session.delete(pending)
    db.session.commit()


def save_all(pending: PendingImport, rows: list, save_row) -> int:
    """Save every checked row with save_row(row) in one transaction, or none when any row is refused.

    Rows carry `line` and `errors`; a refusal while saving names its line and rolls everything back.
    """
    if not rows or any(row.errors for row in rows):
        raise DomainError(_l("Fix the rows with errors first; nothing has been saved."))
    try:
        for row in rows:
            save_row(row)
    except DomainError as error:
        db.session.rollback()
        raise DomainError(_l("Line %(line)s: %(error)s Nothing has been saved.", line=row.line,
                             error=error.message)) from None
    discard(pending)
    return len(rows)
