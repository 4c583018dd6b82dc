"""Accounts: creation and invitation, passwords and one-time tokens, activation, scope and sessions."""
import hashlib
import secrets

from email_validator import EmailNotValidError, validate_email
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from portal.access import visible_users
from portal.audit.services import record
from portal.auth.models import ROLES, PasswordToken, User
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.mail.services import send_mail
from portal.core.models_base import utcnow
from portal.units.models import Commune, Province
from portal.util.urls import public_url

# Checked against when the e-mail is unknown, so that a login takes as long either way.
UNKNOWN_USER_HASH = generate_password_hash("not-a-real-password")


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise DomainError(_l("Enter a valid e-mail address."), field="email") from None


def check_password_strength(password: str) -> None:
    if len(password) < current_app.config["PASSWORD_MIN_LENGTH"]:
        raise DomainError(
            _l("The password needs at least %(count)s characters.", count=current_app.config["PASSWORD_MIN_LENGTH"]),
            field="password",
        )


def resolve_scope(role: str, province_code: int | None, commune_code: int | None) -> tuple[int | None, int | None]:
    """Check that the role carries the scope it needs and return the (province, commune) to store.

    A coordinator belongs to one province, a commune administrator to one commune (its province
    follows from the commune), and the national roles to none.
    """
    if role not in ROLES:
        raise DomainError(_l("Unknown role."), field="role")
    if role == "commune_admin":
        commune = db.session.get(Commune, commune_code) if commune_code else None
        if commune is None:
            raise DomainError(_l("A commune administrator needs a commune."), field="commune_name")
        if province_code and province_code != commune.province_code:
            raise DomainError(_l("That commune is not in the chosen province."), field="commune_name")
        return commune.province_code, commune.code
    if role == "coordinator":
        if not province_code or db.session.get(Province, province_code) is None:
            raise DomainError(_l("A province coordinator needs a province."), field="province_code")
        return province_code, None
    return None, None


def create_user(
    email: str,
    role: str,
    province_code: int | None = None,
    commune_code: int | None = None,
    full_name: str = "",
    password: str | None = None,
) -> User:
    """Add an account (without committing); with no password it can only be entered through a token."""
    email = normalise_email(email)
    if db.session.execute(select(User.id).where(User.email == email)).first():
        raise DomainError(_l("An account with this e-mail address already exists."), field="email")
    province_code, commune_code = resolve_scope(role, province_code, commune_code)
    user = User(
        email=email, role=role, province_code=province_code, commune_code=commune_code, full_name=full_name.strip()
    )
    if password is not None:
        check_password_strength(password)
        user.password_hash = generate_password_hash(password)
    db.session.add(user)
    db.session.flush()
    return user


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: User, purpose: str) -> str:
    """A new one-time token for the user; earlier unused tokens of the same purpose stop working."""
    return new_token(user, purpose)[0]


def new_token(user: User, purpose: str) -> tuple[str, PasswordToken]:
    """The secret to send and its stored row (flushed, so that the e-mail can name it)."""
    now = utcnow()
    for old in db.session.execute(
        select(PasswordToken).where(
            PasswordToken.user_id == user.id, PasswordToken.purpose == purpose, PasswordToken.used_at.is_(None)
        )
    ).scalars():
        old.used_at = now
    raw = secrets.token_urlsafe(32)
    lifetime = current_app.config["INVITATION_LIFETIME" if purpose == "invitation" else "PASSWORD_RESET_LIFETIME"]
    token = PasswordToken(user=user, purpose=purpose, token_hash=token_hash(raw), expires_at=now + lifetime)
    db.session.add(token)
    db.session.flush()
    return raw, token


def token_mail_key(token_id) -> str:
    """The outbox's name for the e-mail that carries a token, so a page can show whether it went out."""
    return f"token:{token_id}"


def valid_token(raw: str) -> PasswordToken | None:
    """The unused, unexpired token for this secret, or None (the caller cannot tell which was wrong)."""
    token = db.session.execute(
        select(PasswordToken).where(PasswordToken.token_hash == token_hash(raw))
    ).scalar_one_or_none()
    if token is None or token.used_at is not None or token.expires_at <= utcnow() or not token.user.is_active:
        return None
    return token


def send_token_mail(user: User, purpose: str) -> None:
    raw, token = new_token(user, purpose)
    link = public_url("auth.set_password", token=raw)
    lifetime = current_app.config["INVITATION_LIFETIME" if purpose == "invitation" else "PASSWORD_RESET_LIFETIME"]
    with force_locale("vi"):
        subject = render_template(f"auth/mail/{purpose}_subject.txt").strip()
        body = render_template(
            f"auth/mail/{purpose}.txt", user=user, link=link, hours=int(lifetime.total_seconds() // 3600)
        )
    send_mail(user.email, subject, body, dedupe_key=token_mail_key(token.id))


def set_password_with_token(raw: str, password: str) -> User:
    token = valid_token(raw)
    if token is None:
        raise DomainError(_l("This link is invalid or has expired. Ask for a new one."))
    check_password_strength(password)
    user = token.user
    token.used_at = utcnow()
    user.password_hash = generate_password_hash(password)
    user.session_version += 1
    record(user, f"user.password_set.{token.purpose}", f"user:{user.id}")
    db.session.commit()
    return user


def request_password_reset(email: str) -> None:
    """Send a reset link if an active account has this address; say nothing either way."""
    try:
        email = normalise_email(email)
    except DomainError:
        return
    user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    if user is None or not user.is_active:
        return
    send_token_mail(user, "password_reset")
    db.session.commit()


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None; records the sign-in."""
    user = db.session.execute(select(User).where(User.email == email.strip().lower())).scalar_one_or_none()
    if user is None or user.password_hash is None:
        check_password_hash(UNKNOWN_USER_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def end_sessions(user: User) -> None:
    """Make every session cookie issued so far for this user worthless."""
    user.session_version += 1
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    if user.password_hash is None or not check_password_hash(user.password_hash, current):
        raise DomainError(_l("The current password is not correct."), field="current_password")
    check_password_strength(new)
    user.password_hash = generate_password_hash(new)
    user.session_version += 1
    record(user, "user.password_change", f"user:{user.id}")
    db.session.commit()


def set_active(actor: User, user: User, active: bool) -> None:
    if user.id == actor.id and not active:
        raise DomainError(_l("You cannot deactivate your own account."))
    user.is_active = active
    user.session_version += 1
    record(actor, "user.activate" if active else "user.deactivate", f"user:{user.id}")
    db.session.commit()


def rescope(actor: User, user: User, role: str, province_code: int | None, commune_code: int | None) -> None:
    """Change a user's role and province/commune; their open sessions end so the new scope applies at once."""
    if user.id == actor.id and role != "admin":
        raise DomainError(_l("You cannot remove your own administrator role."), field="role")
    province_code, commune_code = resolve_scope(role, province_code, commune_code)
    before = f"{user.role}/{user.province_code}/{user.commune_code}"
    user.role, user.province_code, user.commune_code = role, province_code, commune_code
    user.session_version += 1
    record(actor, "user.rescope", f"user:{user.id}", f"{before} -> {role}/{province_code}/{commune_code}")
    db.session.commit()


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's loader: the id carries the session version, so stale cookies load nobody."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def users_query(viewer: User, search: str = "", role: str = "") -> Select:
    """The accounts the viewer may list, filtered by name or e-mail and role, newest first."""
    query = visible_users(viewer)
    if search:
        pattern = search.strip().lower()
        query = query.where(
            or_(User.email.contains(pattern, autoescape=True), User.full_name.icontains(pattern, autoescape=True))
        )
    if role in ROLES:
        query = query.where(User.role == role)
    return query.options(joinedload(User.province), joinedload(User.commune)).order_by(User.id.desc())
