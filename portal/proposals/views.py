"""Proposal pages: the list with its counts, a proposal with its tickets and history, the form, the export."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import roles_required
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.proposals import bp, export, services
from portal.proposals.forms import ProposalForm, StatusForm
from portal.proposals.models import STATUSES, Proposal
from portal.support.models import KnownIssue
from portal.util import query
from portal.util.downloads import file_response
from portal.util.forms import add_domain_error, form_integer, form_integers
from portal.util.pagination import paginate_rows

STATUS_FILTER = query.Choice("status", STATUSES)


@bp.app_context_processor
def proposal_labels():
    return {"proposal_status_labels": services.STATUS_LABELS, "proposal_area_labels": services.AREA_LABELS}


def proposal_or_404(proposal_id: int) -> Proposal:
    found = db.session.get(Proposal, proposal_id)
    if found is None:
        abort(404)
    return found


@bp.get("/")
@roles_required("admin", "viewer")
def index():
    """Every proposal, newest first, a page at a time, with the number in each status."""
    status = STATUS_FILTER.read()
    page = paginate_rows(services.list_query(status), query.page(), current_app.config["PER_PAGE"])
    return render_template("proposals/index.html", page=page, status=status, counts=services.status_counts())


@bp.get("/export.xlsx")
@roles_required("admin")
def export_xlsx():
    status = STATUS_FILTER.read()
    data = export.export(current_user, current_app.config["MINISTRY_NAME"], status)
    return file_response(data, "kien-nghi.xlsx")


def render_form(form: ProposalForm, candidates: list, ticked: set, known_issue=None, proposal=None):
    return render_template("proposals/form.html", form=form, candidates=candidates, ticked=ticked,
                           known_issue=known_issue, proposal=proposal)


def posted_tickets() -> list[int]:
    """The ticked tickets and the typed numbers (a DomainError names a typed value that is not a number)."""
    return form_integers("ticket_ids") + services.ticket_numbers(request.form.get("ticket_numbers", ""))


def proposal_input(form: ProposalForm) -> services.ProposalInput:
    return services.ProposalInput(form.title.data or "", form.area.data or "", form.change.data or "",
                                  form.reason.data or "")


@bp.route("/new", methods=["GET", "POST"])
@roles_required("admin")
def new():
    """A proposal drafted from a recurring group (?ticket_ids=…) or a known issue (?known_issue=…), its tickets
    ticked; or from nothing, its tickets typed."""
    form = ProposalForm()
    issue_id = form_integer("known_issue_id") if request.method == "POST" else query.Integer("known_issue").read()
    issue = db.session.get(KnownIssue, issue_id) if issue_id else None
    if issue_id and issue is None:
        abort(404)
    if request.method == "POST":
        candidates = services.tickets_by_id(form_integers("candidate_ids"))
        if form.validate():
            try:
                proposal = services.create(current_user, proposal_input(form), posted_tickets(),
                                           known_issue_id=issue.id if issue else None)
            except DomainError as error:
                db.session.rollback()
                add_domain_error(form, error)
            else:
                flash(_("The proposal is drafted."), "success")
                return redirect(url_for("proposals.detail", proposal_id=proposal.id))
        return render_form(form, candidates, set(form_integers("ticket_ids")), issue)
    if issue is not None:
        candidates = services.known_issue_tickets(issue.id)
        form.title.data, form.change.data = issue.title, issue.description
    else:
        candidates = services.tickets_by_id(query.integers("ticket_ids"))
        if candidates:
            form.title.data = candidates[-1].title
    return render_form(form, candidates, {ticket.id for ticket in candidates}, issue)


@bp.get("/<int:proposal_id>")
@roles_required("admin", "viewer")
def detail(proposal_id: int):
    proposal = proposal_or_404(proposal_id)
    form = StatusForm()
    form.status.choices = [(key, services.STATUS_LABELS[key]) for key in services.TRANSITIONS[proposal.status]]
    return render_template("proposals/detail.html", proposal=proposal, tickets=services.tickets_of(proposal.id),
                           history=services.history(proposal.id), form=form)


@bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def edit(proposal_id: int):
    """Its wording, and its tickets: untick one to remove it, type numbers to add more."""
    proposal = proposal_or_404(proposal_id)
    if proposal.status in services.FINAL:
        flash(_("A released or declined proposal can no longer be edited."), "error")
        return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    current = services.tickets_of(proposal.id)
    form = ProposalForm(obj=proposal)
    if request.method == "POST":
        if form.validate():
            try:
                services.edit(current_user, proposal, proposal_input(form), posted_tickets())
            except DomainError as error:
                db.session.rollback()
                add_domain_error(form, error)
            else:
                flash(_("Saved."), "success")
                return redirect(url_for("proposals.detail", proposal_id=proposal.id))
        return render_form(form, current, set(form_integers("ticket_ids")), proposal=proposal)
    return render_form(form, current, {ticket.id for ticket in current}, proposal=proposal)


@bp.post("/<int:proposal_id>/status")
@roles_required("admin")
def move(proposal_id: int):
    """The next step, dated; a release tells the reporters of its tickets through the outbox."""
    proposal = proposal_or_404(proposal_id)
    form = StatusForm()
    form.status.choices = [(key, services.STATUS_LABELS[key]) for key in STATUSES]
    if not form.validate():
        flash(next(iter(form.errors.values()))[0], "error")
        return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    try:
        told = services.move(current_user, proposal, form.status.data, form.happened_on.data, form.note.data or "")
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        flash(_("Status saved: %(status)s.", status=services.STATUS_LABELS[proposal.status]), "success")
        if proposal.status == "released":
            flash(_("Reporters told by e-mail: %(count)s.", count=told), "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))
