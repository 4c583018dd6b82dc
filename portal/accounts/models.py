"""Account-access requests: civil servants the provinces need accounts for, and the ministry's answer."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.extensions import db
from portal.core.models_base import Timestamped, UTCDateTime
from portal.units.models import Province
from portal.util.forms import SUBMISSION_TOKEN_LENGTH


ACCESS_STATUSES = ("requested", "granted", "refused")


class AccountRequest(Timestamped, db.Model):
    """A civil servant who needs an account on the TTHC system, asked for by their province's coordinator."""

    __tablename__ = "account_requests"
    __table_args__ = (
        CheckConstraint(f"status IN {ACCESS_STATUSES}", name="status"),
        # NULL once the retention rule erased it (30 days after the decision).
        CheckConstraint("cccd IS NULL OR (length(cccd) = 12 AND trim(cccd, '0123456789') = '')", name="cccd"),
        Index("ix_account_requests_submission_token", "requested_by_id", "submission_token", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    full_name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(16))
    email: Mapped[str] = mapped_column(String(254))
    cccd: Mapped[str | None] = mapped_column(String(12))
    procedures: Mapped[str] = mapped_column(Text, default="")
    notice_version: Mapped[str] = mapped_column(String(20))
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10), default="requested", index=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The request form's one-time token: the same form sent twice records one request (NULL for imported rows).
    submission_token: Mapped[str | None] = mapped_column(String(SUBMISSION_TOKEN_LENGTH))

    province: Mapped[Province] = relationship()

    def __repr__(self) -> str:
        return f"<AccountRequest {self.id} {self.status}>"
