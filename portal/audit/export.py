"""The filtered audit log as .xlsx, the format the ministry's officials open.

A log grows without end, so nothing holds it whole: the rows come from the database in batches and openpyxl's
write-only workbook keeps them in a temporary file; the finished file is served from disk. The export is
itself an audit event naming who exported and which filter.
"""
import tempfile

from flask_babel import gettext as _
from openpyxl import Workbook

from portal.audit import actions
from portal.audit.links import target_text
from portal.audit.services import LogFilter, events_query, record
from portal.contacts.spreadsheets import text_cell
from portal.core.clock import now
from portal.core.extensions import db
from portal.core.i18n import format_date_vn, format_datetime_vn

BATCH = 1000
COLUMN_WIDTHS = (18, 30, 26, 36, 22, 40, 16)


def filter_line(filters: LogFilter) -> str:
    """The filter in words, under the sheet's title, so a printed page says what it covers."""
    parts = []
    if filters.person:
        parts.append(_("Person: %(person)s", person=filters.person))
    if filters.action:
        parts.append(_("Action: %(action)s", action=actions.label(filters.action)))
    if filters.since:
        parts.append(_("Since: %(day)s", day=format_date_vn(filters.since)))
    if filters.until:
        parts.append(_("Until: %(day)s", day=format_date_vn(filters.until)))
    return "; ".join(parts) or _("The whole log")


def write_workbook(filters: LogFilter, destination) -> int:
    """Write the matching events into destination (a binary file); returns how many rows it holds."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Audit log"))
    for index, width in enumerate(COLUMN_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A5"
    sheet.append([text_cell(sheet, _("Audit log"), bold=True)])
    sheet.append([text_cell(sheet, filter_line(filters))])
    sheet.append([text_cell(sheet, _("Exported on %(time)s", time=format_datetime_vn(now())))])
    sheet.append([text_cell(sheet, title, bold=True) for title in (
        _("Time"), _("Who"), _("Action"), _("Action code"), _("Record"), _("Detail"), _("Address"))])
    count = 0
    rows = db.session.execute(events_query(filters).execution_options(yield_per=BATCH)).scalars()
    for event in rows:
        values = (format_datetime_vn(event.at), event.actor.email if event.actor else "—", actions.label(event.action),
                  event.action, target_text(event.target), event.detail, event.address)
        sheet.append([text_cell(sheet, value) for value in values])
        count += 1
    workbook.save(destination)
    return count


def export(actor, filters: LogFilter):
    """The export as an open temporary file (deleted when closed), recorded in the audit log with its filter."""
    destination = tempfile.TemporaryFile()
    count = write_workbook(filters, destination)
    destination.seek(0)
    detail = " ".join(f"{key}={value}" for key, value in filters.as_args().items())
    record(actor, "audit.export", "audit_events", f"{detail} rows={count}".strip())
    db.session.commit()
    return destination
