"""Account-access request pages: coordinators list who needs an account; the ministry decides."""
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import pending_import_or_404, roles_required
from portal.accounts import bp, services
from portal.accounts.forms import STATUS_LABELS, DecisionForm, RequestForm, UploadForm
from portal.accounts.models import ACCESS_STATUSES, AccountRequest
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.util import query
from portal.util.forms import add_domain_error
from portal.imports import services as pending_imports
from portal.util.validators import display_phone, mask_cccd


@bp.app_context_processor
def account_labels():
    return {"request_status_labels": STATUS_LABELS}


@bp.route("/", methods=["GET", "POST"])
@roles_required("admin", "coordinator")
def requests():
    """The list (full CCCD for admins, each view logged) and, for coordinators, the form to add a person."""
    form = RequestForm() if current_user.role == "coordinator" else None
    if form is not None and form.validate_on_submit():
        try:
            services.add_request(current_user, form.data, submission_token=form.submission_token.data)
        except DomainError as error:
            db.session.rollback()
            add_domain_error(form, error)
        else:
            flash(_("The request is recorded."), "success")
            return redirect(url_for("accounts.requests"))
    status = query.Choice("status", ACCESS_STATUSES).read()
    page = db.paginate(services.requests_query(current_user, status), page=query.page(),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    full_cccd = current_user.role == "admin"
    if full_cccd:
        services.record_full_views(current_user, page.items)
    return render_template("accounts/requests.html", page=page, form=form, upload_form=UploadForm(),
                           decision_form=DecisionForm(), full_cccd=full_cccd, mask_cccd=mask_cccd,
                           display_phone=display_phone)


@bp.post("/<int:request_id>/decision")
@roles_required("admin")
def decide(request_id: int):
    found = db.get_or_404(AccountRequest, request_id)
    form = DecisionForm()
    if form.validate_on_submit():
        services.decide(current_user, found, form.status.data, form.note.data or "")
        flash(_("Saved."), "success")
    return redirect(url_for("accounts.requests"))


@bp.post("/upload")
@roles_required("coordinator")
def upload():
    form = UploadForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(url_for("accounts.requests"))
    try:
        pending = services.start_import(current_user, form.file.data.filename or "", form.file.data.read())
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("accounts.requests"))
    return redirect(url_for("accounts.preview", token=pending.token))


@bp.get("/upload/<token>")
@roles_required("coordinator")
def preview(token: str):
    pending = pending_import_or_404(current_user, "accounts", token)
    missing = pending_imports.missing_fields(pending, services.REQUIRED_FIELDS)
    if missing:
        pending_imports.discard(pending)
        flash(_("Use the column headers: Họ và tên, Đơn vị, Số điện thoại, Email, CCCD, Thủ tục."), "error")
        return redirect(url_for("accounts.requests"))
    rows = services.check_rows(pending)
    return render_template("accounts/preview.html", pending=pending, rows=rows, mask_cccd=mask_cccd,
                           error_count=sum(1 for row in rows if row.errors))


@bp.post("/upload/<token>/confirm")
@roles_required("coordinator")
def confirm(token: str):
    pending = pending_import_or_404(current_user, "accounts", token)
    try:
        count = services.apply_import(current_user, pending)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("accounts.preview", token=token))
    flash(_("%(count)s requests recorded.", count=count), "success")
    return redirect(url_for("accounts.requests"))
