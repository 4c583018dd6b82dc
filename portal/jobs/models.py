"""The last run of each scheduled job (one row a job, so the table never grows)."""
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.extensions import db
from portal.core.models_base import UTCDateTime


class JobState(db.Model):
    __tablename__ = "job_states"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(10), default="")  # running, ok or failed
    detail: Mapped[str] = mapped_column(String(500), default="")

    def __repr__(self) -> str:
        return f"<JobState {self.name} {self.outcome}>"
