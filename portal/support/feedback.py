"""What the desk learns: known issues, FAQ entries from resolved tickets, and the reporters' ratings."""
import hashlib
import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from portal.auth.models import User
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.support.models import FaqEntry, KnownIssue, Ticket
from portal.units.models import Province


def mark_known_issue(title: str, description: str, ticket_ids: list[int]) -> KnownIssue:
    """Record a recurring difficulty and link the group's tickets to it."""
    title = " ".join(title.split())
    if not title:
        raise DomainError(_l("Name the known issue."), field="title")
    issue = KnownIssue(title=title[:200], description=description.strip())
    db.session.add(issue)
    db.session.flush()
    db.session.execute(update(Ticket).where(Ticket.id.in_(ticket_ids)).values(known_issue_id=issue.id))
    db.session.commit()
    return issue


def faq_from_ticket(ticket: Ticket, question: str, answer: str) -> FaqEntry:
    if ticket.status not in ("resolved", "closed"):
        raise DomainError(_l("Only a resolved ticket can become an FAQ entry."))
    question, answer = " ".join(question.split()), answer.strip()
    if not question or not answer:
        raise DomainError(_l("Write the question and the answer."))
    entry = FaqEntry(category_id=ticket.category_id, question=question[:300], answer=answer,
                     source_ticket_id=ticket.id)
    db.session.add(entry)
    db.session.commit()
    return entry


def published_faq() -> list[FaqEntry]:
    return db.session.execute(
        select(FaqEntry).where(FaqEntry.is_published.is_(True)).order_by(FaqEntry.category_id, FaqEntry.id)
    ).scalars().all()


def rating_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_rating_token(ticket: Ticket) -> str:
    """A secret for the one-click rating links in the resolution e-mail (kept only as a hash)."""
    raw = secrets.token_urlsafe(24)
    ticket.rating_token_hash = rating_hash(raw)
    return raw


def ticket_for_rating(raw: str) -> Ticket | None:
    return db.session.execute(select(Ticket).where(Ticket.rating_token_hash == rating_hash(raw))).scalar_one_or_none()


def rate(ticket: Ticket, score: int, comment: str | None = None) -> None:
    if score not in range(1, 6):
        raise DomainError(_l("A rating is from 1 to 5."))
    ticket.rating = score
    if comment is not None:
        ticket.rating_comment = comment.strip()[:1000]
    db.session.commit()


@dataclass
class RatingRow:
    name: str
    count: int
    average: float


def ratings_by(column, label_query) -> list[RatingRow]:
    rows = db.session.execute(
        select(column, func.count(Ticket.rating), func.avg(Ticket.rating))
        .where(Ticket.rating.is_not(None)).group_by(column)
    ).all()
    names = dict(db.session.execute(label_query).all())
    return sorted((RatingRow(names.get(key, "—"), count, round(float(avg), 2)) for key, count, avg in rows),
                  key=lambda row: row.name)


def ratings_per_agent() -> list[RatingRow]:
    return ratings_by(Ticket.assignee_id, select(User.id, User.full_name).where(User.role.in_(("agent", "admin"))))


def ratings_per_province() -> list[RatingRow]:
    return ratings_by(Ticket.province_code, select(Province.code, Province.name))
