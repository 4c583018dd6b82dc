"""The integrations pages: the national matrix and its export, a province's integrations, one integration, the kinds."""
from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.access import province_or_404, roles_required, sees_contact_details, visible_provinces
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.integrations import bp, export, services
from portal.integrations.models import INTEGRATION_STATUSES, IntegrationKind
from portal.util import query
from portal.util.downloads import file_response
from portal.util.validators import display_phone, mask_email, mask_phone

@bp.app_context_processor
def integration_labels():
    return {"integration_labels": services.STATUS_LABELS, "kind_name": kind_name}


def kind_name(kind: IntegrationKind) -> str:
    """The kind's name in the reader's language (Vietnamese when no English name was given)."""
    return kind.name_en if str(get_locale()) == "en" and kind.name_en else kind.name


def matrix_filters(kinds_keys: tuple[str, ...]) -> dict:
    return {"kind": query.Choice("kind", kinds_keys).read(),
            "status": query.Choice("status", INTEGRATION_STATUSES).read(),
            "sort": query.Choice("sort", ("code", "name", "progress") + kinds_keys, "code").read(),
            "descending": query.Choice("order", ("asc", "desc"), "asc").read() == "desc"}


@bp.get("/")
@roles_required("admin", "viewer", "coordinator")
def matrix():
    """Every province × every kind, with counts per kind; coordinators go to their own province."""
    if current_user.role == "coordinator":
        return redirect(url_for("integrations.province", code=current_user.province_code))
    keys = tuple(k.key for k in services.kinds())
    filters = matrix_filters(keys)
    found = services.matrix(visible_provinces(current_user), filters["kind"], filters["status"], filters["sort"],
                            filters["descending"])
    return render_template("integrations/matrix.html", matrix=found, filters=filters, statuses=INTEGRATION_STATUSES)


@bp.get("/matrix.xlsx")
@roles_required("admin", "viewer")
def matrix_xlsx():
    found = services.matrix(visible_provinces(current_user))
    return file_response(export.matrix_workbook(found, str(get_locale())), "tien-do-tich-hop.xlsx")


@bp.get("/<int:code>")
@roles_required("admin", "viewer", "coordinator")
def province(code: int):
    found = province_or_404(current_user, code)
    return render_template("integrations/province.html", province=found,
                           items=services.province_integrations(code), editable=may_edit(code))


def may_edit(code: int) -> bool:
    return current_user.role == "admin" or (current_user.role == "coordinator" and current_user.province_code == code)


def kind_or_404(key: str) -> IntegrationKind:
    kind = services.kind_by_key(key)
    if kind is None:
        abort(404)
    return kind


@bp.route("/<int:code>/<key>", methods=["GET", "POST"])
@roles_required("admin", "viewer", "coordinator")
def detail(code: int, key: str):
    """One integration of one province: its details, the update form for who may edit, and its history."""
    found = province_or_404(current_user, code)
    kind = kind_or_404(key)
    editable = may_edit(code)
    error = None
    typed = None
    if request.method == "POST":
        if not editable:
            abort(403)
        typed = services.IntegrationUpdate(**{name: request.form.get(name, "")[:5000] for name in
                                              services.IntegrationUpdate.__dataclass_fields__})
        try:
            services.update(current_user, code, kind, typed)
        except DomainError as problem:
            db.session.rollback()
            error = problem
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("integrations.detail", code=code, key=key))
    item = services.find(code, kind)
    details = sees_contact_details(current_user, code)
    phone = (display_phone if details else mask_phone)(item.contact_phone) if item and item.contact_phone else ""
    email = (item.contact_email if details else mask_email(item.contact_email)) if item and item.contact_email else ""
    changes = (db.paginate(services.history(item), page=query.page(), per_page=current_app.config["PER_PAGE"],
                           error_out=False) if item else None)
    return render_template("integrations/detail.html", province=found, kind=kind, item=item, editable=editable,
                           changes=changes, phone=phone, email=email, details=details, error=error, typed=typed,
                           statuses=INTEGRATION_STATUSES), (422 if error else 200)


@bp.get("/kinds")
@roles_required("admin")
def kinds():
    return render_template("integrations/kinds.html", kinds=services.kinds())


def read_due_on() -> date | None:
    value = request.form.get("due_on", "").strip()
    if not value:
        return None
    if not query.Day("due_on").written(value):
        raise DomainError(_l("Enter the due date as a calendar date."), field="due_on")
    return date.fromisoformat(value)


@bp.route("/kinds/new", methods=["GET", "POST"], defaults={"kind_id": None})
@bp.route("/kinds/<int:kind_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_kind(kind_id: int | None):
    """Add a kind of integration, or edit one's name, what provinces must provide and its due date."""
    kind = db.get_or_404(IntegrationKind, kind_id) if kind_id is not None else None
    error = None
    if request.method == "POST":
        form = request.form
        try:
            kind = services.save_kind(current_user, kind, form.get("key", ""), form.get("name", ""),
                                      form.get("name_en", ""), form.get("to_provide", ""), read_due_on())
        except DomainError as problem:
            db.session.rollback()
            error = problem
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("integrations.kinds"))
    return render_template("integrations/kind_form.html", kind=kind, error=error,
                           typed=request.form if error else None), (422 if error else 200)


# The QLVB tracker's old addresses (in bookmarks and sent e-mails) lead to its place among the integrations.
old_links = Blueprint("connections", __name__, url_prefix="/connections")


@old_links.get("/")
@roles_required("admin", "viewer", "coordinator")
def old_overview():
    return redirect(url_for("integrations.matrix"), 301)


@old_links.get("/<int:code>")
@roles_required("admin", "viewer", "coordinator")
def old_province(code: int):
    province_or_404(current_user, code)
    return redirect(url_for("integrations.detail", code=code, key="qlvb"), 301)
