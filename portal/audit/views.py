"""The audit log, for admins: newest first, filtered by person, action and Vietnam dates, and exported."""
from flask import current_app, render_template, send_file
from flask_login import current_user

from portal.access import roles_required
from portal.audit import actions, bp, export
from portal.audit.forms import AuditFilterForm
from portal.audit.links import target_links, target_text
from portal.audit.services import LogFilter, events_query
from portal.core.clock import now
from portal.core.extensions import db
from portal.core.i18n import local
from portal.util import query
from portal.util.downloads import XLSX, named


def read_filters() -> tuple[AuditFilterForm, LogFilter]:
    """The filter form from the query string; a value that does not validate is dropped (and said so)."""
    form = AuditFilterForm(query.args())
    query.keep_valid(form)
    for field in form:
        if field.errors:  # the box shows what applies (nothing), the message beside it says why
            field.raw_data = None
    return form, LogFilter(person=form.person.data or "", action=form.action.data or "",
                           since=form.since.data, until=form.until.data)


@bp.get("/")
@roles_required("admin")
def events():
    form, filters = read_filters()
    page = db.paginate(events_query(filters), page=query.page(), per_page=current_app.config["PER_PAGE"],
                       error_out=False)
    return render_template("audit/events.html", page=page, form=form, links=target_links(page.items),
                           label=actions.label, target_text=target_text, export_args=filters.as_args())


@bp.get("/export.xlsx")
@roles_required("admin")
def export_xlsx():
    """The whole filtered log (not one page) as .xlsx; the export is recorded with its filter."""
    _form, filters = read_filters()
    data = export.export(current_user, filters)
    name = f"nhat-ky-he-thong-{local(now()):%Y%m%d-%H%M}.xlsx"
    return named(send_file(data, mimetype=XLSX), name)
