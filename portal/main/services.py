"""What each role finds on its landing page: its own work, not the list of 34 provinces."""
from dataclasses import dataclass

from sqlalchemy import select

from portal.access import visible_tickets
from portal.auth.models import User
from portal.contacts.models import Contact
from portal.contacts.services import Seat, seat_contact
from portal.core.extensions import db
from portal.core.models_base import utcnow
from portal.support.models import OPEN_STATUSES, Ticket
from portal.training.models import Enrolment, TrainingSession
from portal.units.models import Commune

SHOWN_TICKETS = 5


@dataclass
class CommuneHome:
    commune: Commune
    contact: Contact | None
    enrolments: list[Enrolment]
    open_tickets: list[Ticket]


def commune_home(user: User) -> CommuneHome:
    """"Xã của tôi": the commune's registered administrator, their coming sessions, the commune's open tickets."""
    commune = db.session.get(Commune, user.commune_code)
    contact = seat_contact(Seat.of_commune(commune))
    enrolments = []
    if contact is not None:
        enrolments = list(db.session.execute(
            select(Enrolment).join(Enrolment.session)
            .where(Enrolment.contact_id == contact.id, TrainingSession.ends_at >= utcnow(),
                   TrainingSession.status != "cancelled")
            .order_by(TrainingSession.starts_at)
        ).scalars())
    tickets = list(db.session.execute(
        visible_tickets(user).where(Ticket.status.in_(OPEN_STATUSES))
        .order_by(Ticket.created_at.desc()).limit(SHOWN_TICKETS)
    ).scalars())
    return CommuneHome(commune, contact, enrolments, tickets)
