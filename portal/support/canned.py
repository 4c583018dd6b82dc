"""Canned replies: written by agents (private or shared) and admins, inserted into the reply box to be edited there.

A canned reply is never sent by itself: it becomes part of the text the agent edits and sends, so nothing the
agent typed is replaced or lost.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from portal.access import managed_canned_replies, may_edit_canned_reply, usable_canned_replies
from portal.auth.models import User
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.support.models import CannedReply, Ticket
from portal.util.query import MAX_INTEGER
from portal.util.text import sort_key

# What a canned reply may say in braces, and what it becomes on a given ticket (only these, nothing evaluated).
FIELDS = {
    "{nguoi_gui}": lambda ticket, agent: ticket.reporter.full_name or ticket.reporter.email,
    "{ma_phieu}": lambda ticket, agent: ticket.reference,
    "{tieu_de}": lambda ticket, agent: ticket.title,
    "{can_bo}": lambda ticket, agent: agent.full_name or agent.email,
}
MAX_BODY = 10000  # the reply box's own limit


def is_id(value) -> bool:
    """A number a row's id can be (a posted select may carry any integer)."""
    return isinstance(value, int) and 1 <= value <= MAX_INTEGER


def usable(user: User) -> list[CannedReply]:
    """The replies the user may insert, in Vietnamese dictionary order of title (a short list: the reply form's
    select)."""
    replies = db.session.execute(usable_canned_replies(user).order_by(CannedReply.id)).scalars().all()
    return sorted(replies, key=lambda reply: sort_key(reply.title))


def listed(user: User) -> Select:
    """The management page's list: shared first, then by title; paginated by the view."""
    return managed_canned_replies(user).order_by(CannedReply.is_shared.desc(), CannedReply.title, CannedReply.id)


def usable_one(user: User, canned_id: int | None) -> CannedReply | None:
    """The reply with this id if the user may insert it (someone else's private one is not there for them)."""
    if not is_id(canned_id):
        return None
    return db.session.execute(usable_canned_replies(user).where(CannedReply.id == canned_id)).scalar_one_or_none()


def editable_one(user: User, canned_id: int | None) -> CannedReply | None:
    """The reply with this id if the user may change it."""
    reply = db.session.get(CannedReply, canned_id) if is_id(canned_id) else None
    return reply if reply is not None and may_edit_canned_reply(user, reply) else None


def filled(reply: CannedReply, ticket: Ticket, agent: User) -> str:
    """The reply's text with the reporter's name, the ticket's reference and title and the agent's name put in."""
    text = reply.body
    for marker, value in FIELDS.items():
        if marker in text:
            text = text.replace(marker, value(ticket, agent))
    return text


def appended(typed: str, text: str) -> str:
    """What the agent typed, kept, with the canned text after it."""
    typed = typed.rstrip()
    return f"{typed}\n\n{text}" if typed else text


def save(user: User, canned_id: int | None, title: str, body: str, is_shared: bool) -> CannedReply:
    """Write a new canned reply (no id) or change one the user may edit; only admins and agents write them."""
    if user.role not in ("admin", "agent"):
        raise DomainError(_l("Only support staff write canned replies."))
    title, body = " ".join(title.split()), body.strip()
    if not title or not body:
        raise DomainError(_l("Give the canned reply a title and a text."))
    if len(body) > MAX_BODY:
        raise DomainError(_l("The text is too long."), field="body")
    if canned_id:
        reply = editable_one(user, canned_id)
        if reply is None:
            raise DomainError(_l("You cannot change this canned reply."))
    else:
        reply = CannedReply(owner_id=user.id)
        db.session.add(reply)
    reply.title, reply.body, reply.is_shared = title[:200], body, is_shared
    db.session.commit()
    return reply


def delete(user: User, canned_id: int | None) -> None:
    """Remove a canned reply the user may edit (replies already sent keep their text)."""
    reply = editable_one(user, canned_id)
    if reply is None:
        raise DomainError(_l("You cannot change this canned reply."))
    db.session.delete(reply)
    db.session.commit()


def shared_titles() -> set[str]:
    """Titles of the shared replies, for loading the demo's once."""
    return set(db.session.execute(select(CannedReply.title).where(CannedReply.is_shared.is_(True))).scalars())
