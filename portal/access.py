"""Who may see what: the one place that scopes queries and object lookups by role and province.

National roles (admin, viewer, trainer, agent) see every province; local roles see their own:
a coordinator their province, a commune administrator their province and commune. Views use the
decorators and helpers here instead of filtering on their own, so the rule lives in one place.
"""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Select, select

from portal.auth.models import User
from portal.core.extensions import db
from portal.units.models import Commune, Province

NATIONAL_ROLES = frozenset({"admin", "viewer", "trainer", "agent"})
LOCAL_ROLES = frozenset({"coordinator", "commune_admin"})


def roles_required(*roles: str):
    """Let the view run only for signed-in users holding one of these roles (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def sees_all_provinces(user: User) -> bool:
    return user.role in NATIONAL_ROLES


def visible_provinces(user: User) -> Select:
    """The provinces this user may browse, as a query to refine."""
    query = select(Province)
    if not sees_all_provinces(user):
        query = query.where(Province.code == user.province_code)
    return query


def province_or_404(user: User, code: int) -> Province:
    """One province, or 404 when it does not exist or lies outside the user's scope."""
    province = db.session.execute(visible_provinces(user).where(Province.code == code)).scalar_one_or_none()
    if province is None:
        abort(404)
    return province


def visible_communes(user: User) -> Select:
    query = select(Commune)
    if not sees_all_provinces(user):
        query = query.where(Commune.province_code == user.province_code)
    return query


def visible_users(user: User) -> Select:
    """Accounts this user may list: all for admins, their province's for coordinators, none otherwise."""
    query = select(User)
    if user.role == "admin":
        return query
    if user.role == "coordinator":
        return query.where(User.province_code == user.province_code)
    return query.where(User.id == user.id)


# The roles a coordinator may hand out: their own, and the commune administrators below it.
ROLES_A_COORDINATOR_INVITES = frozenset({"coordinator", "commune_admin"})


def may_invite(user: User, role: str, province_code: int | None) -> bool:
    """Admins invite anyone; a coordinator invites coordinators and commune administrators of their own province.

    :param province_code: the province the new account will belong to (a commune's province for its administrator).
    """
    if user.role == "admin":
        return True
    return user.role == "coordinator" and role in ROLES_A_COORDINATOR_INVITES and province_code == user.province_code


def user_or_404(viewer: User, user_id: int) -> User:
    found = db.session.execute(visible_users(viewer).where(User.id == user_id)).scalar_one_or_none()
    if found is None:
        abort(404)
    return found


def contact_provinces(user: User) -> Select:
    """Provinces whose registration progress the user may follow (viewers too: counts carry no personal data)."""
    return visible_provinces(user)


def may_edit_seat(user: User, province_code: int, commune_code: int | None = None) -> bool:
    """Admins edit every seat, coordinators their province's, commune administrators their own commune's."""
    if user.role == "admin":
        return True
    if user.role == "coordinator":
        return user.province_code == province_code
    if user.role == "commune_admin":
        return commune_code is not None and user.commune_code == commune_code
    return False


def sees_contact_details(user: User, province_code: int, commune_code: int | None = None) -> bool:
    """Phones and e-mails in full: for whoever may edit the seat; everyone else sees them masked."""
    return may_edit_seat(user, province_code, commune_code)


def seat_province_or_404(user: User, province_code: int, commune_code: int | None = None) -> None:
    """404 unless the user may at least look at this seat (national roles, or its own province/commune)."""
    if user.role in ("admin", "viewer"):
        return
    if user.role == "coordinator" and user.province_code == province_code:
        return
    if user.role == "commune_admin" and commune_code is not None and user.commune_code == commune_code:
        return
    abort(404)


def may_manage_session(user: User, session) -> bool:
    """Admins manage every session, trainers the sessions they train."""
    return user.role == "admin" or (user.role == "trainer" and any(t.id == user.id for t in session.trainers))


def may_enrol(user: User, session) -> bool:
    """Admins enrol anyone; coordinators their province's contacts; commune administrators themselves."""
    if user.role == "admin":
        return True
    if user.role in ("coordinator", "commune_admin"):
        return any(p.code == user.province_code for p in session.provinces)
    return False


def visible_tickets(user: User) -> Select:
    """Admins see every ticket; agents their provinces' and their own; coordinators their province's;
    commune administrators their commune's; other roles none."""
    from portal.support.models import ProvinceAgent, Ticket

    query = select(Ticket)
    if user.role == "admin":
        return query
    if user.role == "agent":
        provinces = select(ProvinceAgent.province_code).where(ProvinceAgent.agent_id == user.id)
        return query.where((Ticket.province_code.in_(provinces)) | (Ticket.assignee_id == user.id))
    if user.role == "coordinator":
        return query.where(Ticket.province_code == user.province_code)
    if user.role == "commune_admin":
        return query.where(Ticket.commune_code == user.commune_code)
    return query.where(False)


def ticket_or_404(user: User, ticket_id: int):
    from portal.support.models import Ticket

    found = db.session.execute(visible_tickets(user).where(Ticket.id == ticket_id)).scalar_one_or_none()
    if found is None:
        abort(404)
    return found


def ticket_attachment_or_404(user: User, attachment_id: int):
    """A file of a ticket the user may see; a file of an internal note only for support staff."""
    from portal.support.models import Ticket, TicketAttachment, TicketMessage

    query = (select(TicketAttachment)
             .outerjoin(TicketMessage, TicketMessage.id == TicketAttachment.message_id)
             .where(TicketAttachment.id == attachment_id,
                    TicketAttachment.ticket_id.in_(visible_tickets(user).with_only_columns(Ticket.id))))
    if user.role not in ("admin", "agent"):
        query = query.where(TicketMessage.is_internal.is_not(True))
    found = db.session.execute(query).scalar_one_or_none()
    if found is None:
        abort(404)
    return found


def usable_canned_replies(user: User) -> Select:
    """The canned replies a member of staff may insert: the shared ones and their own."""
    from portal.support.models import CannedReply

    if user.role not in ("admin", "agent"):
        return select(CannedReply).where(False)
    return select(CannedReply).where(CannedReply.is_shared.is_(True) | (CannedReply.owner_id == user.id))


def managed_canned_replies(user: User) -> Select:
    """The canned replies listed on the staff's page: an admin sees every one, an agent those they may use."""
    from portal.support.models import CannedReply

    return select(CannedReply) if user.role == "admin" else usable_canned_replies(user)


def may_edit_canned_reply(user: User, reply) -> bool:
    """Admins edit any canned reply, the shared ones included; an agent edits their own."""
    return user.role == "admin" or (user.role == "agent" and reply.owner_id == user.id)


def pending_import_or_404(user: User, domain: str, token: str):
    """The user's own upload waiting for confirmation (someone else's, or another domain's, is a 404)."""
    from portal.imports.services import pending_for

    pending = pending_for(user, domain, token)
    if pending is None or (pending.province_code is not None and user.role != "admin"
                           and pending.province_code != user.province_code):
        abort(404)
    return pending
