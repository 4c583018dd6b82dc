"""The national dashboard, a province's dashboard down to communes, and the weekly and monthly reports."""
from datetime import datetime, timedelta

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import province_or_404, roles_required, visible_provinces
from portal.util.downloads import file_response
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.reports import bp, period, readiness
from portal.units.models import Province


def chart_rows(rows, attribute: str) -> list[tuple[str, float]]:
    return [(row.province.name, getattr(row, attribute)) for row in rows]


@bp.get("/")
@roles_required("admin", "viewer", "coordinator")
def dashboard():
    """One row per province, sortable, with totals and charts; coordinators go to their own province."""
    if current_user.role == "coordinator":
        return redirect(url_for("reports.province", code=current_user.province_code))
    sort = request.args.get("sort", "code")
    descending = request.args.get("order") == "desc"
    rows = readiness.national_readiness(visible_provinces(current_user), sort, descending)
    return render_template("reports/dashboard.html", rows=rows, total=readiness.totals(rows), sort=sort,
                           descending=descending, weekly=readiness.tickets_per_week(), chart_rows=chart_rows)


@bp.get("/provinces/<int:code>")
@roles_required("admin", "viewer", "coordinator")
def province(code: int):
    found = province_or_404(current_user, code)
    row = readiness.national_readiness(visible_provinces(current_user).where(Province.code == code))[0]
    page = readiness.commune_rows(found, request.args.get("page", 1, type=int), current_app.config["PER_PAGE"])
    return render_template("reports/province.html", province=found, row=row, page=page,
                           weekly=readiness.tickets_per_week(province_code=code))


def report_period():
    kind = request.args.get("kind", "weekly")
    try:
        if kind == "monthly":
            return period.month_period(request.args.get("month") or datetime.now(period.vietnam()).strftime("%Y-%m"))
        default_week = (datetime.now(period.vietnam()) - timedelta(days=7)).strftime("%G-W%V")
        return period.week_period(request.args.get("week") or default_week)
    except DomainError:
        abort(404)


def report_scope() -> Province | None:
    if current_user.role == "coordinator":
        return db.session.get(Province, current_user.province_code)
    code = request.args.get("province", type=int)
    return province_or_404(current_user, code) if code else None


@bp.get("/period")
@roles_required("admin", "viewer", "coordinator")
def period_report():
    """A printable weekly or monthly report (national, or one province)."""
    report = period.build(report_period(), report_scope())
    provinces = db.session.execute(visible_provinces(current_user).order_by(Province.code)).scalars().all()
    return render_template("reports/period.html", report=report, metrics=period.METRICS, provinces=provinces)


@bp.get("/period.xlsx")
@roles_required("admin", "viewer", "coordinator")
def period_xlsx():
    report = period.build(report_period(), report_scope())
    name = "bao-cao-" + request.args.get("week", request.args.get("month", "ky")) + ".xlsx"
    return file_response(period.workbook_bytes(report), name)
