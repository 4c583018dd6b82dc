"""Focal contacts, their change history and the duty texts."""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.core.extensions import db
from portal.core.models_base import Timestamped, UTCDateTime, utcnow
from portal.units.models import Commune, Department

CONTACT_KINDS = ("department", "commune")
CADRES_PER_DEPARTMENT = 2


class Contact(Timestamped, db.Model):
    """One seat's holder: a department cadre (seat 1 or 2) or a commune's system administrator (seat 1).

    The unique constraints are what keep "2 per department, 1 per commune" true under concurrent submissions.
    """

    __tablename__ = "contacts"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'department' AND department_id IS NOT NULL AND commune_code IS NULL AND seat IN (1, 2))"
            " OR (kind = 'commune' AND commune_code IS NOT NULL AND department_id IS NULL AND seat = 1)",
            name="seat",
        ),
        # 12 ASCII digits on SQLite and PostgreSQL alike: trimming every digit must leave nothing.
        CheckConstraint("cccd IS NULL OR (length(cccd) = 12 AND trim(cccd, '0123456789') = '')", name="cccd"),
        UniqueConstraint("department_id", "seat"),
        UniqueConstraint("commune_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"))
    commune_code: Mapped[int | None] = mapped_column(ForeignKey("communes.code"))
    seat: Mapped[int] = mapped_column(Integer, default=1)
    full_name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200), default="")
    unit_name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(16))
    email: Mapped[str] = mapped_column(String(254), index=True)
    cccd: Mapped[str | None] = mapped_column(String(12))
    notice_version: Mapped[str] = mapped_column(String(20))
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The person withdrew the consent above (from "My data"): their CCCD was erased and may not be stored again
    # until they give it anew. Reminders are a purpose of their own: None means the consent above covers them;
    # withdrawn, then given again, records the reminders notice version they accepted (portal.privacy.consents).
    consent_withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminders_notice_version: Mapped[str | None] = mapped_column(String(20))
    reminders_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminders_withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_late: Mapped[bool] = mapped_column(default=False)
    # Set by an admin when one person really does administer two communes.
    is_shared_person_allowed: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    commune: Mapped[Commune | None] = relationship()
    department: Mapped[Department | None] = relationship()
    updated_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Contact {self.id} {self.kind} seat={self.seat}>"


class ContactChange(db.Model):
    """One change to a seat (who, when, old -> new); kept after the contact itself is removed."""

    __tablename__ = "contact_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    seat_key: Mapped[str] = mapped_column(String(40), index=True)  # "commune:17920" or "department:12:1"
    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), index=True)
    action: Mapped[str] = mapped_column(String(12))  # create, update, replace, remove
    changes: Mapped[dict] = mapped_column(JSON, default=dict)  # field -> [old, new]; CCCD only as "set"/"erased"
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    changed_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ContactChange {self.id} {self.seat_key} {self.action}>"


class DutyText(Timestamped, db.Model):
    """What a department cadre or a commune administrator is asked to do (Appendix 01), editable by admins."""

    __tablename__ = "duty_texts"
    __table_args__ = (CheckConstraint("kind IN ('department', 'commune')", name="kind"),)

    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    body: Mapped[str] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<DutyText {self.kind}>"

