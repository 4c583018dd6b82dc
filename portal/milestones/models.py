"""One key date of the transition and what each kind of unit must have done by then."""
from datetime import date

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.extensions import db
from portal.core.models_base import Timestamped

TITLE_LENGTH = 200
DUTY_LENGTH = 1000
# The kinds of unit a milestone asks something of, in the order pages list them.
UNIT_KINDS = ("departments", "communes", "provinces")


class Milestone(Timestamped, db.Model):
    """A day of the transition calendar; English texts may be empty and then read as the Vietnamese ones.

    `sequence` grows when the day or a title changes, so a subscribed calendar replaces its copy of the event.
    """

    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    title_vi: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    title_en: Mapped[str] = mapped_column(String(TITLE_LENGTH), default="")
    for_departments: Mapped[str] = mapped_column(Text, default="")
    for_departments_en: Mapped[str] = mapped_column(Text, default="")
    for_communes: Mapped[str] = mapped_column(Text, default="")
    for_communes_en: Mapped[str] = mapped_column(Text, default="")
    for_provinces: Mapped[str] = mapped_column(Text, default="")
    for_provinces_en: Mapped[str] = mapped_column(Text, default="")
    sequence: Mapped[int] = mapped_column(default=0)

    def title(self, language: str) -> str:
        return (self.title_en if language == "en" else "") or self.title_vi

    def duty(self, kind: str, language: str) -> str:
        """What this kind of unit must have done by the day, in the language (Vietnamese when not written)."""
        vietnamese = getattr(self, f"for_{kind}")
        return (getattr(self, f"for_{kind}_en") if language == "en" else "") or vietnamese

    def __repr__(self) -> str:
        return f"<Milestone {self.day.isoformat()}>"
