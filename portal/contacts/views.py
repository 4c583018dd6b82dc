"""Focal-contact pages: progress tables, a seat's entry with its history, exports, imports and duties."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.access import (
    contact_provinces,
    may_edit_seat,
    pending_import_or_404,
    province_or_404,
    roles_required,
    seat_province_or_404,
    sees_contact_details,
)
from portal.contacts import bp, imports, progress, services, spreadsheets
from portal.contacts.cadres import SAVE_AND_NEXT, next_unit_url, offers_next_unit
from portal.contacts.forms import (
    CommuneFilterForm,
    ContactForm,
    DutiesForm,
    ImportForm,
    ProgressFilterForm,
    RemoveForm,
    RevealCccdForm,
)
from portal.contacts.models import Contact
from portal.imports import services as pending_imports
from portal.training.enrolment import contact_enrolments
from portal.util.downloads import XLSX, file_response
from portal.core.errors import DomainError
from portal.core.database import writes_on_get
from portal.core.extensions import db
from portal.util.forms import add_domain_error, form_integer
from portal.util import query
from portal.util.pagination import paginate_rows
from portal.units.models import Commune, Department, Province
from portal.util.text import fold
from portal.privacy.erasure import was_erased
from portal.units.services import COMMUNE_KIND_LABELS
from portal.util.validators import display_phone, mask_cccd, mask_email, mask_phone

CONTACT_ROLES = ("admin", "viewer", "coordinator", "commune_admin")


CHANGE_LABELS = {"create": _l("Registered"), "update": _l("Changed"), "replace": _l("Replaced by another person"),
                 "remove": _l("Removed"), "anonymise": _l("Personal data erased")}
FIELD_LABELS = {"full_name": _l("Full name"), "position": _l("Position"), "unit_name": _l("Unit"),
                "phone": _l("Phone"), "email": _l("E-mail"), "cccd": _l("CCCD")}
IMPORT_ACTIONS = {"create": _l("new entry"), "update": _l("updates the entry"),
                  "replace": _l("replaces the registered person")}


@bp.app_context_processor
def contact_helpers():
    return {"contact_deadline": services.deadline, "contact_days_left": services.days_left,
            "change_labels": CHANGE_LABELS, "field_labels": FIELD_LABELS, "import_actions": IMPORT_ACTIONS}


@bp.app_template_filter("phone")
def phone_filter(e164: str | None, in_full: bool) -> str:
    return display_phone(e164) if in_full else mask_phone(e164)


@bp.app_template_filter("email")
def email_filter(email: str | None, in_full: bool) -> str:
    return (email or "") if in_full else mask_email(email)


@bp.app_template_filter("cccd_mask")
def cccd_filter(cccd: str | None) -> str:
    return mask_cccd(cccd)


@bp.get("/")
@roles_required(*CONTACT_ROLES)
def index():
    """The national table for the ministry; local roles go straight to their province or commune."""
    if current_user.role == "coordinator":
        return redirect(url_for("contacts.province", code=current_user.province_code))
    if current_user.role == "commune_admin":
        return redirect(url_for("contacts.commune", code=current_user.commune_code))
    form = ProgressFilterForm(query.args())
    query.keep_valid(form)
    provinces = contact_provinces(current_user)
    if form.q.data:
        provinces = provinces.where(Province.search_name.contains(fold(form.q.data), autoescape=True))
    rows = progress.national_progress(provinces, form.kind.data or "", form.sort.data or "code",
                                      descending=form.order.data == "desc")
    return render_template("contacts/national.html", form=form, rows=rows, total=progress.totals(rows))


@bp.get("/provinces/<int:code>")
@roles_required("admin", "viewer", "coordinator")
def province(code: int):
    """A province's department seats and communes with their administrators; filter to the missing ones."""
    found = province_or_404(current_user, code)
    form = CommuneFilterForm(query.args())
    query.keep_valid(form)
    page = paginate_rows(
        progress.communes_with_contacts(found, form.q.data or "", form.kind.data or "", form.status.data or ""),
        query.page(), current_app.config["PER_PAGE"],
    )
    summary = progress.national_progress(contact_provinces(current_user).where(Province.code == code))[0]
    return render_template(
        "contacts/province.html", province=found, form=form, page=page, summary=summary,
        departments=progress.department_seats(found), kind_labels=COMMUNE_KIND_LABELS,
        details=sees_contact_details(current_user, code),
    )


def seat_page(seat: services.Seat, unit: Commune | Department, back_url: str | None):
    """GET shows the seat (and its form to whoever may edit it); POST saves it, keeping the input on refusal;
    "save and next" then opens the province's next unit with an empty seat."""
    seat_province_or_404(current_user, seat.province_code, seat.commune_code)
    contact = services.seat_contact(seat)
    editable = may_edit_seat(current_user, seat.province_code, seat.commune_code)
    form = ContactForm(obj=contact if request.method == "GET" else None)
    if request.method == "GET":
        form.cccd.data = ""  # the stored number is never sent back to the browser
        form.phone.data = display_phone(contact.phone) if contact else ""
        form.version.data = str(contact.version) if contact else ""
    if request.method == "POST":
        if not editable:
            abort(403)
        if form.validate_on_submit():
            try:
                services.save_seat(current_user, seat, form.data, form.expected_version(),
                                   is_replacement=form.is_replacement.data)
            except DomainError as error:
                db.session.rollback()
                add_domain_error(form, error)
                contact = services.seat_contact(seat)
                # Their entry is shown beside the kept input; saving again now knowingly overwrites it.
                form.version.data = str(contact.version) if contact else ""
            else:
                flash(_("The entry is saved."), "success")
                if was_erased(form.email.data or ""):
                    flash(_("This e-mail belonged to a person whose data was erased at their request. Make sure "
                            "they agree to be registered again."), "warning")
                if request.form.get(SAVE_AND_NEXT) and offers_next_unit(current_user):
                    return redirect(next_unit_url(seat.province_code, unit))
                return redirect(request.path)
    return render_template(
        "contacts/seat.html", seat=seat, unit_name=unit.name, contact=contact, form=form, editable=editable,
        details=sees_contact_details(current_user, seat.province_code, seat.commune_code),
        history=services.seat_history(seat) if editable or current_user.role == "admin" else [],
        duties=services.duties()[seat.kind], back_url=back_url, may_remove=True,
        reveal_form=RevealCccdForm(), revealed_cccd=None,
        save_and_next=SAVE_AND_NEXT if offers_next_unit(current_user) else None,
        department_url=url_for("contacts.department", department_id=seat.department_id) if seat.department_id else None,
    ), 422 if form.errors or form.form_errors else 200


@bp.route("/communes/<int:code>", methods=["GET", "POST"])
@roles_required(*CONTACT_ROLES)
def commune(code: int):
    found = db.get_or_404(Commune, code)
    back = url_for("contacts.province", code=found.province_code) if current_user.role != "commune_admin" else None
    return seat_page(services.Seat.of_commune(found), found, back)


@bp.route("/departments/<int:department_id>/seats/<int:seat>", methods=["GET", "POST"])
@roles_required("admin", "viewer", "coordinator")
def department_seat(department_id: int, seat: int):
    department = db.get_or_404(Department, department_id)
    if seat not in (1, 2):
        abort(404)
    back = url_for("contacts.province", code=department.province_code)
    return seat_page(services.Seat.of_department(department, seat), department, back)


def contact_for_editor(contact_id: int) -> Contact:
    contact = db.get_or_404(Contact, contact_id)
    seat_province_or_404(current_user, contact.province_code, contact.commune_code)
    if not may_edit_seat(current_user, contact.province_code, contact.commune_code):
        abort(403)
    return contact


def seat_url(contact: Contact) -> str:
    if contact.kind == "commune":
        return url_for("contacts.commune", code=contact.commune_code)
    return url_for("contacts.department_seat", department_id=contact.department_id, seat=contact.seat)


@bp.route("/entries/<int:contact_id>/remove", methods=["GET", "POST"])
@roles_required("admin", "coordinator", "commune_admin")
def remove(contact_id: int):
    """Removing an entry asks first, on a page that names the person and the sessions they leave."""
    contact = contact_for_editor(contact_id)
    target = seat_url(contact)
    form = RemoveForm()
    if request.method == "GET":
        form.version.data = contact.version
    elif form.validate_on_submit():
        try:
            services.remove_contact(current_user, contact, form.version.data)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            flash(_("The entry is removed; the seat is free."), "success")
        return redirect(target)
    return render_template("contacts/confirm_remove.html", contact=contact, form=form, back_url=target,
                           enrolments=contact_enrolments(contact)), 422 if form.errors else 200


@bp.post("/entries/<int:contact_id>/cccd")
@roles_required("admin")
def reveal_cccd(contact_id: int):
    """Show the full CCCD once, on this response only (never in a URL), after logging the reason."""
    contact = db.get_or_404(Contact, contact_id)
    form = RevealCccdForm()
    revealed = None
    if form.validate_on_submit():
        try:
            revealed = services.reveal_cccd(current_user, contact, form.reason.data)
        except DomainError as error:
            add_domain_error(form, error)
    seat = services.Seat.of_contact(contact)
    unit_name = contact.commune.name if contact.commune else contact.department.name
    return render_template(
        "contacts/seat.html", seat=seat, unit_name=unit_name, contact=contact, form=None, editable=False,
        details=True, history=services.seat_history(seat), duties=services.duties()[seat.kind],
        back_url=seat_url(contact), may_remove=False, reveal_form=form, revealed_cccd=revealed,
    )


@bp.post("/entries/<int:contact_id>/shared-person")
@roles_required("admin")
def allow_shared_person(contact_id: int):
    contact = db.get_or_404(Contact, contact_id)
    services.allow_shared_person(current_user, contact, request.form.get("allowed") == "1")
    flash(_("Saved."), "success")
    return redirect(seat_url(contact))


@bp.route("/duties", methods=["GET", "POST"])
@roles_required("admin")
def duties():
    form = DutiesForm(data=services.duties() if request.method == "GET" else None)
    if form.validate_on_submit():
        services.save_duties(current_user, "department", form.department.data)
        services.save_duties(current_user, "commune", form.commune.data)
        flash(_("The duties are saved."), "success")
        return redirect(url_for("contacts.duties"))
    return render_template("contacts/duties.html", form=form)


def export_scope() -> Province | None:
    """The province an export or template covers: a coordinator's own; for admins the one asked for, or all."""
    if current_user.role == "coordinator":
        return db.session.get(Province, current_user.province_code)
    code = query.Integer("province").read()
    return province_or_404(current_user, code) if code else None


@writes_on_get
@bp.get("/export.xlsx")
@roles_required("admin", "coordinator")
def export_xlsx():
    province = export_scope()
    data = spreadsheets.export(current_user, province, "xlsx")
    name = f"dau-moi-{province.codename if province else 'toan-quoc'}.xlsx"
    return file_response(data, name, XLSX)


@writes_on_get
@bp.get("/export.csv")
@roles_required("admin", "coordinator")
def export_csv():
    province = export_scope()
    kind = query.Choice("kind", tuple(spreadsheets.SHEET_TITLES), "commune").read()
    data = spreadsheets.export(current_user, province, "csv", kind)
    name = f"dau-moi-{kind}-{province.codename if province else 'toan-quoc'}.csv"
    return file_response(data, name, "text/csv; charset=utf-8")


@bp.get("/template.xlsx")
@roles_required("admin", "coordinator")
def template():
    """The empty form for a province, with its departments and communes already listed."""
    province = export_scope()
    if province is None:
        abort(404)
    data = spreadsheets.workbook_bytes(province, template=True)
    return file_response(data, f"mau-dau-moi-{province.codename}.xlsx",
                         XLSX)


@bp.route("/import", methods=["GET", "POST"])
@roles_required("admin", "coordinator")
def import_upload():
    form = ImportForm()
    form.set_province_choices(db.session.execute(contact_provinces(current_user).order_by(Province.code)).scalars())
    if current_user.role == "coordinator" and request.method == "GET":
        form.province_code.data = current_user.province_code
    if form.validate_on_submit():
        province = province_or_404(current_user, form.province_code.data)
        upload = form.file.data
        try:
            pending = imports.start_import(current_user, province, form.kind.data, upload.filename or "", upload.read())
        except DomainError as error:
            db.session.rollback()
            add_domain_error(form, error)
        else:
            return redirect(url_for("contacts.import_preview", token=pending.token))
    return render_template("contacts/import_upload.html", form=form)


@bp.get("/import/<token>")
@roles_required("admin", "coordinator")
def import_preview(token: str):
    """Column mapping when the headers are not the template's, then every row with its errors or its effect."""
    pending = pending_import_or_404(current_user, "contacts", token)
    if imports.missing_fields(pending):
        return render_template("imports/mapping.html", pending=pending, labels=imports.FIELD_LABELS,
                               required=imports.REQUIRED_FIELDS, back_url=url_for("contacts.import_upload"),
                               action_url=url_for("contacts.import_mapping", token=token))
    checked = imports.check_import(pending)
    only_errors = query.Choice("show", ("errors",)).read() == "errors"
    return render_template("contacts/import_preview.html", pending=pending, checked=checked, only_errors=only_errors,
                           page=checked.page(only_errors, query.page()), labels=imports.FIELD_LABELS,
                           details=sees_contact_details(current_user, pending.province_code))


@bp.post("/import/<token>/mapping")
@roles_required("admin", "coordinator")
def import_mapping(token: str):
    pending = pending_import_or_404(current_user, "contacts", token)
    chosen = {name: form_integer(name, minimum=0) for name in imports.FIELD_LABELS}
    try:
        pending_imports.set_mapping(pending, chosen, imports.REQUIRED_FIELDS)
    except DomainError as error:
        flash(str(error.message), "error")
    return redirect(url_for("contacts.import_preview", token=token))


@bp.post("/import/<token>/confirm")
@roles_required("admin", "coordinator")
def import_confirm(token: str):
    pending = pending_import_or_404(current_user, "contacts", token)
    province_code = pending.province_code
    try:
        applied = imports.apply_import(current_user, pending)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("contacts.import_preview", token=token))
    message = ngettext("%(num)s entry imported.", "%(num)s entries imported.", applied.saved)
    if applied.skipped:
        message += " " + ngettext("%(num)s blank row skipped.", "%(num)s blank rows skipped.", applied.skipped)
    flash(message, "success")
    return redirect(url_for("contacts.province", code=province_code))
