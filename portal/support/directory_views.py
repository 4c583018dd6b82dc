"""Directory pages beside the public list: its .xlsx export, and the agents' work phones it publishes."""
from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import roles_required
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.support import bp, services
from portal.support import directory as support_directory
from portal.support import directory_export
from portal.util.downloads import file_response
from portal.util.validators import shown_phone, tel_uri

# The directory's phones are read the same way in every template that shows them: as typed, dialled as E.164.
bp.add_app_template_global(shown_phone, "shown_phone")
bp.add_app_template_global(tel_uri, "tel_uri")


@bp.get("/directory.xlsx")
@roles_required("admin")
def directory_xlsx():
    """Letter 002's report upward: every province's support contacts and channels (audited: names and phones)."""
    data = directory_export.export(current_user, current_app.config["MINISTRY_NAME"])
    return file_response(data, "dau-moi-ho-tro-dia-phuong.xlsx")


@bp.post("/agents/phones")
@roles_required("admin")
def agent_phones():
    """Admins set every agent's work phone from the agents page."""
    agents = {agent.id: agent for agent in services.agents()}
    try:
        support_directory.set_work_phones({agent_id: request.form.get(f"work_phone-{agent_id}", "")
                                           for agent_id in agents})
    except DomainError as error:
        db.session.rollback()
        agent = agents[int(error.field.rsplit("-", 1)[1])]
        flash(f"{agent.full_name or agent.email}: {error.message}", "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("support.agents") + "#work-phones")


@bp.post("/agents/me/phone")
@roles_required("agent")
def own_phone():
    """An agent sets their own work phone from their account page."""
    try:
        support_directory.set_work_phones({current_user.id: request.form.get("work_phone", "")})
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("auth.account"))


@bp.app_template_global()
def work_phone_of(user_id: int) -> str:
    """An agent's work phone as typed, for their account page."""
    return support_directory.work_phones([user_id]).get(user_id, "")


@bp.app_template_global()
def support_hotline() -> tuple[str, str] | None:
    """The number an empty help page offers: the signed-in user's province hotline, else the ministry's."""
    return support_directory.hotline_for(current_user.province_code if current_user.is_authenticated else None)
