""""My data": what the portal holds about the signed-in person, and the corrections they may make themselves."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.accounts.forms import STATUS_LABELS as REQUEST_STATUS_LABELS
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.core.i18n import format_date_vn
from portal.core.models_base import utcnow
from portal.core.queue import enqueue
from portal.core.storage import FileMissing, storage
from portal.audit.services import record
from portal.privacy import export as exports
from portal.privacy.tasks import build_export
from portal.privacy import consents, mydata, notices, requests
from portal.privacy.forms import CorrectionForm, OwnRequestForm
from portal.util.forms import add_domain_error
from portal.util.validators import display_phone, mask_cccd

bp = Blueprint("mydata", __name__, url_prefix="/me/data")
# Every form that asks for an agreement shows today's text of its purpose beside the checkbox.
bp.add_app_template_global(notices.current, "current_notice")


def correction_forms(data: mydata.MyData, failed: CorrectionForm | None = None, failed_id: int | None = None) -> dict:
    """One form per own contact entry, filled with what is stored; the one that failed keeps what was typed."""
    forms = {}
    for contact in data.contacts:
        if contact.id == failed_id and failed is not None:
            forms[contact.id] = failed
        else:
            forms[contact.id] = CorrectionForm(prefix=f"c{contact.id}", formdata=None,
                                               full_name=contact.full_name, phone=display_phone(contact.phone))
    return forms


def page(data: mydata.MyData, forms: dict, status: int = 200, request_form: OwnRequestForm | None = None):
    return render_template("mydata/index.html", data=data, forms=forms,
                           exports=exports.user_exports(data.user, utcnow()), mask_cccd=mask_cccd,
                           request_status_labels=REQUEST_STATUS_LABELS, visible_messages=mydata.visible_messages,
                           visible_attachments=mydata.visible_attachments,
                           request_form=request_form or OwnRequestForm(formdata=None),
                           privacy_requests=requests.own_requests(data.user)), status


@bp.get("/")
@login_required
def index():
    """Everything the portal holds about the person, by kind."""
    data = mydata.gather(current_user)
    return page(data, correction_forms(data))


@bp.post("/contacts/<int:contact_id>")
@login_required
def correct(contact_id: int):
    """Correct the name or phone of one's own contact entry; anyone else's answers 404."""
    contact = mydata.own_contact(current_user, contact_id)
    if contact is None:
        abort(404)
    form = CorrectionForm(prefix=f"c{contact.id}")
    if form.validate_on_submit():
        try:
            mydata.correct_contact(current_user, contact, form.full_name.data or "", form.phone.data or "")
        except DomainError as error:
            add_domain_error(form, error)
        else:
            flash(_("Your contact details have been corrected."), "success")
            return redirect(url_for("mydata.index"))
    data = mydata.gather(current_user)
    return page(data, correction_forms(data, form, contact.id), 422)


@bp.post("/exports")
@login_required
def request_export():
    """Ask for a copy of everything; the queue builds it and e-mails the link."""
    export = exports.request_export(current_user)
    enqueue(build_export, export.id)  # if the queue is down, the hourly job builds what is still waiting
    flash(_("Your copy is being prepared. We will e-mail you a link when it is ready."), "success")
    return redirect(url_for("mydata.index") + "#export")


@bp.get("/exports/<int:export_id>")
@login_required
def download(export_id: int):
    """The owner's copy while it lasts; anyone else, or after it expired, gets 404."""
    export = exports.owned_export(current_user, export_id, utcnow())
    if export is None:
        abort(404)
    record(current_user, "mydata.export_download", f"export:{export.id}")
    db.session.commit()
    try:
        response = storage().download(export.key, exports.ZIP, f"du-lieu-cua-toi-{export.created_at:%Y%m%d}.zip")
    except FileMissing:
        abort(404)
    response.headers["Cache-Control"] = "no-store"
    return response


def own_contact_or_404(contact_id: int):
    contact = mydata.own_contact(current_user, contact_id)
    if contact is None:
        abort(404)
    return contact


@bp.post("/consents/contacts/<int:contact_id>/withdraw")
@login_required
def withdraw_contact(contact_id: int):
    """Withdraw the registration's consent for one's own entry: its CCCD is erased at once."""
    consents.withdraw_contact(current_user, own_contact_or_404(contact_id))
    flash(_("Your consent has been withdrawn and your CCCD number erased."), "success")
    return redirect(url_for("mydata.index") + "#consents")


@bp.post("/consents/contacts/<int:contact_id>/give")
@login_required
def give_contact(contact_id: int):
    """Give the registration's consent again, to today's notice."""
    consents.give_contact(current_user, own_contact_or_404(contact_id))
    flash(_("Your consent has been recorded."), "success")
    return redirect(url_for("mydata.index") + "#consents")


def own_contacts_or_404():
    contacts = mydata.own_contacts(current_user)
    if not contacts:
        abort(404)
    return contacts


@bp.post("/consents/reminders/withdraw")
@login_required
def withdraw_reminders():
    """Stop the session reminder e-mails to one's address."""
    consents.withdraw_reminders(current_user, own_contacts_or_404())
    flash(_("You will get no more session reminders."), "success")
    return redirect(url_for("mydata.index") + "#consents")


@bp.post("/consents/reminders/give")
@login_required
def give_reminders():
    """Receive the session reminders again, on today's reminders notice."""
    consents.give_reminders(current_user, own_contacts_or_404())
    flash(_("You will get session reminders again."), "success")
    return redirect(url_for("mydata.index") + "#consents")


@bp.post("/requests")
@login_required
def file_request():
    """Ask for erasure, restriction, objection or correction; a second click returns the open request."""
    form = OwnRequestForm()
    if form.validate_on_submit():
        try:
            filed = requests.file_for_account(current_user, form.kind.data, form.detail.data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            flash(_("Your request %(reference)s is received. We will acknowledge it by %(day)s.",
                    reference=filed.reference, day=format_date_vn(filed.ack_due)), "success")
            return redirect(url_for("mydata.index") + "#data-requests")
    data = mydata.gather(current_user)
    return page(data, correction_forms(data), 422, form)
