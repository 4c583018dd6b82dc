"""Sign-in and out, passwords, and account management for admins (and read-only lists for coordinators)."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal.access import may_invite, roles_required, user_or_404, visible_provinces
from portal.auth import bp, services, throttle
from portal.auth.invitations import CommuneChoiceNeeded, scope_of
from portal.auth.forms import (
    ROLE_LABELS,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ScopeForm,
    SetPasswordForm,
    UserFilterForm,
)
from portal.core.errors import DomainError, too_many_attempts
from portal.core.extensions import db, limiter, login_manager
from portal.util import query
from portal.util.forms import add_domain_error
from portal.util.redirects import safe_next
from portal.core.security import reset_session, start_session

login_manager.login_view = "auth.login"
login_manager.login_message_category = "info"
login_manager.user_loader(services.load_session_user)


@login_manager.unauthorized_handler
def unauthorized():
    flash(_("Please sign in to continue."), "info")
    return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))


@bp.app_context_processor
def role_label_context():
    return {"role_labels": ROLE_LABELS}


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in; the old session is dropped so that the signed-in one starts afresh. Only failures are throttled."""
    form = LoginForm()
    if form.validate_on_submit():
        wait = throttle.seconds_to_wait(form.email.data)
        if wait:
            return too_many_attempts(wait)
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            throttle.record_failure(form.email.data)
            flash(_("The e-mail address or password is not correct, or the account is not active."), "error")
        else:
            throttle.record_success(form.email.data)
            reset_session()
            login_user(user)
            start_session()
            return redirect(safe_next(query.raw("next")) or url_for("main.index"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Sign out everywhere: the session version moves on, so copies of any session cookie stop working."""
    services.end_sessions(current_user)
    logout_user()
    reset_session()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_LIMIT_PER_ADDRESS"], methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("If an active account uses this address, a link to set a new password is on its way."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """The page behind an invitation or reset link: choose a password, then sign in."""
    if services.valid_token(token) is None:
        return render_template("auth/token_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password_with_token(token, form.password.data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            flash(_("Your password is set. You can sign in now."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            logout_user()
            reset_session()
            flash(_("Your password has been changed. Please sign in with the new one."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/account.html", form=form)


@bp.get("/users")
@roles_required("admin", "coordinator")
def users():
    form = UserFilterForm(query.args())
    query.keep_valid(form)
    page = db.paginate(
        services.users_query(current_user, form.q.data or "", form.role.data or ""), page=query.page(),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    return render_template("auth/users.html", form=form, page=page)


@bp.get("/users/<int:user_id>")
@roles_required("admin", "coordinator")
def user(user_id: int):
    person = user_or_404(current_user, user_id)
    scope_form = None
    if current_user.role == "admin":
        scope_form = ScopeForm(obj=person, commune_name=person.commune.name if person.commune else "")
        scope_form.offer_scopes(current_user, db.session.execute(visible_provinces(current_user)).scalars())
    return render_template("auth/user.html", person=person, scope_form=scope_form,
                           may_reinvite=may_invite(current_user, person.role, person.province_code))


@bp.post("/users/<int:user_id>/scope")
@roles_required("admin")
def change_scope(user_id: int):
    person = user_or_404(current_user, user_id)
    form = ScopeForm()
    form.offer_scopes(current_user, db.session.execute(visible_provinces(current_user)).scalars())
    if form.validate_on_submit():
        try:
            province_code, commune_code = scope_of(form)
            services.rescope(current_user, person, form.role.data, province_code, commune_code)
        except CommuneChoiceNeeded as error:
            form.offer_communes(error.candidates)
            add_domain_error(form, error)
        except DomainError as error:
            db.session.rollback()
            add_domain_error(form, error)
        else:
            flash(_("Role and scope saved. The person's open sessions have ended."), "success")
            return redirect(url_for("auth.user", user_id=person.id))
    return render_template("auth/user.html", person=person, scope_form=form, may_reinvite=True), 422


@bp.post("/users/<int:user_id>/active")
@roles_required("admin")
def set_active(user_id: int):
    person = user_or_404(current_user, user_id)
    active = request.form.get("active") == "1"
    try:
        services.set_active(current_user, person, active)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Account activated.") if active else _("Account deactivated; its sessions have ended."), "success")
    return redirect(url_for("auth.user", user_id=person.id))


from portal.auth import invitation_views  # noqa: E402,F401  (the invitation pages attach to the same blueprint)
