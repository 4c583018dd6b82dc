"""Delivering the outbox: claim due rows, send them over one SMTP connection, retry failures with backoff.

Rows are claimed with a conditional UPDATE (status still 'queued'), so two workers never take the same row.
No transaction stays open while SMTP talks: the claim commits first, and each outcome is written in its own
short transaction, so a slow mail server never holds the database's write lock. A worker killed mid-batch
leaves rows 'sending'; `release_stale_claims` hands them out again, and the resend keeps its Message-ID.
"""
import logging
import secrets
import smtplib
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_mailman import EmailMultiAlternatives
from sqlalchemy import func, select, update

from portal.core.extensions import db, mail
from portal.core.models_base import utcnow
from portal.mail.models import OutboxMessage

log = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"sent {self.sent}, retrying {self.retrying}, failed {self.failed}"


def claim_batch(token: str, size: int) -> list[int]:
    """Take up to `size` due rows for this worker; return their ids (committed before any SMTP)."""
    now = utcnow()
    due = (select(OutboxMessage.id).where(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now)
           .order_by(OutboxMessage.id).limit(size))
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()), OutboxMessage.status == "queued")
        .values(status="sending", claimed_by=token, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    ids = db.session.execute(
        select(OutboxMessage.id).where(OutboxMessage.claimed_by == token, OutboxMessage.status == "sending")
        .order_by(OutboxMessage.id)).scalars().all()
    db.session.commit()
    return ids


def email_for(row: OutboxMessage) -> EmailMultiAlternatives:
    """The MIME message of a row: text, an optional text/calendar part beside it, an optional attachment."""
    message = EmailMultiAlternatives(subject=row.subject, body=row.body, to=[row.recipient],
                                     headers={"Message-ID": row.message_id})
    if row.calendar:
        # Outlook, Gmail and Apple Mail act on a text/calendar alternative whose method matches the body's METHOD.
        message.attach_alternative(row.calendar, f"text/calendar; method={row.calendar_method}")
        message.attach("invite.ics", row.calendar.encode(), "application/ics")
    if row.attachment is not None:
        message.attach(row.attachment_name, row.attachment, row.attachment_type)
    return message


def finish(row_id: int, token: str, **values) -> None:
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == row_id, OutboxMessage.claimed_by == token)
        .values(claimed_by=None, claimed_at=None, **values).execution_options(synchronize_session=False)
    )
    db.session.commit()


def record_failure(row_id: int, attempts: int, token: str, error: Exception, report: DeliveryReport) -> None:
    """Try again after the next delay of the backoff, or give up once every delay is used."""
    delays = current_app.config["OUTBOX_RETRY_DELAYS"]
    text = f"{type(error).__name__}: {error}"[:500]
    attempts += 1
    if attempts > len(delays):
        finish(row_id, token, status="failed", attempts=attempts, error=text)
        report.failed += 1
    else:
        finish(row_id, token, status="queued", attempts=attempts, error=text,
               next_attempt_at=utcnow() + timedelta(seconds=delays[attempts - 1]))
        report.retrying += 1
    report.errors.append(text)


def send_batch(ids: list[int], token: str, report: DeliveryReport) -> bool:
    """Send claimed rows over one connection; a connection failure sends the rest back to the queue (False)."""
    rows = db.session.execute(select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
                              ).scalars().all()
    messages = [(row.id, row.attempts, email_for(row)) for row in rows]
    db.session.commit()  # no transaction stays open while SMTP talks
    connection = mail.get_connection()
    pending = list(messages)
    try:
        connection.open()
        while pending:
            row_id, attempts, message = pending[0]
            try:
                connection.send_messages([message])
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
                pending.pop(0)  # this message was refused; the connection is still good for the next one
                record_failure(row_id, attempts, token, error, report)
                continue
            pending.pop(0)
            finish(row_id, token, status="sent", attempts=attempts + 1, sent_at=utcnow(), error=None)
            report.sent += 1
        return True
    except (OSError, smtplib.SMTPException) as error:  # unreachable or dropped: everything left waits
        log.warning("SMTP failed with %d messages left: %s", len(pending), type(error).__name__)
        for row_id, attempts, _message in pending:
            record_failure(row_id, attempts, token, error, report)
        return False
    finally:
        try:
            connection.close()
        except (OSError, smtplib.SMTPException):
            pass


def deliver_due(max_batches: int = 50) -> DeliveryReport:
    """Send every due message, a batch at a time, until none is left (or max_batches were sent)."""
    report = DeliveryReport()
    size = current_app.config["OUTBOX_BATCH_SIZE"]
    for _ in range(max_batches):
        token = secrets.token_hex(8)
        ids = claim_batch(token, size)
        if not ids:
            break
        if not send_batch(ids, token, report):
            break  # the server is down: wait for the backoff instead of spinning
    return report


def release_stale_claims() -> int:
    """Hand rows claimed by a worker that died back to the queue (at-least-once delivery)."""
    cutoff = utcnow() - timedelta(seconds=current_app.config["OUTBOX_CLAIM_TIMEOUT"])
    released = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.status == "sending", OutboxMessage.claimed_at < cutoff)
        .values(status="queued", claimed_by=None, claimed_at=None).execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return released


def has_due() -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= utcnow())))
