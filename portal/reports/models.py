"""What the ministry writes into its periodic reports: the "Khó khăn, đề xuất" of a week or a month."""
from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.extensions import db
from portal.core.models_base import Timestamped

NOTE_KINDS = ("weekly", "monthly")
NOTE_LENGTH = 4000  # a page of the printed report


class PeriodNote(Timestamped, db.Model):
    """The difficulties and proposals of one period (a week by its Monday, a month by its first day)."""

    __tablename__ = "period_notes"
    __table_args__ = (CheckConstraint(f"kind IN {NOTE_KINDS}", name="kind"),
                      UniqueConstraint("kind", "starts_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    starts_on: Mapped[date] = mapped_column(Date)
    body: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def __repr__(self) -> str:
        return f"<PeriodNote {self.kind} {self.starts_on}>"
