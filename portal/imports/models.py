"""An uploaded sheet between preview and confirmation: nothing is written to its domain until confirmed."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.extensions import db
from portal.core.models_base import UTCDateTime, utcnow


class PendingImport(db.Model):
    __tablename__ = "pending_imports"
    __table_args__ = (UniqueConstraint("token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(43))
    domain: Mapped[str] = mapped_column(String(20))  # "contacts" or "training"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    province_code: Mapped[int | None] = mapped_column(ForeignKey("provinces.code"))
    kind: Mapped[str] = mapped_column(String(12), default="")
    filename: Mapped[str] = mapped_column(String(200))
    headers: Mapped[list] = mapped_column(JSON)
    rows: Mapped[list] = mapped_column(JSON)
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)
    # The notice version the uploader confirmed everyone on the list was told (contacts only): the rows are saved
    # under that version, or not at all if the text changed before the confirmation.
    notice_version: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<PendingImport {self.id} {self.domain} {self.filename!r}>"
