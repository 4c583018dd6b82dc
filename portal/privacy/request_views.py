"""Requests about personal data: the public form and its one-time link, and the admins' queue with its legal clock."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from portal.access import roles_required
from portal.core import clock
from portal.core.errors import DomainError
from portal.core.extensions import db, limiter
from portal.privacy import erasure, requests
from portal.privacy.forms import AnswerForm, PublicRequestForm
from portal.privacy.models import PrivacyRequest
from portal.util import query
from portal.util.forms import add_domain_error

bp = Blueprint("privacy_requests", __name__, url_prefix="/privacy/requests")

NO_STORE = {"Cache-Control": "no-store"}


@bp.app_context_processor
def request_labels():
    return {"privacy_kind_labels": requests.KIND_LABELS, "privacy_status_labels": requests.STATUS_LABELS}


@bp.route("/new", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_LIMIT_PER_ADDRESS"], methods=["POST"])
def new():
    """For people without an account: the e-mail or phone on record; the same answer whether it is or not."""
    form = PublicRequestForm()
    if form.validate_on_submit():
        try:
            requests.file_public(form.email.data or "", form.phone.data or "", form.kind.data, form.detail.data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect(url_for("privacy_requests.sent"))
    return render_template("privacy/request_new.html", form=form), 422 if form.errors else 200, NO_STORE


@bp.get("/sent")
def sent():
    """What every sender of the public form sees, whether their address is on record or not."""
    return render_template("privacy/request_sent.html"), NO_STORE


@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify(token: str):
    """The link from the e-mail: a page that confirms with one button (a mail scanner following links does not
    file the request); an unknown, used or expired link answers 404 and writes nothing."""
    pending = requests.valid_link(token)
    if pending is None:
        return render_template("privacy/request_link_invalid.html"), 404, NO_STORE
    form = FlaskForm()  # the button's CSRF token
    if form.validate_on_submit():
        request = requests.verify(token)
        if request is None:
            return render_template("privacy/request_link_invalid.html"), 404, NO_STORE
        return render_template("privacy/request_verified.html", item=request), NO_STORE
    return render_template("privacy/request_verify.html", pending=pending, form=form), NO_STORE


@bp.get("/")
@roles_required("admin")
def index():
    """The queue: open requests soonest due first, or only the overdue ones, or all of them."""
    which = query.Choice("status", requests.QUEUE_FILTERS, "open").read()
    today = requests.vietnam_day(clock.now())
    page = db.paginate(requests.queue_query(which, today), page=query.page(),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("privacy/requests.html", page=page, which=which, today=today,
                           legal_clock=requests.legal_clock)


def request_or_404(request_id: int) -> PrivacyRequest:
    request = db.session.get(PrivacyRequest, request_id)
    if request is None or request.status == "unverified":
        abort(404)
    return request


def detail_page(request: PrivacyRequest, form: AnswerForm | None = None, status: int = 200):
    """The request, its clock and its actions; an open erasure shows exactly what approving it would change."""
    today = requests.vietnam_day(clock.now())
    plan = erasure.preview(request.email) if request.kind == "erasure" and request.is_open and request.email else None
    return render_template("privacy/request_detail.html", item=request, form=form or AnswerForm(), plan=plan,
                           state=requests.legal_clock(request, today)), status


@bp.get("/<int:request_id>")
@roles_required("admin")
def detail(request_id: int):
    return detail_page(request_or_404(request_id))


@bp.post("/<int:request_id>/acknowledge")
@roles_required("admin")
def acknowledge(request_id: int):
    request = request_or_404(request_id)
    try:
        requests.acknowledge(current_user, request)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Acknowledged; the person has been told."), "success")
    return redirect(url_for("privacy_requests.detail", request_id=request.id))


def answer(request_id: int, action, done_message: str):
    """Refuse or complete with the answer typed; a missing answer keeps the page with its message."""
    request = request_or_404(request_id)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            action(current_user, request, form.answer.data)
        except DomainError as error:
            db.session.rollback()
            add_domain_error(form, error)
        else:
            flash(done_message, "success")
            return redirect(url_for("privacy_requests.detail", request_id=request.id))
    return detail_page(request, form, 422)


@bp.post("/<int:request_id>/refuse")
@roles_required("admin")
def refuse(request_id: int):
    return answer(request_id, requests.refuse, _("Refused; the person has the reason."))


@bp.post("/<int:request_id>/complete")
@roles_required("admin")
def complete(request_id: int):
    return answer(request_id, requests.complete, _("Done; the person has been told."))


@bp.post("/<int:request_id>/erase")
@roles_required("admin")
def erase(request_id: int):
    """Approve the erasure the detail page previewed: the erasure module carries it out and closes the request
    in one commit. No e-mail follows: writing the address into the outbox would put the erased data back."""
    request = request_or_404(request_id)
    if request.kind != "erasure" or not request.is_open or not request.email:
        abort(404)
    try:
        erasure.erase(request.email, current_user, request)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        flash(_("The person's data is erased and the request is done."), "success")
    return redirect(url_for("privacy_requests.detail", request_id=request.id))
