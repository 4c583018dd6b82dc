"""A Sở's two cadres on one page, and the way on to the next unit of the province with an empty seat."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import may_edit_seat, roles_required, seat_province_or_404, sees_contact_details
from portal.contacts import bp, progress, services
from portal.contacts.forms import PersonForm, SaveForm
from portal.contacts.models import CADRES_PER_DEPARTMENT
from portal.core.extensions import db
from portal.util.forms import add_domain_error
from portal.units.models import Commune, Department
from portal.util.validators import display_phone

SAVE_AND_NEXT = "next"  # the name of the button "Save and go to the next unit not registered"


def offers_next_unit(user) -> bool:
    """Whoever registers a province's units (not a commune administrator, who keeps only their own)."""
    return user.role in ("admin", "coordinator")


def next_unit_url(province_code: int, current: Commune | Department) -> str:
    """The page of the next unit with an empty seat, or the province's page (with a word) when there is none."""
    unit = progress.next_unregistered(province_code, current)
    if isinstance(unit, Department):
        return url_for("contacts.department", department_id=unit.id)
    if isinstance(unit, Commune):
        return url_for("contacts.commune", code=unit.code)
    flash(_("Every other unit of the province is registered."), "info")
    return url_for("contacts.province", code=province_code)


def seat_forms(seats: list[services.Seat], holders: list) -> list[PersonForm]:
    """One prefixed form per seat: on GET filled from its holder (never the CCCD), on POST from the request."""
    forms = []
    for seat, holder in zip(seats, holders):
        prefix = f"seat{seat.seat}"
        if request.method == "POST":
            forms.append(PersonForm(request.form, prefix=prefix))
            continue
        form = PersonForm(obj=holder, prefix=prefix)
        form.cccd.data = ""
        form.phone.data = display_phone(holder.phone) if holder else ""
        form.version.data = str(holder.version) if holder else ""
        forms.append(form)
    return forms


@bp.route("/departments/<int:department_id>", methods=["GET", "POST"])
@roles_required("admin", "viewer", "coordinator")
def department(department_id: int):
    """Both cadre seats of a Sở: the entries that change anything are checked together, then saved in one go."""
    found = db.get_or_404(Department, department_id)
    seat_province_or_404(current_user, found.province_code)
    editable = may_edit_seat(current_user, found.province_code)
    seats = [services.Seat.of_department(found, n) for n in range(1, CADRES_PER_DEPARTMENT + 1)]
    holders = [services.seat_contact(seat) for seat in seats]
    forms = seat_forms(seats, holders)
    save = SaveForm()
    status = 200
    if request.method == "POST":
        if not editable:
            abort(403)
        changed = [(seat, form) for seat, form, holder in zip(seats, forms, holders)
                   if services.changes_anything(holder, form.data, form.is_replacement.data)]
        valid = [form.validate() for _seat, form in changed]
        if save.validate_on_submit() and all(valid):
            entries = [services.SeatEntry(seat, form.data, form.expected_version(), form.is_replacement.data)
                       for seat, form in changed]
            try:
                services.save_seats(current_user, entries)
            except services.SeatRefused as error:
                form = forms[error.seat.seat - 1]
                add_domain_error(form, error)
                if error.is_conflict:
                    # Their entry is shown beside the kept input; saving again now knowingly overwrites it.
                    holder = services.seat_contact(error.seat)
                    form.version.data = str(holder.version) if holder else ""
                holders = [services.seat_contact(seat) for seat in seats]
            else:
                flash(_("The entries are saved.") if changed else _("Nothing changed."), "success" if changed else "info")
                if request.form.get(SAVE_AND_NEXT):
                    return redirect(next_unit_url(found.province_code, found))
                return redirect(request.path)
        status = 422
    return render_template(
        "contacts/department.html", department=found, seats=list(zip(seats, holders, forms)), save_form=save,
        editable=editable, details=sees_contact_details(current_user, found.province_code),
        duties=services.duties()["department"], save_and_next=SAVE_AND_NEXT,
    ), status
