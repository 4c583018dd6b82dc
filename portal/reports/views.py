"""The national dashboard, a province's dashboard down to communes, and the weekly and monthly reports."""
from datetime import timedelta

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import province_or_404, roles_required, visible_provinces
from portal.util.downloads import file_response
from portal.core.extensions import db
from portal.core import clock
from portal.core.errors import DomainError
from portal.milestones import services as milestones
from portal.privacy import requests as privacy_requests
from portal.reports import bp, headlines, notes, period, readiness
from portal.reports.forms import NoteForm, PeriodForm
from portal.training.services import local_day
from portal.util import query
from portal.units.models import Province


@bp.get("/")
@roles_required("admin", "viewer", "coordinator")
def dashboard():
    """One row per province, sortable, with totals and charts; coordinators go to their own province."""
    if current_user.role == "coordinator":
        return redirect(url_for("reports.province", code=current_user.province_code))
    sort = query.Choice("sort", tuple(readiness.SORT_KEYS), "code").read()
    descending = query.Choice("order", ("asc", "desc"), "asc").read() == "desc"
    chart_order = query.Choice("chart", tuple(headlines.CHART_ORDERS), "value").read()
    rows = readiness.national_readiness(visible_provinces(current_user), sort, descending)
    total = readiness.totals(rows)
    today = local_day(clock.now())
    # Personal-data requests are the admins' to handle (and name people): viewers neither see nor pay for them.
    attention = privacy_requests.needing_attention(today, 5) if current_user.role == "admin" else None
    return render_template("reports/dashboard.html", rows=rows, total=total, sort=sort, descending=descending,
                           privacy_attention=attention,
                           weekly=readiness.tickets_per_week(), headlines=headlines.headlines(rows, total),
                           near_dates=milestones.near(today),
                           chart_order=chart_order, chart_rows=lambda attribute: headlines.chart_rows(
                               rows, attribute, chart_order))


@bp.get("/provinces/<int:code>")
@roles_required("admin", "viewer", "coordinator")
def province(code: int):
    found = province_or_404(current_user, code)
    row = readiness.national_readiness(visible_provinces(current_user).where(Province.code == code))[0]
    page = readiness.commune_rows(found, query.page(), current_app.config["PER_PAGE"])
    return render_template("reports/province.html", province=found, row=row, page=page,
                           weekly=readiness.tickets_per_week(province_code=code))


def period_form() -> tuple[PeriodForm, bool]:
    """The picker read from the query string, and whether every value in it is one the report can use."""
    form = PeriodForm(query.args())
    if current_user.role != "coordinator":
        form.set_provinces(db.session.execute(visible_provinces(current_user).order_by(Province.code)).scalars())
    return form, form.validate()


def chosen_period(form: PeriodForm) -> period.Period:
    """The week or month picked; by default last week, or this month, which the picker then shows."""
    now = clock.now().astimezone(period.vietnam())
    if form.kind.data == "monthly":
        form.month.data = form.month.data or now.strftime("%Y-%m")
        return period.month_period(form.month.data)
    form.week.data = form.week.data or (now - timedelta(days=7)).strftime("%G-W%V")
    return period.week_period(form.week.data)


def report_scope(form: PeriodForm) -> Province | None:
    if current_user.role == "coordinator":
        return db.session.get(Province, current_user.province_code)
    if form.province.data and not form.province.errors:
        return province_or_404(current_user, int(form.province.data))
    return None


@bp.get("/period")
@roles_required("admin", "viewer", "coordinator")
def period_report():
    """A printable weekly or monthly report (national, or one province); a wrong period is a message on the form."""
    form, valid = period_form()
    return render_period(form, valid, NoteForm())


def render_period(form: PeriodForm, valid: bool, note_form: NoteForm):
    """The report page; the note is the national report's (the ministry's own text), read by every role that sees it."""
    scope = report_scope(form)
    report = load_report(form, scope) if valid else None
    if report is not None and not note_form.is_submitted():
        note_form.note.data = report.note
    return render_template("reports/period.html", form=form, report=report, scope=scope, metrics=period.METRICS,
                           note_form=note_form, edits_note=current_user.role == "admin" and scope is None)


def load_report(form: PeriodForm, scope: Province | None) -> period.PeriodReport:
    report = period.build(chosen_period(form), scope)
    if scope is None:
        report.note = notes.note_text(report.period)
    return report


@bp.post("/period/note")
@roles_required("admin")
def period_note():
    """Save the "Khó khăn, đề xuất" of the period named in the query string; a wrong period or text is a message."""
    form, valid = period_form()
    note_form = NoteForm()
    if not valid or form.province.data:
        flash(_("Choose a national weekly or monthly report first."), "error")
        return redirect(url_for("reports.period_report"))
    if note_form.validate_on_submit():
        try:
            notes.save_note(current_user, chosen_period(form), note_form.note.data or "")
        except DomainError as error:
            note_form.note.errors = [str(error.message)]
        else:
            flash(_("The difficulties and proposals are saved."), "success")
            return redirect(url_for("reports.period_report", **form.data))
    return render_period(form, valid, note_form), 400


@bp.get("/period.xlsx")
@roles_required("admin", "viewer", "coordinator")
def period_xlsx():
    form, valid = period_form()
    if not valid:
        return redirect(url_for("reports.period_report", **form.data))
    report = load_report(form, report_scope(form))
    return file_response(period.workbook_bytes(report), f"bao-cao-{report.period.name}.xlsx")
