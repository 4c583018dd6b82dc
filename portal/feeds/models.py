"""Personal feed tokens, and the clock that says when the plan's data last changed."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.extensions import db
from portal.core.models_base import UTCDateTime, utcnow


class FeedToken(db.Model):
    """A user's personal feed link, stored only as a hash; re-issuing replaces it, revoking deletes it."""

    __tablename__ = "feed_tokens"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<FeedToken user={self.user_id}>"


class FeedClock(db.Model):
    """One row: the instant the feeds' data last changed. It only moves forward, deletions included,
    so it serves as Last-Modified and as the key of the generated-feed cache."""

    __tablename__ = "feed_clock"

    id: Mapped[int] = mapped_column(primary_key=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<FeedClock {self.changed_at.isoformat()}>"
