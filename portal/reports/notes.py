"""The ministry's "Khó khăn, đề xuất" for a period: read with the report, written by admins before exporting."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.audit.services import record
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.reports.models import NOTE_LENGTH, PeriodNote
from portal.reports.period import Period


def note_text(period: Period) -> str:
    found = db.session.execute(select(PeriodNote.body).where(PeriodNote.kind == period.kind,
                                                             PeriodNote.starts_on == period.first)).scalar()
    return found or ""


def save_note(actor, period: Period, body: str) -> None:
    """Validate, then write the note and its audit event in one transaction (two first writers: the later wins)."""
    body = body.replace("\r\n", "\n").strip()
    if len(body) > NOTE_LENGTH:
        raise DomainError(_l("Write at most %(count)s characters.", count=NOTE_LENGTH), field="note")
    for attempt in range(2):
        note = db.session.execute(select(PeriodNote).where(PeriodNote.kind == period.kind,
                                                           PeriodNote.starts_on == period.first)).scalar()
        if note is None:
            note = PeriodNote(kind=period.kind, starts_on=period.first)
            db.session.add(note)
        note.body, note.updated_by_id = body, actor.id
        record(actor, "reports.note", f"{period.kind}:{period.name}", f"{len(body)} ký tự")
        try:
            db.session.commit()
            return
        except IntegrityError:
            db.session.rollback()
            if attempt:
                raise
