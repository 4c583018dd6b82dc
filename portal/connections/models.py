"""A province's QLVB connection and the history of its status."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.core.extensions import db
from portal.core.models_base import Timestamped, UTCDateTime, utcnow
from portal.units.models import Province

CONNECTION_STATUSES = ("not_started", "in_progress", "testing", "connected", "blocked")


class QlvbConnection(Timestamped, db.Model):
    __tablename__ = "qlvb_connections"
    __table_args__ = (
        CheckConstraint(f"status IN {CONNECTION_STATUSES}", name="status"),
        CheckConstraint("status <> 'blocked' OR blocked_reason <> ''", name="blocked_has_reason"),
    )

    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), primary_key=True)
    software: Mapped[str] = mapped_column(String(200), default="")
    vendor: Mapped[str] = mapped_column(String(200), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(16), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    status: Mapped[str] = mapped_column(String(12), default="not_started")
    blocked_reason: Mapped[str] = mapped_column(String(500), default="")
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    province: Mapped[Province] = relationship()

    def __repr__(self) -> str:
        return f"<QlvbConnection {self.province_code} {self.status}>"


class QlvbStatusChange(db.Model):
    __tablename__ = "qlvb_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), index=True)
    old_status: Mapped[str] = mapped_column(String(12))
    new_status: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(String(500), default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    changed_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<QlvbStatusChange {self.province_code} {self.old_status}->{self.new_status}>"
