"""Tickets with their messages and attachments, categories, canned replies, and agents per province."""
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.core.extensions import db
from portal.core.models_base import Timestamped, UTCDateTime, utcnow
from portal.units.models import Commune, Province
from portal.util.forms import SUBMISSION_TOKEN_LENGTH

PRIORITIES = ("low", "normal", "high", "urgent")
OPEN_STATUSES = ("new", "assigned", "in_progress", "waiting")
STATUSES = (*OPEN_STATUSES, "resolved", "closed")
AGENT_ROLES = ("primary", "backup")


class TicketCategory(db.Model):
    __tablename__ = "ticket_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __repr__(self) -> str:
        return f"<TicketCategory {self.id} {self.name}>"


class SupportAgent(db.Model):
    """An agent's availability (while away, new tickets of their provinces go to the backup) and work phone."""

    __tablename__ = "support_agents"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    is_away: Mapped[bool] = mapped_column(Boolean, default=False)
    # The phone the directory publishes for the agent, kept as typed; a work number, never a private one.
    work_phone: Mapped[str] = mapped_column(String(30), default="", server_default="")

    def __repr__(self) -> str:
        return f"<SupportAgent {self.user_id} away={self.is_away}>"


class ProvinceAgent(db.Model):
    """Who answers a province: one primary and one backup agent; an agent may cover many provinces."""

    __tablename__ = "province_agents"
    __table_args__ = (CheckConstraint(f"role IN {AGENT_ROLES}", name="role"),)

    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), primary_key=True)
    role: Mapped[str] = mapped_column(String(10), primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    agent: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<ProvinceAgent {self.province_code} {self.role}={self.agent_id}>"


class Ticket(Timestamped, db.Model):
    __tablename__ = "tickets"
    __table_args__ = (
        CheckConstraint(f"priority IN {PRIORITIES}", name="priority"),
        CheckConstraint(f"status IN {STATUSES}", name="status"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating"),
        # An index rather than a constraint: SQLite adds it without rebuilding the table (see the migration).
        Index("ix_tickets_submission_token", "reporter_id", "submission_token", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("ticket_categories.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    procedure_ref: Mapped[str] = mapped_column(String(100), default="")
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    status: Mapped[str] = mapped_column(String(12), default="new", index=True)
    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), index=True)
    commune_code: Mapped[int | None] = mapped_column(ForeignKey("communes.code"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Title and description without diacritics, for search that ignores them ("tai khoan" finds "tài khoản").
    search_text: Mapped[str] = mapped_column(Text, default="")
    first_response_due: Mapped[datetime] = mapped_column(UTCDateTime)
    resolution_due: Mapped[datetime] = mapped_column(UTCDateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    known_issue_id: Mapped[int | None] = mapped_column(ForeignKey("known_issues.id", ondelete="SET NULL"), index=True)
    # The reporter's one-click satisfaction rating, asked for on resolution through a link (hash kept).
    rating: Mapped[int | None] = mapped_column(Integer)
    rating_comment: Mapped[str] = mapped_column(String(1000), default="")
    rating_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The filing form's one-time token: the same form sent twice files one ticket (NULL for tickets not from a form).
    submission_token: Mapped[str | None] = mapped_column(String(SUBMISSION_TOKEN_LENGTH))

    category: Mapped[TicketCategory] = relationship()
    province: Mapped[Province] = relationship()
    commune: Mapped[Commune | None] = relationship()
    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    messages: Mapped[list["TicketMessage"]] = relationship(back_populates="ticket", order_by="TicketMessage.id")
    attachments: Mapped[list["TicketAttachment"]] = relationship(order_by="TicketAttachment.id")
    known_issue: Mapped["KnownIssue | None"] = relationship()

    @property
    def reference(self) -> str:
        """HT-2026-000123: the year it was filed and its number."""
        return f"HT-{self.created_at.year}-{self.id:06d}"

    def __repr__(self) -> str:
        return f"<Ticket {self.id} {self.status}>"


class TicketMessage(db.Model):
    """A public reply (the reporter sees it and gets an e-mail) or an internal note (agents only)."""

    __tablename__ = "ticket_messages"
    __table_args__ = (Index("ix_ticket_messages_submission_token", "author_id", "submission_token", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    is_internal: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The reply form's one-time token: the same reply sent twice is written once.
    submission_token: Mapped[str | None] = mapped_column(String(SUBMISSION_TOKEN_LENGTH))

    ticket: Mapped[Ticket] = relationship(back_populates="messages")
    author: Mapped[User] = relationship()
    attachments: Mapped[list["TicketAttachment"]] = relationship(order_by="TicketAttachment.id", viewonly=True)

    def __repr__(self) -> str:
        return f"<TicketMessage {self.id} internal={self.is_internal}>"


class TicketAttachment(db.Model):
    """A file attached to a ticket or to one of its messages, kept under instance/ by a random name, checked by its
    content; an image keeps its size in pixels so that its thumbnail is laid out before it loads."""

    __tablename__ = "ticket_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The reply or note it came with (NULL: attached to the ticket when it was filed).
    message_id: Mapped[int | None] = mapped_column(ForeignKey("ticket_messages.id", ondelete="CASCADE"), index=True)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def __repr__(self) -> str:
        return f"<TicketAttachment {self.id} {self.file_name!r}>"


class CannedReply(db.Model):
    """A reply text agents insert into the reply box: private to its owner, or shared with every agent."""

    __tablename__ = "canned_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # Who wrote it (NULL for the shared ones written before replies had owners); goes with its owner's account.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    is_shared: Mapped[bool] = mapped_column(Boolean, default=False)

    owner: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<CannedReply {self.id} {self.title!r}>"


class KnownIssue(Timestamped, db.Model):
    """A recurring difficulty the ministry has recognised; tickets that report it link to it."""

    __tablename__ = "known_issues"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    def __repr__(self) -> str:
        return f"<KnownIssue {self.id} {self.title!r}>"


class FaqEntry(Timestamped, db.Model):
    """A question and answer for the public help page, usually drawn from a resolved ticket."""

    __tablename__ = "faq_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("ticket_categories.id"), index=True)
    question: Mapped[str] = mapped_column(String(300))
    answer: Mapped[str] = mapped_column(Text)
    source_ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"))
    is_published: Mapped[bool] = mapped_column(Boolean, default=True)

    category: Mapped[TicketCategory] = relationship()

    def __repr__(self) -> str:
        return f"<FaqEntry {self.id}>"


class SupportContact(db.Model):
    """One of the ministry's support contacts published on the directory page (name, role, phone, e-mail)."""

    __tablename__ = "support_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<SupportContact {self.id} {self.name!r}>"


class ProvinceChannel(db.Model):
    """How a province reaches its support: hotline, an online meeting room, a Zalo group."""

    __tablename__ = "province_channels"

    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), primary_key=True)
    hotline: Mapped[str] = mapped_column(String(30), default="")
    meeting_url: Mapped[str] = mapped_column(String(500), default="")
    zalo_url: Mapped[str] = mapped_column(String(500), default="")

    def __repr__(self) -> str:
        return f"<ProvinceChannel {self.province_code}>"

