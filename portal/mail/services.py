"""Sending e-mail: every message is stored in the outbox first, then handed to Flask-Mailman."""
import logging

from flask_mailman import EmailMessage

from portal.core.extensions import db
from portal.mail.models import OutboxMessage
from portal.core.models_base import utcnow

log = logging.getLogger(__name__)


def send_mail(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Store the message and send it; a delivery failure is recorded on the row, never raised.

    The caller commits: the outbox row belongs to the same transaction as the change it reports.
    """
    message = OutboxMessage(recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    try:
        EmailMessage(subject=subject, body=body, to=[recipient]).send()
        message.sent_at = utcnow()
    except OSError as error:  # SMTP refused or unreachable: keep the row, show the error to admins
        message.error = str(error)[:500]
        log.warning("mail to outbox message %s not delivered: %s", message.id, type(error).__name__)
    return message
