"""Writing notices: an outbox row in the transaction of the change it reports, handed to the worker after commit.

A rolled-back change leaves no row and wakes no worker, so nothing is sent about a change that did not happen.
"""
from dataclasses import dataclass
from email.utils import make_msgid
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from portal.core.extensions import db
from portal.core.models_base import utcnow
from portal.mail.models import OutboxMessage

PENDING = "outbox_pending"


@dataclass(frozen=True)
class CalendarPart:
    """An iTIP message (RFC 5546): METHOD is REQUEST (add or update the event) or CANCEL (remove it)."""

    method: str
    ical: bytes


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    data: bytes


def message_values(recipient: str, subject: str, body: str, calendar: CalendarPart | None = None,
                   attachment: Attachment | None = None, dedupe_key: str | None = None) -> dict:
    """The columns of one queued message, with its Message-ID fixed now (a resend keeps it)."""
    domain = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "tthc-portal.local"
    return {
        "recipient": recipient, "subject": subject[:300], "body": body, "message_id": make_msgid(domain=domain),
        "dedupe_key": dedupe_key, "status": "queued", "attempts": 0, "next_attempt_at": utcnow(),
        "calendar": calendar.ical.decode() if calendar else None, "calendar_method": calendar.method if calendar else None,
        "attachment_name": attachment.name if attachment else None,
        "attachment_type": attachment.content_type if attachment else None,
        "attachment": attachment.data if attachment else None,
    }


def send_mail(recipient: str, subject: str, body: str, *, calendar: CalendarPart | None = None,
              attachment: Attachment | None = None, dedupe_key: str | None = None) -> OutboxMessage | None:
    """Queue one message; the caller commits, and the worker sends it after the commit.

    :param dedupe_key: names what a scheduled notice is about; a second message with the same key is not queued.
    """
    if dedupe_key is not None and already_queued([dedupe_key]):
        return None
    message = OutboxMessage(**message_values(recipient, subject, body, calendar, attachment, dedupe_key))
    db.session.add(message)
    db.session.info[PENDING] = True
    return message


def send_many(notices: list[tuple[str, CalendarPart | None]], subject: str, body: str) -> None:
    """Queue one text to many people (each with their own calendar part) in one INSERT: a cancellation
    with a hundred people enrolled costs the request one statement, not a hundred."""
    if notices:
        db.session.execute(insert(OutboxMessage), [message_values(address, subject, body, part)
                                                   for address, part in notices])
        db.session.info[PENDING] = True


def send_each(messages: list[tuple[str, str, str, str]]) -> int:
    """Queue (recipient, subject, body, dedupe key) messages, each text its own, in one INSERT; a key already
    queued is skipped, so a notice written twice goes out once. Returns how many were queued."""
    queued = already_queued([key for *_, key in messages])
    rows = [message_values(recipient, subject, body, dedupe_key=key)
            for recipient, subject, body, key in messages if key not in queued]
    if rows:
        db.session.execute(insert(OutboxMessage), rows)
        db.session.info[PENDING] = True
    return len(rows)


def already_queued(keys: list[str]) -> set[str]:
    """Which of these dedupe keys have a message already (one query)."""
    if not keys:
        return set()
    return set(db.session.execute(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))).scalars())


def send_again(message: OutboxMessage) -> None:
    """Put a failed message back in the queue with a fresh count of attempts."""
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message.id, OutboxMessage.status == "failed")
        .values(status="queued", attempts=0, next_attempt_at=utcnow(), error=None)
    )
    db.session.info[PENDING] = True
    db.session.commit()


@event.listens_for(Session, "after_commit")
def wake_the_worker(session: Session) -> None:
    """Once the change (and its outbox rows) is committed, ask the worker to deliver."""
    if session.info.pop(PENDING, False):
        from portal.mail.tasks import deliver_outbox  # the task module imports this one
        from portal.core.queue import enqueue

        enqueue(deliver_outbox)


@event.listens_for(Session, "after_soft_rollback")
def forget_on_rollback(session: Session, previous_transaction) -> None:
    """The rows are gone with the transaction: nothing to wake the worker for."""
    if previous_transaction.parent is None:
        session.info.pop(PENDING, None)
