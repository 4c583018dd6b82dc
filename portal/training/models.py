"""Training sessions with their provinces and trainers, and the enrolments of registered contacts."""
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.contacts.models import Contact
from portal.core import clock
from portal.core.extensions import db
from portal.core.models_base import Timestamped, UTCDateTime, utcnow
from portal.units.models import Province

AUDIENCES = ("department", "commune", "both")
MODES = ("in_person", "online", "both")
STATUSES = ("scheduled", "changed", "cancelled")
ATTENDANCE = ("present", "absent", "excused")

session_provinces = Table(
    "training_session_provinces",
    db.metadata,
    Column("session_id", ForeignKey("training_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("province_code", ForeignKey("provinces.code"), primary_key=True, index=True),
)
session_trainers = Table(
    "training_session_trainers",
    db.metadata,
    Column("session_id", ForeignKey("training_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
)


class TrainingSession(Timestamped, db.Model):
    """One session. `enrolled` counts confirmed seats; the check keeps it within capacity under concurrency."""

    __tablename__ = "training_sessions"
    __table_args__ = (
        CheckConstraint(f"audience IN {AUDIENCES}", name="audience"),
        CheckConstraint(f"mode IN {MODES}", name="mode"),
        CheckConstraint(f"status IN {STATUSES}", name="status"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity > 0 AND enrolled >= 0 AND enrolled <= capacity", name="capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(12))
    mode: Mapped[str] = mapped_column(String(12))
    venue: Mapped[str] = mapped_column(String(300), default="")
    meeting_url: Mapped[str] = mapped_column(String(500), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column(Integer)
    enrolled: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12), default="scheduled")
    cancel_reason: Mapped[str] = mapped_column(String(300), default="")
    # Grows on every change of time, place or status: calendars read it as the event's SEQUENCE.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    override_reason: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    provinces: Mapped[list[Province]] = relationship(secondary=session_provinces, order_by=Province.code)
    trainers: Mapped[list[User]] = relationship(secondary=session_trainers, order_by=User.id)
    materials: Mapped[list["Material"]] = relationship(  # noqa: F821 (portal.materials.models)
        secondary="training_session_materials", back_populates="sessions", order_by="Material.title")

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def has_started(self) -> bool:
        """Started by the portal's clock: enrolment is closed from then on."""
        return self.starts_at <= clock.now()

    @property
    def has_ended(self) -> bool:
        """Over by the portal's clock: the plan shows it as held ("Đã diễn ra")."""
        return self.ends_at <= clock.now()

    def __repr__(self) -> str:
        return f"<TrainingSession {self.id} {self.title!r}>"


class Enrolment(db.Model):
    """A registered contact in a session: a confirmed seat, or a place on the waiting list."""

    __tablename__ = "enrolments"
    __table_args__ = (
        UniqueConstraint("session_id", "contact_id"),
        CheckConstraint("status IN ('enrolled', 'waiting')", name="status"),
        CheckConstraint(f"attendance IS NULL OR attendance IN {ATTENDANCE}", name="attendance"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    attendance: Mapped[str | None] = mapped_column(String(10))
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[TrainingSession] = relationship()
    contact: Mapped[Contact] = relationship()

    def __repr__(self) -> str:
        return f"<Enrolment {self.id} {self.status}>"



PLAN_CHANGE_KINDS = ("new", "time", "place", "cancelled", "restored")


class PlanChange(db.Model):
    """One public change of the plan (a new session, its time, its place, its cancellation or restoration).

    `before` and `after` hold only what the public session page shows (times in UTC ISO form, mode, venue,
    meeting link, cancellation reason), so the public changelog never carries personal data.
    """

    __tablename__ = "plan_changes"
    __table_args__ = (CheckConstraint(f"kind IN {PLAN_CHANGE_KINDS}", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    kind: Mapped[str] = mapped_column(String(10))
    before: Mapped[dict] = mapped_column(db.JSON, default=dict)
    after: Mapped[dict] = mapped_column(db.JSON, default=dict)

    session: Mapped[TrainingSession] = relationship()

    def __repr__(self) -> str:
        return f"<PlanChange {self.id} {self.kind} session:{self.session_id}>"
