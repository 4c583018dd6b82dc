"""The same invitation sent at the same moment (a double click, two coordinators): one account, no error.

These tests use real, separate connections (not the rolled-back test transaction) and clean up after.
"""
import threading

import pytest
from sqlalchemy import delete, func, select

from portal.audit.models import AuditEvent
from portal.auth.invitations import invite_registered_contacts, invite_user
from portal.auth.models import PasswordToken, User
from portal.contacts.models import Contact, ContactChange
from portal.contacts.services import Seat, save_seat
from portal.core.extensions import db
from portal.mail.models import OutboxMessage
from portal.units.models import Commune
from tests import factories
from tests.factories import NGHE_AN

BARRIER_TIMEOUT = 10


def together(app, work, attempts: int) -> list:
    """Run work() in several threads released at once, each in its own session; return each result or error."""
    barrier = threading.Barrier(attempts)
    outcomes = [None] * attempts

    def attempt(number: int):
        with app.app_context():
            try:
                barrier.wait(BARRIER_TIMEOUT)
                outcomes[number] = work()
            except Exception as error:  # noqa: BLE001 - the test reports whatever went wrong
                outcomes[number] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


@pytest.fixture
def coordinator_id(app):
    with app.app_context():
        coordinator_id = factories.create_user("coordinator", province_code=NGHE_AN, email="dieu.phoi@race.vn").id
        db.session.remove()
    yield coordinator_id
    with app.app_context():
        for table in (AuditEvent, OutboxMessage, PasswordToken, ContactChange, Contact, User):
            db.session.execute(delete(table))
        db.session.commit()
        db.session.remove()


def test_one_invitation_sent_four_times_at_once_makes_one_account(app, coordinator_id):
    def invite():
        actor = db.session.get(User, coordinator_id)
        invitation = invite_user(actor, "cung.luc@nghean.gov.vn", "coordinator", NGHE_AN)
        return invitation.user.id, invitation.is_new

    outcomes = together(app, invite, 4)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert len({user_id for user_id, _new in outcomes}) == 1 and sum(new for _id, new in outcomes) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id)).where(User.email == "cung.luc@nghean.gov.vn")) == 1
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1


def test_two_coordinators_inviting_everyone_at_once_invite_each_person_once(app, coordinator_id):
    with app.app_context():
        communes = db.session.execute(select(Commune).where(Commune.province_code == NGHE_AN)
                                      .order_by(Commune.code).limit(6)).scalars().all()
        for number, commune in enumerate(communes, start=1):
            save_seat(None, Seat.of_commune(commune), factories.person(number), None)
        db.session.remove()

    def invite_everyone():
        return invite_registered_contacts(db.session.get(User, coordinator_id), NGHE_AN)

    outcomes = together(app, invite_everyone, 2)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(outcomes) == 6
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id)).where(User.role == "commune_admin")) == 6
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 6
