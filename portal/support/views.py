"""Support pages: tickets and the inbox, agents, recurring difficulties, the help page, ratings, the directory."""
from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import roles_required, ticket_attachment_or_404, ticket_or_404, visible_provinces
from portal.core import uploads
from portal.core.errors import DomainError
from portal.core.database import writes_on_get
from portal.core.page_cache import cached_page
from portal.core.extensions import db
from portal.core.storage import FileMissing, storage
from portal.util import query
from portal.util.forms import add_domain_error, form_integer, form_integers
from portal.core import clock
from portal.core.i18n import local
from portal.core.models_base import utcnow
from portal.support import bp, canned, desk, feedback, recurring, services, sla
from portal.support import canned_views  # noqa: F401 (its routes attach to bp)
from portal.support import directory as support_directory
from portal.support import directory_views  # noqa: F401 (its routes attach to bp)
from portal.support.forms import (PRIORITY_LABELS, SLA_LABELS, STATUS_LABELS, VIEW_LABELS, AssignForm, InboxFilterForm,
                                  ReplyForm, TicketForm)
from portal.support.models import ProvinceAgent
from portal.units.models import Province

DESK_ROLES = ("admin", "agent", "coordinator", "commune_admin")


@bp.app_context_processor
def support_labels():
    return {"priority_labels": PRIORITY_LABELS, "ticket_status_labels": STATUS_LABELS, "sla_labels": SLA_LABELS,
            "view_labels": VIEW_LABELS}


@bp.app_template_filter("sla_state")
def sla_state(ticket):
    """(due instant in Vietnam time, ok / near / breached) of an open ticket's current target, None once it is done."""
    found = sla.ticket_state(ticket, clock.now())
    return None if found is None else (local(found[0]), found[1])


@bp.app_template_filter("thumbnail_size")
def thumbnail_size(attachment) -> tuple[int, int]:
    """Width and height a ticket image's thumbnail is laid out at."""
    return uploads.fit_within(attachment.width, attachment.height)


@bp.get("/")
@roles_required(*DESK_ROLES)
def inbox():
    """Agents' inbox and the locality's list of tickets: the same page, scoped to what each may see, in views
    (mine, unassigned, near, breached, open, all); a reference that finds one ticket opens it."""
    form = InboxFilterForm(query.args())
    form.province.choices = [(0, _("All provinces"))] + [
        (p.code, p.name) for p in db.session.execute(visible_provinces(current_user).order_by(Province.code)).scalars()]
    form.category.choices = [(0, _("All categories"))] + [(c.id, c.name) for c in services.categories(False)]
    query.keep_valid(form)
    filters = services.InboxFilters(
        status=form.status.data or "", province_code=form.province.data or None, category_id=form.category.data or None,
        priority=form.priority.data or "", overdue=form.overdue.data, unassigned=form.unassigned.data,
        search=form.q.data or "", view=query.Choice("view", desk.views_for(current_user), desk.DEFAULT_VIEW).read())
    page = db.paginate(services.inbox(current_user, filters), page=query.page(),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    hit = desk.only_reference_hit(desk.reference_number(filters.search), page)
    if hit is not None:
        return redirect(url_for("support.ticket", ticket_id=hit.id))
    away = services.is_away(current_user) if current_user.role == "agent" else None
    return render_template("support/inbox.html", form=form, page=page, now=utcnow(), away=away, view=filters.view,
                           counts=desk.view_counts(current_user))


@bp.route("/new", methods=["GET", "POST"])
@roles_required("coordinator", "commune_admin")
def new_ticket():
    form = TicketForm()
    form.set_categories(services.categories())
    if form.validate_on_submit():
        files = [(f.filename, f.stream) for f in form.attachments.data or [] if f and f.filename]
        try:
            ticket = services.create_ticket(current_user, form.category_id.data, form.title.data,
                                            form.description.data, form.priority.data, form.procedure_ref.data or "",
                                            files, form.submission_token.data)
        except DomainError as error:
            db.session.rollback()
            add_domain_error(form, error)
        else:
            flash(_("Ticket %(reference)s is filed. We will answer you here and by e-mail.",
                    reference=ticket.reference), "success")
            return redirect(url_for("support.ticket", ticket_id=ticket.id))
    return render_template("support/new.html", form=form), 422 if form.errors or form.form_errors else 200


def reply_form(ticket, accept_current: bool = False) -> ReplyForm:
    """The reply form; with accept_current, the status the ticket already has is accepted too (and changes
    nothing), so a status change sent twice finds the first one done instead of an error."""
    form = ReplyForm()
    staff = current_user.role in services.STAFF_ROLES
    following = services.TRANSITIONS[ticket.status] if staff else (
        {"in_progress"} & services.TRANSITIONS[ticket.status])
    if accept_current:
        following = following | {ticket.status}
    form.status.choices = [("", _("— keep the status —"))] + [(s, STATUS_LABELS[s]) for s in STATUS_LABELS
                                                              if s in following]
    form.canned_id.choices = [(0, _("— choose —"))] + [(c.id, c.title) for c in canned.usable(current_user)]
    return form


def ticket_page(found, form: ReplyForm, status: int = 200):
    """The ticket with its conversation and the reply form as given (so typed text survives a re-render)."""
    staff = current_user.role in services.STAFF_ROLES
    assign_form = None
    canned_texts = {}
    if staff:
        assign_form = AssignForm()
        assign_form.agent_id.choices = [(a.id, a.full_name or a.email) for a in services.agents()]
        assign_form.agent_id.data = found.assignee_id
        canned_texts = {c.id: canned.filled(c, found, current_user) for c in canned.usable(current_user)}
    return render_template("support/ticket.html", ticket=found, messages=services.conversation(found, staff),
                           form=form, assign_form=assign_form, staff=staff, now=utcnow(),
                           canned_texts=canned_texts, reporter_tickets=desk.reporter_tickets(current_user, found)), status


@bp.get("/tickets/<int:ticket_id>")
@roles_required(*DESK_ROLES)
def ticket(ticket_id: int):
    """The ticket page; `?canned=<id>` opens it with that canned reply in the reply box."""
    found = ticket_or_404(current_user, ticket_id)
    form = reply_form(found)
    chosen = canned.usable_one(current_user, query.Integer("canned").read())
    if chosen is not None:
        form.canned_id.data, form.body.data = chosen.id, canned.filled(chosen, found, current_user)
    return ticket_page(found, form)


@bp.post("/tickets/<int:ticket_id>/reply")
@roles_required(*DESK_ROLES)
def reply(ticket_id: int):
    """Send a reply or note; the insert button instead puts a canned reply after the typed text and sends nothing."""
    found = ticket_or_404(current_user, ticket_id)
    form = reply_form(found, accept_current=True)
    if form.insert.data:
        chosen = canned.usable_one(current_user, form.canned_id.data)
        if chosen is None:
            flash(_("Choose a canned reply to insert."), "error")
        else:
            form.body.data = canned.appended(form.body.data or "", canned.filled(chosen, found, current_user))
            form.canned_id.data = 0
            flash(_("The canned reply is in the reply box: edit it, then send."), "info")
        return ticket_page(found, form)
    if not form.validate_on_submit():
        flash(_("The reply could not be saved."), "error")
        return ticket_page(found, form, 422)
    files = [(f.filename, f.stream) for f in form.attachments.data or [] if f and f.filename]
    try:
        message = services.respond(current_user, found, form.body.data or "", form.is_internal.data,
                                   form.status.data or "", form.submission_token.data, files)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return ticket_page(found, form, 422)
    flash(reply_confirmation(found, message), "success")
    return redirect(url_for("support.ticket", ticket_id=ticket_id))


def reply_confirmation(found, message) -> str:
    """Says what happened, so that an agent never mistakes a note for a sent reply or the other way round."""
    if message is None:
        return _("Status changed to “%(status)s”.", status=STATUS_LABELS[found.status])
    if message.is_internal:
        return _("Internal note saved. The locality does not see it.")
    if current_user.role in services.STAFF_ROLES:
        return _("Reply sent to %(name)s (by e-mail too).", name=found.reporter.full_name or found.reporter.email)
    return _("Your reply is sent to the support agent.")


@bp.post("/tickets/<int:ticket_id>/assign")
@roles_required("admin", "agent")
def assign(ticket_id: int):
    found = ticket_or_404(current_user, ticket_id)
    form = AssignForm()
    form.agent_id.choices = [(a.id, a.full_name or a.email) for a in services.agents()]
    try:
        if not form.validate_on_submit():
            raise DomainError(_("Choose an active agent."))
        services.reassign(current_user, found, form.agent_id.data)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Ticket reassigned."), "success")
    return redirect(url_for("support.ticket", ticket_id=ticket_id))


@bp.get("/attachments/<int:attachment_id>")
@roles_required(*DESK_ROLES)
def attachment(attachment_id: int):
    """A ticket's file; an image (its type sniffed on upload) opens in the browser, anything else downloads."""
    found = ticket_attachment_or_404(current_user, attachment_id)
    inline = found.content_type in services.INLINE_TYPES
    try:
        response = storage().download(services.attachment_key(found), found.content_type, found.file_name, inline)
    except FileMissing:
        abort(404)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.post("/away")
@roles_required("agent")
def away():
    services.set_away(current_user, request.form.get("away") == "1")
    return redirect(url_for("support.inbox"))


@bp.route("/agents", methods=["GET", "POST"])
@roles_required("admin")
def agents():
    """Primary and backup agent of every province, on one page."""
    provinces = db.session.execute(db.select(Province).order_by(Province.code)).scalars().all()
    if request.method == "POST":
        try:
            for province in provinces:
                services.set_province_agents(province.code, form_integer(f"primary-{province.code}"),
                                             form_integer(f"backup-{province.code}"))
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            flash(_("Saved."), "success")
        return redirect(url_for("support.agents"))
    current = {(row.province_code, row.role): row.agent_id
               for row in db.session.execute(db.select(ProvinceAgent)).scalars()}
    agents = services.agents()
    return render_template("support/agents.html", provinces=provinces, agents=agents, current=current,
                           work_phones=support_directory.work_phones(agent.id for agent in agents))


@bp.get("/recurring")
@roles_required("admin")
def recurring_page():
    """Tickets by category, province and week, the groups of similar tickets, and the ratings."""
    weeks = query.Integer("weeks", default=8, minimum=1, maximum=52).read()
    since = utcnow() - timedelta(weeks=weeks)
    keys, categories, table = recurring.counts_by_week(since)
    return render_template("support/recurring.html", groups=recurring.recurring_groups(since), keys=keys,
                           categories=categories, table=table, weeks=weeks,
                           per_agent=feedback.ratings_per_agent(), per_province=feedback.ratings_per_province())


@bp.post("/known-issues")
@roles_required("admin")
def known_issue():
    ticket_ids = form_integers("ticket_ids")
    try:
        feedback.mark_known_issue(request.form.get("title", ""), request.form.get("description", ""), ticket_ids)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The group is recorded as a known issue."), "success")
    return redirect(url_for("support.recurring_page"))


@bp.post("/tickets/<int:ticket_id>/faq")
@roles_required("admin", "agent")
def make_faq(ticket_id: int):
    found = ticket_or_404(current_user, ticket_id)
    try:
        feedback.faq_from_ticket(found, request.form.get("question", ""), request.form.get("answer", ""))
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The answer is published on the help page."), "success")
    return redirect(url_for("support.ticket", ticket_id=ticket_id))


@bp.get("/help")
@cached_page(("help", "directory"))  # the empty state offers the hotlines
def help_page():
    """Public: questions and answers drawn from resolved tickets, by category."""
    return render_template("support/help.html", entries=feedback.published_faq())


@writes_on_get
@bp.get("/rate/<token>/<int:score>")
def rate(token: str, score: int):
    """One click from the resolution e-mail records the score; a comment may follow."""
    found = feedback.ticket_for_rating(token)
    if found is None or score not in range(1, 6):
        abort(404)
    feedback.rate(found, score)
    return render_template("support/rated.html", ticket=found, token=token, score=score)


@bp.post("/rate/<token>/<int:score>")
def rate_comment(token: str, score: int):
    found = feedback.ticket_for_rating(token)
    if found is None or score not in range(1, 6):
        abort(404)
    feedback.rate(found, score, request.form.get("comment", ""))
    flash(_("Thank you for your answer."), "success")
    return render_template("support/rated.html", ticket=found, token=token, score=score, done=True)


@bp.get("/directory")
@cached_page("directory", query.Integer("province", minimum=0))
def directory():
    """Public: the ministry's support contacts and, per province, its agents and channels; ?province= jumps to one."""
    rows = support_directory.province_rows()
    chosen = query.Choice("province", tuple(str(row.province.code) for row in rows)).read()
    return render_template("support/directory.html", contacts=support_directory.contacts(),
                           rows=support_directory.jump(rows, chosen), provinces=[row.province for row in rows],
                           chosen=chosen, unknown=bool(query.Text("province").read()) and not chosen)


@bp.post("/directory/contacts")
@roles_required("admin")
def add_directory_contact():
    try:
        support_directory.add_contact(request.form.get("name", ""), request.form.get("role", ""),
                                      request.form.get("phone", ""), request.form.get("email", ""))
    except DomainError as error:
        flash(str(error.message), "error")
    return redirect(url_for("support.directory"))


@bp.post("/directory/contacts/<int:contact_id>/remove")
@roles_required("admin")
def remove_directory_contact(contact_id: int):
    support_directory.remove_contact(contact_id)
    return redirect(url_for("support.directory"))


@bp.post("/directory/provinces/<int:code>")
@roles_required("admin")
def save_channel(code: int):
    db.get_or_404(Province, code)
    try:
        support_directory.save_channel(code, request.form.get("hotline", ""), request.form.get("meeting_url", ""),
                                       request.form.get("zalo_url", ""))
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("support.directory") + f"#province-{code}")


@bp.route("/categories", methods=["GET", "POST"])
@roles_required("admin")
def categories():
    """Admins rename, switch off and add ticket categories."""
    if request.method == "POST":
        try:
            services.save_category(form_integer("category_id"), request.form.get("name", ""),
                                   request.form.get("is_active") == "1")
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Saved."), "success")
        return redirect(url_for("support.categories"))
    return render_template("support/categories.html", categories=services.categories(active_only=False))
