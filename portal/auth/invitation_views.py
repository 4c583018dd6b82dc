"""Inviting people: one at a time, or every registered focal contact of a province, and the invitations' states."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import roles_required, user_or_404, visible_communes, visible_provinces
from portal.auth import bp
from portal.auth.forms import InvitationProvinceForm, InviteForm
from portal.auth.invitations import (
    CommuneChoiceNeeded,
    invitation_states,
    invite_registered_contacts,
    invite_user,
    resend_invitation,
    scope_of,
)
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.units.models import Commune, Province
from portal.util.forms import add_domain_error
from portal.util import query


def suggested_communes(province_code: int | None) -> list[str]:
    """The names a browser may suggest in the commune field: the chosen province's communes (none nationally)."""
    if not province_code:
        return []
    return db.session.execute(
        visible_communes(current_user).with_only_columns(Commune.name)
        .where(Commune.province_code == province_code).order_by(Commune.sort_key)
    ).scalars().all()


@bp.route("/users/invite", methods=["GET", "POST"])
@roles_required("admin", "coordinator")
def invite():
    form = InviteForm()
    form.offer_scopes(current_user, db.session.execute(visible_provinces(current_user)).scalars())
    if form.validate_on_submit():
        try:
            province_code, commune_code = scope_of(form)
            invitation = invite_user(current_user, form.email.data, form.role.data, province_code, commune_code,
                                     form.full_name.data or "")
        except CommuneChoiceNeeded as error:
            form.offer_communes(error.candidates)
            add_domain_error(form, error)
        except DomainError as error:
            db.session.rollback()
            add_domain_error(form, error)
        else:
            if invitation.is_new:
                flash(_("Invitation sent to %(email)s.", email=invitation.user.email), "success")
            else:
                flash(_("%(email)s already has an account or an invitation; nothing new was sent.",
                        email=invitation.user.email), "info")
            return redirect(url_for("auth.user", user_id=invitation.user.id))
    if current_user.role != "admin":
        province_code = current_user.province_code
    else:  # a choice the form refused (a hand-made value) suggests nothing
        province_code = None if form.province_code.errors else form.province_code.data
    return render_template("auth/invite.html", form=form, commune_names=suggested_communes(province_code))


@bp.post("/users/<int:user_id>/invitation", endpoint="resend_invitation")
@roles_required("admin", "coordinator")
def resend_invitation_view(user_id: int):
    person = user_or_404(current_user, user_id)
    try:
        resend_invitation(current_user, person)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("A new invitation has been sent; the earlier link no longer works."), "success")
    return redirect(url_for("auth.user", user_id=person.id))


def chosen_province(formdata) -> tuple[InvitationProvinceForm, int | None]:
    """The coordinator's own province; for an admin the one chosen in the form (None until chosen)."""
    form = InvitationProvinceForm(formdata)
    form.province_code.choices = [(0, _("— choose a province —"))] + [(p.code, p.name) for p in db.session.execute(
        visible_provinces(current_user).order_by(Province.sort_key)).scalars()]
    if current_user.role != "admin":
        return form, current_user.province_code
    return form, (form.province_code.data or None) if form.validate() else None


@bp.get("/invitations")
@roles_required("admin", "coordinator")
def invitations():
    """Each registered focal contact of the province and where their account stands."""
    form, province_code = chosen_province(query.args())
    page = None
    if province_code is not None:
        page = invitation_states(province_code, query.page(), current_app.config["PER_PAGE"])
    return render_template("auth/invitations.html", form=form, province_code=province_code, page=page)


@bp.post("/invitations")
@roles_required("admin", "coordinator")
def invite_contacts():
    """Invite every registered focal contact of the province who has no account yet."""
    _form, province_code = chosen_province(request.form)
    if province_code is None:
        flash(_("Choose a province."), "error")
        return redirect(url_for("auth.invitations"))
    try:
        count = invite_registered_contacts(current_user, province_code)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        if count:
            flash(_("Invitations sent to %(count)s people. Their e-mails leave through the outbox.",
                    count=count), "success")
        else:
            flash(_("Every registered contact already has an account or an invitation; nothing was sent."), "info")
    return redirect(url_for("auth.invitations", province_code=province_code))
