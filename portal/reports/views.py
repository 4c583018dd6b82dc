"""The national dashboard, a province's dashboard down to communes, and the weekly and monthly reports."""
from datetime import datetime, timedelta

from flask import current_app, redirect, render_template, url_for
from flask_login import current_user

from portal.access import province_or_404, roles_required, visible_provinces
from portal.util.downloads import file_response
from portal.core.extensions import db
from portal.reports import bp, period, readiness
from portal.reports.forms import PeriodForm
from portal.util import query
from portal.units.models import Province


def chart_rows(rows, attribute: str) -> list[tuple[str, float]]:
    return [(row.province.name, getattr(row, attribute)) for row in rows]


@bp.get("/")
@roles_required("admin", "viewer", "coordinator")
def dashboard():
    """One row per province, sortable, with totals and charts; coordinators go to their own province."""
    if current_user.role == "coordinator":
        return redirect(url_for("reports.province", code=current_user.province_code))
    sort = query.Choice("sort", tuple(readiness.SORT_KEYS), "code").read()
    descending = query.Choice("order", ("asc", "desc"), "asc").read() == "desc"
    rows = readiness.national_readiness(visible_provinces(current_user), sort, descending)
    return render_template("reports/dashboard.html", rows=rows, total=readiness.totals(rows), sort=sort,
                           descending=descending, weekly=readiness.tickets_per_week(), chart_rows=chart_rows)


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
    now = datetime.now(period.vietnam())
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
    scope = report_scope(form)
    report = period.build(chosen_period(form), scope) if valid else None
    return render_template("reports/period.html", form=form, report=report, scope=scope, metrics=period.METRICS)


@bp.get("/period.xlsx")
@roles_required("admin", "viewer", "coordinator")
def period_xlsx():
    form, valid = period_form()
    if not valid:
        return redirect(url_for("reports.period_report", **form.data))
    report = period.build(chosen_period(form), report_scope(form))
    return file_response(period.workbook_bytes(report), f"bao-cao-{report.period.name}.xlsx")
