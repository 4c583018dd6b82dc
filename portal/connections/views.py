"""The QLVB connection pages: every province's status, and one province's details and history."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.access import province_or_404, roles_required, sees_contact_details, visible_provinces
from portal.connections import bp, services
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.units.models import Province
from portal.util.validators import display_phone, mask_email, mask_phone

STATUS_LABELS = {"not_started": _l("Not started"), "in_progress": _l("In progress"), "testing": _l("Testing"),
                 "connected": _l("Connected"), "blocked": _l("Blocked")}


@bp.app_context_processor
def connection_labels():
    return {"connection_labels": STATUS_LABELS}


@bp.get("/")
@roles_required("admin", "viewer", "coordinator")
def overview():
    provinces = db.session.execute(visible_provinces(current_user).order_by(Province.code)).scalars().all()
    if current_user.role == "coordinator":
        return redirect(url_for("connections.province", code=current_user.province_code))
    return render_template("connections/overview.html", provinces=provinces, statuses=services.statuses())


@bp.route("/<int:code>", methods=["GET", "POST"])
@roles_required("admin", "viewer", "coordinator")
def province(code: int):
    found = province_or_404(current_user, code)
    editable = current_user.role == "admin" or (current_user.role == "coordinator" and current_user.province_code == code)
    if request.method == "POST":
        if not editable:
            return redirect(url_for("connections.province", code=code))
        form = request.form
        try:
            services.update(current_user, code, form.get("software", ""), form.get("vendor", ""),
                            form.get("contact_name", ""), form.get("contact_phone", ""), form.get("contact_email", ""),
                            form.get("status", ""), form.get("reason", ""))
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            flash(_("Saved."), "success")
        return redirect(url_for("connections.province", code=code))
    details = sees_contact_details(current_user, code)
    item = services.statuses().get(code)
    phone = (display_phone if details else mask_phone)(item.contact_phone) if item and item.contact_phone else ""
    email = (item.contact_email if details else mask_email(item.contact_email)) if item and item.contact_email else ""
    return render_template("connections/province.html", province=found, item=item, editable=editable,
                           history=services.history(code), phone=phone, email=email, details=details)
