"""Invitations: one person, or every registered focal contact of a province, and where each invitation stands.

Who may invite whom is `access.may_invite`. Asking twice for the same address (a double click, a retry after a
timeout, two coordinators at the same moment) answers with the account that won instead of failing: the unique
e-mail of `users` decides, and the loser reads the winner's row.
"""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, exists, func, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from portal.access import may_invite, visible_users
from portal.audit.services import record
from portal.auth.models import PasswordToken, User
from portal.auth.services import create_user, normalise_email, resolve_scope, send_token_mail, token_mail_key
from portal.contacts.models import Contact
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.mail.models import OutboxMessage
from portal.units.models import Commune
from portal.units.services import communes_named
from portal.util.pagination import RowPage, paginate_rows

# A commune's system administrator administers that commune; a department's cadres are the province's
# coordinators (DOMAIN.md: "Province coordinator (a Sở cadre)").
ROLE_OF_CONTACT = {"commune": "commune_admin", "department": "coordinator"}
RACE_RETRIES = 3


class CommuneChoiceNeeded(DomainError):
    """Several communes answer to the typed name; the form offers them to pick one."""

    def __init__(self, candidates: list[Commune]):
        super().__init__(_l("Several communes have this name. Choose one in the list below."), field="commune_name")
        self.candidates = candidates


@dataclass
class Invitation:
    user: User
    is_new: bool  # False when the address already had an account (a second submit, or someone was quicker)


def commune_code_for(role: str, name: str, province_code: int | None, chosen_code: int | None) -> int | None:
    """The commune a commune administrator's invitation names: typed by name, picked from a list when ambiguous."""
    if role != "commune_admin":
        return None
    if not (name or "").strip():
        raise DomainError(_l("A commune administrator needs a commune: type its name."), field="commune_name")
    candidates = communes_named(name, province_code)
    chosen = next((c for c in candidates if c.code == chosen_code), None)
    if chosen is not None:
        return chosen.code
    if len(candidates) == 1:
        return candidates[0].code
    if not candidates:
        raise DomainError(_l("No commune of the chosen province has this name.") if province_code
                          else _l("No commune has this name."), field="commune_name")
    raise CommuneChoiceNeeded(candidates)


def scope_of(form) -> tuple[int | None, int | None]:
    """The province and commune an invitation or scope form names (its commune by name, see commune_code_for)."""
    province_code = form.province_code.data or None
    return province_code, commune_code_for(form.role.data, form.commune_name.data, province_code,
                                           form.commune_code.data)


def existing_account(actor: User, email: str) -> User | None:
    """The account with this address if the actor may see it; an account they may not see is only named as taken."""
    if not db.session.execute(select(User.id).where(User.email == email)).first():
        return None
    found = db.session.execute(visible_users(actor).where(User.email == email)).scalar_one_or_none()
    if found is None:
        raise DomainError(_l("An account with this e-mail address already exists."), field="email")
    return found


def invite_user(actor: User, email: str, role: str, province_code=None, commune_code=None,
                full_name: str = "") -> Invitation:
    """Create an account without a password and e-mail its owner a link to set one (after commit)."""
    email = normalise_email(email)
    province_code, commune_code = resolve_scope(role, province_code, commune_code)
    if not may_invite(actor, role, province_code):
        raise DomainError(_l("You may invite only commune administrators and coordinators of your own province."),
                          field="role")
    found = existing_account(actor, email)
    if found is not None:
        return Invitation(found, is_new=False)
    try:
        with db.session.begin_nested():
            user = create_user(email, role, province_code, commune_code, full_name)
    except (IntegrityError, DomainError):
        # The same address was invited by a request that committed first: after this request's first look, it
        # meets either the unique index or, when the other committed just before, the service's own check.
        found = existing_account(actor, email)
        if found is None:
            raise
        return Invitation(found, is_new=False)
    send_token_mail(user, "invitation")
    record(actor, "user.invite", f"user:{user.id}", f"role={role}")
    db.session.commit()
    return Invitation(user, is_new=True)


def resend_invitation(actor: User, user: User) -> None:
    if not may_invite(actor, user.role, user.province_code):
        raise DomainError(_l("You may invite only commune administrators and coordinators of your own province."))
    if user.password_hash is not None:
        raise DomainError(_l("This person has already set a password."))
    send_token_mail(user, "invitation")
    record(actor, "user.reinvite", f"user:{user.id}")
    db.session.commit()


def without_account(province_code: int):
    """The province's registered contacts whose e-mail address no account uses yet."""
    return select(Contact).where(
        Contact.province_code == province_code, ~exists().where(User.email == Contact.email),
    ).order_by(Contact.kind.desc(), Contact.id)


def invite_registered_contacts(actor: User, province_code: int) -> int:
    """Invite every registered focal contact of the province who has no account yet; return how many were invited.

    Commune administrators become commune administrators of their commune, department cadres coordinators of the
    province. People who already have an account, or an invitation, are left alone; a person registered on two
    seats gets one account (the first seat's). If another request invites some of them at the same moment, the
    insert fails on the unique e-mail and is tried again without them.
    """
    if not all(may_invite(actor, role, province_code) for role in ROLE_OF_CONTACT.values()):
        raise DomainError(_l("You may invite only commune administrators and coordinators of your own province."))
    for attempt in range(RACE_RETRIES):
        people: dict[str, User] = {}
        for contact in db.session.execute(without_account(province_code)).scalars():
            people.setdefault(contact.email, User(
                email=contact.email, role=ROLE_OF_CONTACT[contact.kind], province_code=province_code,
                commune_code=contact.commune_code, full_name=contact.full_name,
            ))
        try:
            with db.session.begin_nested():
                db.session.add_all(people.values())
                db.session.flush()
            break
        except IntegrityError:
            if attempt == RACE_RETRIES - 1:
                raise
    for user in people.values():
        send_token_mail(user, "invitation")
    if people:
        record(actor, "user.invite_contacts", f"province:{province_code}", f"invited={len(people)}")
    db.session.commit()
    return len(people)


@dataclass
class InvitationState:
    """One registered contact and where their account stands."""

    contact: Contact
    user: User | None
    invited_at: datetime | None = None
    mail_status: str | None = None  # the outbox row of the latest invitation: queued, sending, sent, failed

    @property
    def state(self) -> str:
        if self.user is None:
            return "not_invited"
        if not self.user.is_active:
            return "deactivated"
        return "accepted" if self.user.password_hash is not None else "invited"


def invitation_states(province_code: int, page: int, per_page: int) -> RowPage:
    """A page of the province's registered contacts with their invitation's state, in three queries.

    Department cadres first, then communes in dictionary order.
    """
    query = (
        select(Contact, User)
        .outerjoin(Commune, Commune.code == Contact.commune_code)
        .outerjoin(User, User.email == Contact.email)
        .where(Contact.province_code == province_code)
        .options(contains_eager(Contact.commune), joinedload(Contact.department))
        .order_by(Contact.kind.desc(), Contact.department_id, Contact.seat, Commune.sort_key, Contact.id)
    )
    rows = paginate_rows(query, page, per_page)
    user_ids = [user.id for _contact, user in rows.items if user is not None]
    invitations = {}
    if user_ids:
        latest = (select(PasswordToken.user_id, func.max(PasswordToken.id).label("token_id"))
                  .where(PasswordToken.purpose == "invitation", PasswordToken.user_id.in_(user_ids))
                  .group_by(PasswordToken.user_id).subquery())
        mail_key = literal(token_mail_key("")) + cast(PasswordToken.id, String)
        for user_id, created_at, status in db.session.execute(
            select(latest.c.user_id, PasswordToken.created_at, OutboxMessage.status)
            .join(PasswordToken, PasswordToken.id == latest.c.token_id)
            .outerjoin(OutboxMessage, OutboxMessage.dedupe_key == mail_key)
        ):
            invitations[user_id] = (created_at, status)
    rows.items = [
        InvitationState(contact, user, *invitations.get(user.id, (None, None)) if user else (None, None))
        for contact, user in rows.items
    ]
    return rows
