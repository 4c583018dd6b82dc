"""Browsing provinces and communes; admins rename, split and merge departments."""
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.access import province_or_404, roles_required, visible_provinces
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.util import query
from portal.units import bp, services
from portal.units.forms import DepartmentNameForm, UnitSearchForm
from portal.units.models import Department


@bp.get("/")
@login_required
def provinces():
    form = UnitSearchForm(query.args())
    query.keep_valid(form)
    rows = services.province_rows(visible_provinces(current_user), form.q.data or "")
    return render_template("units/provinces.html", form=form, rows=rows)


@bp.get("/provinces/<int:code>")
@login_required
def province(code: int):
    """One province: its departments and its communes, paginated and searchable."""
    found = province_or_404(current_user, code)
    form = UnitSearchForm(query.args())
    query.keep_valid(form)
    page = db.paginate(
        services.communes_query(found, form.q.data or "", form.kind.data or ""), page=query.page(),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    return render_template(
        "units/province.html",
        province=found,
        form=form,
        page=page,
        kind_labels=services.COMMUNE_KIND_LABELS,
        rename_form=DepartmentNameForm(),
    )


@bp.post("/departments/<int:department_id>/name")
@roles_required("admin")
def rename_department(department_id: int):
    department = db.get_or_404(Department, department_id)
    form = DepartmentNameForm()
    if form.validate_on_submit():
        try:
            services.rename_department(department, form.name.data)
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Department renamed."), "success")
    else:
        for message in form.name.errors:
            flash(message, "error")
    return redirect(url_for("units.province", code=department.province_code))


@bp.post("/provinces/<int:code>/departments/split")
@roles_required("admin")
def split_departments(code: int):
    found = province_or_404(current_user, code)
    try:
        services.split_department(found)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The department is now a Sở VH&TT and a Sở DL."), "success")
    return redirect(url_for("units.province", code=code))


@bp.post("/provinces/<int:code>/departments/merge")
@roles_required("admin")
def merge_departments(code: int):
    found = province_or_404(current_user, code)
    try:
        services.merge_departments(found)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The departments are now one Sở VHTTDL."), "success")
    return redirect(url_for("units.province", code=code))
