"""The outbox: every outgoing e-mail, written in the transaction of the change it reports, sent by the worker."""
from datetime import datetime

from sqlalchemy import CheckConstraint, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.extensions import db
from portal.core.models_base import UTCDateTime, utcnow

STATUSES = ("queued", "sending", "sent", "failed")


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed')", name="status"),
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # An iTIP calendar part (text/calendar; method=REQUEST or CANCEL) sent beside the text.
    calendar: Mapped[str | None] = mapped_column(Text)
    calendar_method: Mapped[str | None] = mapped_column(String(10))
    attachment_name: Mapped[str | None] = mapped_column(String(200))
    attachment_type: Mapped[str | None] = mapped_column(String(100))
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Fixed when the row is written, so a message sent twice (a worker killed mid-batch) reads as one.
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    # Scheduled notices name what they are about, so a job run twice sends each of them once.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(500))

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.status} to={self.recipient!r}>"
