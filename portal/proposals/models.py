"""A proposal to the system's makers, the tickets it answers, and the dated history of its status."""
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.core.extensions import db
from portal.core.models_base import Timestamped, UTCDateTime, utcnow
from portal.support.models import KnownIssue, Ticket

AREAS = ("feature", "function", "interface")
STATUSES = ("drafted", "sent", "accepted", "in_test", "released", "declined")


class Proposal(Timestamped, db.Model):
    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint(f"area IN {AREAS}", name="area"),
        CheckConstraint(f"status IN {STATUSES}", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    area: Mapped[str] = mapped_column(String(10))
    change: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="drafted", index=True)
    # The day the current status was reached (the history holds every earlier one).
    status_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    source_known_issue_id: Mapped[int | None] = mapped_column(ForeignKey("known_issues.id", ondelete="SET NULL"))

    created_by: Mapped[User | None] = relationship()
    source_known_issue: Mapped[KnownIssue | None] = relationship()

    def __repr__(self) -> str:
        return f"<Proposal {self.id} {self.status}>"


class ProposalTicket(db.Model):
    """A ticket the proposal answers: its reporter hears when the change is released."""

    __tablename__ = "proposal_tickets"
    __table_args__ = (UniqueConstraint("proposal_id", "ticket_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)

    ticket: Mapped[Ticket] = relationship()

    def __repr__(self) -> str:
        return f"<ProposalTicket {self.proposal_id} {self.ticket_id}>"


class ProposalChange(db.Model):
    """One dated step of a proposal's status; a proposal reaches each status once (so it is released once)."""

    __tablename__ = "proposal_changes"
    __table_args__ = (
        CheckConstraint(f"new_status IN {STATUSES}", name="new_status"),
        UniqueConstraint("proposal_id", "new_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    old_status: Mapped[str | None] = mapped_column(String(10))
    new_status: Mapped[str] = mapped_column(String(10))
    # The day it happened as the letters date it; `at` is when it was written down.
    happened_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    changed_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ProposalChange {self.proposal_id} {self.old_status}->{self.new_status}>"
