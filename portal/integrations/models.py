"""Kinds of integration (admin-edited data), each province's status for each kind, and the dated history."""
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.core.extensions import db
from portal.core.models_base import Timestamped, UTCDateTime, utcnow
from portal.units.models import Province

# In the order a province goes through them; "blocked" can interrupt any step and needs a reason.
INTEGRATION_STATUSES = ("not_started", "info_sent", "configuring", "testing", "live", "blocked")


class IntegrationKind(Timestamped, db.Model):
    """One thing a province must help connect or configure (QLVB, SMS Brandname, ...), with what it must provide."""
    __tablename__ = "integration_kinds"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    to_provide: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<IntegrationKind {self.key}>"


class Integration(Timestamped, db.Model):
    """A province's progress on one kind: status, its technical focal point and what it has provided."""
    __tablename__ = "integrations"
    __table_args__ = (
        UniqueConstraint("province_code", "kind_id"),
        CheckConstraint(f"status IN {INTEGRATION_STATUSES}", name="status"),
        CheckConstraint("status <> 'blocked' OR blocked_reason <> ''", name="blocked_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), index=True)
    kind_id: Mapped[int] = mapped_column(ForeignKey("integration_kinds.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="not_started")
    blocked_reason: Mapped[str] = mapped_column(String(500), default="")
    provided: Mapped[str] = mapped_column(Text, default="")
    software: Mapped[str] = mapped_column(String(200), default="")
    vendor: Mapped[str] = mapped_column(String(200), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(16), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    province: Mapped[Province] = relationship()
    kind: Mapped[IntegrationKind] = relationship()

    def __repr__(self) -> str:
        return f"<Integration {self.province_code} {self.kind_id} {self.status}>"


class IntegrationChange(db.Model):
    __tablename__ = "integration_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    integration_id: Mapped[int] = mapped_column(ForeignKey("integrations.id", ondelete="CASCADE"), index=True)
    old_status: Mapped[str] = mapped_column(String(12))
    new_status: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(String(500), default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    integration: Mapped[Integration] = relationship()
    changed_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<IntegrationChange {self.integration_id} {self.old_status}->{self.new_status}>"
