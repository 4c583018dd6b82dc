"""The dossier-backlog pages: every province's latest figure, and one province's history with the form."""
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import province_or_404, roles_required, visible_provinces
from portal.backlog import bp, services
from portal.backlog.forms import BacklogForm
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.units.models import Province
from portal.util import query
from portal.util.forms import add_domain_error


def may_record(user, province_code: int) -> bool:
    """Admins record for every province, a coordinator for their own."""
    return user.role == "admin" or (user.role == "coordinator" and user.province_code == province_code)


@bp.get("/")
@roles_required("admin", "viewer", "coordinator")
def overview():
    """Every visible province with its latest figure and change; coordinators go to their own province."""
    if current_user.role == "coordinator":
        return redirect(url_for("backlog.province", code=current_user.province_code))
    provinces = db.session.execute(visible_provinces(current_user).order_by(Province.code)).scalars().all()
    latest = services.latest_by_province()
    return render_template("backlog/overview.html", provinces=provinces, latest=latest,
                           total=sum(item.dossiers for item in latest.values()))


@bp.route("/<int:code>", methods=["GET", "POST"])
@roles_required("admin", "viewer", "coordinator")
def province(code: int):
    found = province_or_404(current_user, code)
    editable = may_record(current_user, code)
    form = BacklogForm()
    status = 200
    if editable:
        form.set_communes(services.communes_of(code))
        if not form.is_submitted():
            form.as_of.data = services.today()
    if form.is_submitted():
        if not editable:
            return redirect(url_for("backlog.province", code=code))
        if form.validate():
            try:
                services.record(current_user, code, form.as_of.data, form.dossiers.data, form.commune_code.data,
                                form.note.data or "")
            except DomainError as error:
                db.session.rollback()
                add_domain_error(form, error)
            else:
                flash(_("The figure is recorded."), "success")
                return redirect(url_for("backlog.province", code=code))
        status = 400
    page = services.history(code, query.page(), current_app.config["PER_PAGE"])
    return render_template("backlog/province.html", province=found, form=form, editable=editable, page=page,
                           latest=services.latest_by_province([code]).get(code)), status
