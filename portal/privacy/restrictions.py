"""What a carried-out restriction or objection stops: the reminders the rollout can do without.

Below the other domains (it reads only the requests table), so the reminder jobs of training and contacts can ask it.
"""
from sqlalchemy import select

from portal.core.extensions import db
from portal.privacy.models import PrivacyRequest

STOPPING_KINDS = ("restriction", "objection")


def restricted_emails(emails) -> set[str]:
    """Which of these addresses have a restriction or objection carried out (one query)."""
    wanted = {(email or "").strip().lower() for email in emails} - {""}
    if not wanted:
        return set()
    return set(db.session.execute(select(PrivacyRequest.email).where(
        PrivacyRequest.status == "done", PrivacyRequest.kind.in_(STOPPING_KINDS),
        PrivacyRequest.email.in_(wanted))).scalars())
