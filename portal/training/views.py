"""Training pages: the plan (also public), a session with enrolment, the session form, roster and coverage."""
from datetime import datetime, timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from portal.access import (
    contact_provinces,
    may_enrol,
    may_manage_session,
    roles_required,
)
from portal.util.downloads import file_response
from portal.core.errors import DomainError
from portal.core.database import writes_on_get
from portal.core.page_cache import cached_page
from portal.core.extensions import db
from portal.feeds import services as feed_services
from portal.util import query
from portal.util.forms import ConfirmForm, add_domain_error, form_integer, form_integers
from portal.training import bp, enrolment, notices, services
from portal.training import week as week_grid
from portal.materials import services as materials_service
from portal.training.forms import (
    ATTENDANCE_LABELS,
    AUDIENCE_LABELS,
    HELD_LABEL,
    MODE_LABELS,
    STATUS_LABELS,
    CancelForm,
    EnrolForm,
    PlanFilterForm,
    SessionForm,
)
from portal.training.models import Enrolment, TrainingSession
from portal.units.models import Province


WEEKDAY_NAMES = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"),
                 _l("Sunday"))


def session_state(item: TrainingSession) -> tuple[str, str]:
    """A session's state as (key, label): cancelled, held once it is over by the portal's clock, changed, scheduled."""
    if item.is_cancelled:
        return "cancelled", STATUS_LABELS["cancelled"]
    if item.has_ended:
        return "held", HELD_LABEL
    return item.status, STATUS_LABELS[item.status]


@bp.app_context_processor
def training_labels():
    return {"audience_labels": AUDIENCE_LABELS, "mode_labels": MODE_LABELS, "status_labels": STATUS_LABELS,
            "attendance_labels": ATTENDANCE_LABELS, "weekday_names": WEEKDAY_NAMES, "session_state": session_state}


@bp.app_template_filter("vnweek")
def week_of(instant: datetime) -> str:
    """The ISO date of the Monday of the instant's week in Vietnam (the plan's `week` parameter)."""
    day = services.local_day(instant)
    return (day - timedelta(days=day.weekday())).isoformat()


def default_plan_filters() -> dict:
    """With no filter chosen, the plan opens on a local official's province and on a trainer's own sessions."""
    if request.args or not current_user.is_authenticated:
        return {}
    if current_user.role in ("coordinator", "commune_admin"):
        return {"province": current_user.province_code}
    if current_user.role == "trainer":
        return {"trainer": current_user.id}
    return {}


def plan_page(template: str, endpoint: str):
    form = PlanFilterForm(query.args(), **default_plan_filters())
    form.set_choices(db.session.execute(db.select(Province).order_by(Province.code)).scalars(), services.trainers())
    query.keep_valid(form)
    filters = services.PlanFilters(province_code=form.province.data or None, audience=form.audience.data or "",
                                   trainer_id=form.trainer.data or None, mode=form.mode.data or "")
    if query.Choice("view", ("table",)).read() == "table":
        page = db.paginate(services.plan_list(filters), page=query.page(), per_page=current_app.config["PER_PAGE"], error_out=False)
        return render_template(template, form=form, page=page, table=True, endpoint=endpoint)
    week = form.week.data or services.first_week_with_sessions(filters)
    monday = week - timedelta(days=week.weekday())
    sessions = week_grid.week_cards(services.plan_week(monday, filters), services.vietnam())
    shown_days, by_day = week_grid.by_day(sessions, monday)
    return render_template(template, form=form, monday=monday, days=shown_days, by_day=by_day, sessions=sessions,
                           previous_week=monday - timedelta(days=7), next_week=monday + timedelta(days=7),
                           endpoint=endpoint, table=False)


@bp.get("/")
@login_required
def plan():
    """The plan by week, as a grid of days, with filters by province, audience, trainer and mode."""
    return plan_page("training/plan.html", "training.plan")


# The public plan's query parameters, as its filter form, week links and pages send them (the cache's key).
PUBLIC_PLAN_QUERY = (query.Day("week"), query.Integer("province", minimum=0), query.Integer("trainer", minimum=0),
                     query.Choice("audience", tuple(AUDIENCE_LABELS)), query.Choice("mode", tuple(MODE_LABELS)),
                     query.Choice("view", ("table",)), query.PAGE)


@bp.get("/public")
@cached_page("plan", *PUBLIC_PLAN_QUERY)
def public_plan():
    """The same plan for officials without an account: sessions only, no personal data."""
    return plan_page("training/public_plan.html", "training.public_plan")


def session_or_404(session_id: int) -> TrainingSession:
    return db.get_or_404(TrainingSession, session_id)


def session_input(form: SessionForm) -> services.SessionInput:
    return services.SessionInput(
        title=form.title.data or "", description=form.description.data or "", audience=form.audience.data,
        mode=form.mode.data, venue=form.venue.data or "", meeting_url=form.meeting_url.data or "",
        starts_at=datetime.combine(form.day.data, form.starts.data),
        ends_at=datetime.combine(form.day.data, form.ends.data),
        capacity=form.capacity.data, province_codes=form.province_codes.data or [],
        trainer_ids=form.trainer_ids.data or [],
    )


def session_form_page(session: TrainingSession | None):
    form = SessionForm()
    form.set_choices(db.session.execute(db.select(Province).order_by(Province.code)).scalars(), services.trainers())
    if request.method == "GET":
        if session is not None:
            form.process(obj=session)
            starts, ends = (s.astimezone(services.vietnam()) for s in (session.starts_at, session.ends_at))
            form.day.data, form.starts.data, form.ends.data = starts.date(), starts.time(), ends.time()
            form.province_codes.data = [p.code for p in session.provinces]
            form.trainer_ids.data = [t.id for t in session.trainers]
        elif current_user.role == "trainer":
            form.trainer_ids.data = [current_user.id]
    warnings = []
    if form.validate_on_submit():
        try:
            saved = services.save_session(current_user, session, session_input(form), form.override_reason.data or "",
                                          past_confirmed=form.past_confirmed.data)
        except services.ConflictWarnings as conflict:
            db.session.rollback()
            warnings = conflict.warnings
        except DomainError as error:
            db.session.rollback()
            add_domain_error(form, error)
        else:
            flash(_("The session is saved."), "success")
            return redirect(url_for("training.session", session_id=saved.id))
    status = 422 if (form.errors or form.form_errors or warnings) else 200
    past = bool(form.past_confirmed.errors or form.past_confirmed.data)
    return render_template("training/session_form.html", form=form, session=session, warnings=warnings,
                           ask_past=past), status


@bp.route("/sessions/new", methods=["GET", "POST"])
@roles_required("admin", "trainer")
def new_session():
    return session_form_page(None)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@roles_required("admin", "trainer")
def edit_session(session_id: int):
    session = session_or_404(session_id)
    if not may_manage_session(current_user, session) or session.is_cancelled:
        abort(403)
    return session_form_page(session)


@bp.get("/sessions/<int:session_id>")
@login_required
def session(session_id: int):
    """A session's details; coordinators enrol their province's contacts here, trainers reach the roster."""
    found = session_or_404(session_id)
    enrol_form, mine, eligible, positions = None, [], [], {}
    open_for_enrolment = not found.is_cancelled and not found.has_started
    # The province's (or commune's) own people; the ministry's admins use the roster for everyone.
    enrolling = may_enrol(current_user, found) and not found.is_cancelled and current_user.province_code is not None
    if enrolling:
        mine = enrolment.roster(found, current_user.province_code)
        if current_user.role == "commune_admin":
            mine = [e for e in mine if e.contact.commune_code == current_user.commune_code]
        positions = enrolment.waiting_positions(found)
    if enrolling and open_for_enrolment:
        taken = {e.contact_id for e in mine}
        eligible = [c for c in enrolment.eligible_contacts(found, current_user.province_code) if c.id not in taken]
        if current_user.role == "commune_admin":
            eligible = [c for c in eligible if c.commune_code == current_user.commune_code]
        enrol_form = EnrolForm()
        enrol_form.contact_ids.choices = [(c.id, c.full_name) for c in eligible]
    manage = may_manage_session(current_user, found)
    attach_form = materials_service.attach_form(found) if manage else None
    return render_template("training/session.html", session=found, enrol_form=enrol_form, mine=mine,
                           eligible=eligible, positions=positions, open_for_enrolment=open_for_enrolment,
                           enrolling=enrolling, manage=manage, attach_form=attach_form,
                           google_link=feed_services.google_calendar_link(found))


def managed_session_or_403(session_id: int) -> TrainingSession:
    found = session_or_404(session_id)
    if not may_manage_session(current_user, found):
        abort(403)
    return found


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@roles_required("admin", "trainer")
def cancel(session_id: int):
    """Cancelling asks first, on a page of its own that says who will be e-mailed."""
    found = managed_session_or_403(session_id)
    if found.is_cancelled:
        flash(_("The session is already cancelled."), "info")
        return redirect(url_for("training.session", session_id=session_id))
    form = CancelForm()
    if form.validate_on_submit():
        try:
            services.cancel_session(current_user, found, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            add_domain_error(form, error)
        else:
            flash(_("The session is cancelled; it stays in the plan, struck through."), "success")
            return redirect(url_for("training.session", session_id=session_id))
    return render_template("training/confirm_cancel.html", session=found, form=form,
                           recipients=notices.change_recipients(found)), 422 if form.errors else 200


@bp.route("/sessions/<int:session_id>/restore", methods=["GET", "POST"])
@roles_required("admin")
def restore(session_id: int):
    """Undo a cancellation, after a page that says who gets the session back in their calendar."""
    found = session_or_404(session_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.restore_session(current_user, found)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            flash(_("The session is restored; everyone with a seat gets an updated invitation."), "success")
        return redirect(url_for("training.session", session_id=session_id))
    if not found.is_cancelled:
        return redirect(url_for("training.session", session_id=session_id))
    return render_template("training/confirm_restore.html", session=found, form=form,
                           recipients=notices.change_recipients(found)), 422 if form.errors else 200


@bp.post("/sessions/<int:session_id>/enrol")
@roles_required("admin", "coordinator", "commune_admin")
def enrol(session_id: int):
    """Enrol the ticked contacts, or with "all", every eligible contact of the coordinator's province."""
    found = session_or_404(session_id)
    if not may_enrol(current_user, found):
        abort(403)
    province_code = current_user.province_code or form_integer("province")
    eligible = {c.id: c for c in enrolment.eligible_contacts(found, province_code)}
    if current_user.role == "commune_admin":
        eligible = {i: c for i, c in eligible.items() if c.commune_code == current_user.commune_code}
    if request.form.get("all") and current_user.role != "commune_admin":
        chosen = list(eligible.values())
    else:
        ticked = form_integers("contact_ids")  # each once, in the form's order
        chosen = [eligible[i] for i in ticked if i in eligible]
    try:
        confirmed, waiting = enrolment.enrol(current_user, found, chosen)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        flash_enrolment(found, chosen, confirmed, waiting)
    return redirect(url_for("training.session", session_id=session_id))


def flash_enrolment(session: TrainingSession, chosen: list, confirmed: int, waiting: int) -> None:
    """A seat is a success; a place on the waiting list is information, with the place in the queue; so is a
    person already in (before this request, or by the same form sent twice)."""
    already = len(chosen) - confirmed - waiting
    if already and current_user.role == "commune_admin":
        flash(_("You are already enrolled in this session."), "info")
    elif already:
        flash(ngettext("%(num)s of the people chosen was already enrolled in this session.",
                       "%(num)s of the people chosen were already enrolled in this session.", already), "info")
    if not waiting:
        if confirmed or not already:
            flash(_("Enrolled: %(confirmed)s.", confirmed=confirmed), "success")
        return
    if len(chosen) == 1:
        entry = db.session.scalar(db.select(Enrolment).filter_by(session_id=session.id, contact_id=chosen[0].id))
        position = enrolment.waiting_positions(session)[entry.id]
        if current_user.role == "commune_admin":
            flash(_("You are number %(position)s on the waiting list: the session is full. You will be e-mailed if "
                    "a seat frees up.", position=position), "info")
        else:
            flash(_("%(name)s is number %(position)s on the waiting list: the session is full.",
                    name=chosen[0].full_name, position=position), "info")
        return
    flash(_("Enrolled: %(confirmed)s. The session is full: %(waiting)s are on the waiting list and will be e-mailed "
            "if seats free up.", confirmed=confirmed, waiting=waiting), "info")


def enrolment_for_editor(enrolment_id: int) -> Enrolment:
    """The enrolment, if the user may take this person out (404 otherwise, as if it did not exist)."""
    found = db.get_or_404(Enrolment, enrolment_id)
    contact = found.contact
    allowed = current_user.role == "admin" or (
        current_user.role == "coordinator" and contact.province_code == current_user.province_code) or (
        current_user.role == "commune_admin" and contact.commune_code == current_user.commune_code)
    if not allowed:
        abort(404)
    return found


@bp.route("/enrolments/<int:enrolment_id>/withdraw", methods=["GET", "POST"])
@roles_required("admin", "coordinator", "commune_admin")
def withdraw(enrolment_id: int):
    """Withdrawing asks first, on a page that says who is told and who takes the seat."""
    found = enrolment_for_editor(enrolment_id)
    contact, session_id = found.contact, found.session_id
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            enrolment.withdraw(found)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            flash(_("%(name)s is no longer enrolled.", name=contact.full_name), "success")
        return redirect(url_for("training.session", session_id=session_id))
    next_in_line = enrolment.first_waiting(found.session) if found.status == "enrolled" else None
    return render_template("training/confirm_withdraw.html", entry=found, session=found.session, form=form,
                           next_in_line=next_in_line), 422 if form.errors else 200


@bp.route("/sessions/<int:session_id>/roster", methods=["GET", "POST"])
@roles_required("admin", "trainer")
def roster(session_id: int):
    """The attendance list, one row per person with three large choices: made for a phone in the room."""
    found = session_or_404(session_id)
    if not may_manage_session(current_user, found):
        abort(403)
    people = enrolment.roster(found)
    if request.method == "POST":
        marks = {e.id: request.form[f"attendance-{e.id}"] for e in people if request.form.get(f"attendance-{e.id}")}
        try:
            changed = enrolment.mark_attendance(found, marks)
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Attendance saved (%(count)s changed).", count=changed), "success")
            return redirect(url_for("training.roster", session_id=session_id))
    return render_template("training/roster.html", session=found, people=people)


@writes_on_get
@bp.get("/sessions/<int:session_id>/roster.xlsx")
@roles_required("admin", "trainer")
def roster_xlsx(session_id: int):
    found = session_or_404(session_id)
    if not may_manage_session(current_user, found):
        abort(403)
    return file_response(enrolment.roster_workbook(current_user, found), f"diem-danh-{found.id}.xlsx")


@bp.get("/coverage")
@roles_required("admin", "viewer", "coordinator")
def coverage():
    """How many registered people of each province attended at least one session."""
    rows = enrolment.coverage(contact_provinces(current_user))
    return render_template("training/coverage.html", rows=rows)


from portal.training import import_views  # noqa: E402,F401  (the plan import pages attach to the same blueprint)
from portal.training import public_views  # noqa: E402,F401  (the public session and changelog pages)
