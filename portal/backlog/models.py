"""A dated count of dossiers waiting for an account, for a province or one of its communes."""
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.core.extensions import db
from portal.core.models_base import UTCDateTime, utcnow
from portal.units.models import Commune

BACKLOG_SOURCES = ("portal", "api")


class BacklogReport(db.Model):
    """The figure of one day for one unit; recording the same day and unit again replaces it (services.record)."""

    __tablename__ = "backlog_reports"
    __table_args__ = (
        CheckConstraint("dossiers >= 0", name="dossiers"),
        CheckConstraint(f"source IN {BACKLOG_SOURCES}", name="source"),
        UniqueConstraint("province_code", "commune_code", "as_of"),
        # NULLs are distinct in a unique constraint: the province-level row of a day needs an index of its own.
        Index("uq_backlog_reports_province_day", "province_code", "as_of", unique=True,
              sqlite_where=text("commune_code IS NULL"), postgresql_where=text("commune_code IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"))
    commune_code: Mapped[int | None] = mapped_column(ForeignKey("communes.code"))
    as_of: Mapped[date] = mapped_column(Date)
    dossiers: Mapped[int]
    note: Mapped[str] = mapped_column(String(500), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(10), default="portal")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    commune: Mapped[Commune | None] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<BacklogReport {self.province_code}/{self.commune_code} {self.as_of} {self.dossiers}>"
