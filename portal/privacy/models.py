"""Requests a person makes about their data, the keyed hashes of erased e-mails, and the retention runs."""
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.core.extensions import db
from portal.core.models_base import UTCDateTime, utcnow

# What a person may ask for that someone must act on (a copy and corrections of one's own entry are self-service).
REQUEST_KINDS = ("erasure", "restriction", "objection", "correction")
# unverified: filed on the public form, the one-time link not yet followed; the legal clock starts at "received".
REQUEST_STATUSES = ("unverified", "received", "acknowledged", "done", "refused")
OPEN_STATUSES = ("received", "acknowledged")
OPEN_WHERE = f"status IN {OPEN_STATUSES} AND email <> ''"


class PrivacyRequest(db.Model):
    """One request under the law's rights, with its legal clock: acknowledge by ack_due, complete by due."""

    __tablename__ = "privacy_requests"
    __table_args__ = (
        CheckConstraint(f"kind IN {REQUEST_KINDS}", name="kind"),
        CheckConstraint(f"status IN {REQUEST_STATUSES}", name="status"),
        # One open request per person and kind, even when two clicks arrive together (a partial index on both
        # databases): the second filing gets the first request back. Erased people's rows (email "") are apart.
        Index("uq_privacy_requests_open", "email", "kind", unique=True,
              sqlite_where=text(OPEN_WHERE), postgresql_where=text(OPEN_WHERE)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(12), default="received", index=True)
    # The account that filed it (NULL when filed on the public form, or once that account is erased).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Whom it is about, as on record (lower-cased); blanked when an erasure is carried out, the hash kept.
    email: Mapped[str] = mapped_column(String(254), default="", index=True)
    phone: Mapped[str] = mapped_column(String(16), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    email_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # The public form's one-time link, as a hash, until it is followed.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    ack_due: Mapped[date | None] = mapped_column(Date)
    due: Mapped[date | None] = mapped_column(Date, index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answer: Mapped[str] = mapped_column(String(1000), default="")

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])

    @property
    def reference(self) -> str:
        return f"DLCN-{self.id:06d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def __repr__(self) -> str:
        return f"<PrivacyRequest {self.id} {self.kind} {self.status}>"


class ErasedIdentity(db.Model):
    """An erased person's e-mail as a keyed hash (HMAC): a new registration of the same address can be recognised,
    the address itself cannot be read back."""

    __tablename__ = "erased_identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_hash: Mapped[str] = mapped_column(String(64), unique=True)
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RetentionRun(db.Model):
    """One run of a retention rule (or its dry run): when, and how many rows of each kind it removed."""

    __tablename__ = "retention_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(40), index=True)
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    removed: Mapped[int] = mapped_column(Integer, default=0)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)  # what went, by kind; ids only, never values

    def __repr__(self) -> str:
        return f"<RetentionRun {self.rule} {self.ran_at:%Y-%m-%d} removed={self.removed}>"
