"""Accounts, roles and the one-time tokens that let a person set a password."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.extensions import db
from portal.core.models_base import Timestamped, UTCDateTime, utcnow
from portal.units.models import Commune, Province

ROLES = ("admin", "coordinator", "commune_admin", "trainer", "agent", "viewer")
TOKEN_PURPOSES = ("invitation", "password_reset")


class User(UserMixin, Timestamped, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLES}", name="role"),
        CheckConstraint("role <> 'coordinator' OR province_code IS NOT NULL", name="coordinator_has_province"),
        CheckConstraint(
            "role <> 'commune_admin' OR (commune_code IS NOT NULL AND province_code IS NOT NULL)",
            name="commune_admin_has_commune",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    province_code: Mapped[int | None] = mapped_column(ForeignKey("provinces.code"), index=True)
    commune_code: Mapped[int | None] = mapped_column(ForeignKey("communes.code"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Bumped on logout, password change and deactivation; sessions carrying an older value are refused.
    session_version: Mapped[int] = mapped_column(default=1)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the person's data was erased: the row stays, anonymised, for the records that point at it.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    province: Mapped[Province | None] = relationship()
    commune: Mapped[Commune | None] = relationship()

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class PasswordToken(db.Model):
    """A one-time link to set a password, kept only as a hash of the secret sent by e-mail."""

    __tablename__ = "password_tokens"
    __table_args__ = (CheckConstraint(f"purpose IN {TOKEN_PURPOSES}", name="purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<PasswordToken {self.id} {self.purpose}>"
