"""Who may get a session reminder: the reminders rest on consent (portal.privacy.consents), so an address whose
owner withdrew it gets none, and a restriction or objection carried out (portal.privacy.restrictions) stops them too.
Kept apart from consents.py so the training domain can call it without importing the contacts services (which
import training)."""
from sqlalchemy import select

from portal.contacts.models import Contact
from portal.core.extensions import db
from portal.privacy.restrictions import restricted_emails


def reminded_enrolments(enrolments: list) -> list:
    """The enrolments whose contact's address still receives reminders, in two queries."""
    addresses = {enrolment.contact.email for enrolment in enrolments}
    if not addresses:
        return []
    stopped = set(db.session.execute(select(Contact.email).where(
        Contact.email.in_(addresses), Contact.reminders_withdrawn_at.is_not(None))).scalars())
    stopped |= restricted_emails(addresses)
    return [enrolment for enrolment in enrolments if enrolment.contact.email not in stopped]
