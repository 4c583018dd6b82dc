"""Two people submit at the same moment for one seat: one row, and a clear refusal for the other.

These tests use real, separate connections (not the rolled-back test transaction) and clean up after.
"""
import threading

import pytest
from sqlalchemy import delete, func, select

from portal.contacts.models import Contact, ContactChange
from portal.contacts.services import ContactConflict, Seat, save_seat
from portal.core.extensions import db
from portal.units.models import Commune, Province
from tests.factories import person

BARRIER_TIMEOUT = 10


def submit_together(app, seat: Seat, attempts: int) -> list:
    """Run save_seat for the same seat in several threads released at once; return each outcome."""
    barrier = threading.Barrier(attempts)
    outcomes = [None] * attempts

    def attempt(number: int):
        with app.app_context():
            try:
                barrier.wait(BARRIER_TIMEOUT)
                save_seat(None, seat, person(100 + number), None)
                outcomes[number] = "saved"
            except ContactConflict:
                outcomes[number] = "refused"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


@pytest.fixture
def clean_contacts(app):
    yield
    with app.app_context():
        db.session.execute(delete(ContactChange))
        db.session.execute(delete(Contact))
        db.session.commit()
        db.session.remove()


def test_concurrent_registrations_for_one_commune_leave_one_row(app, clean_contacts):
    with app.app_context():
        code = db.session.execute(select(Commune.code).where(Commune.province_code == 40).limit(1)).scalar_one()
        seat = Seat("commune", 40, commune_code=code)
        db.session.remove()
    outcomes = submit_together(app, seat, 4)
    assert sorted(outcomes) == ["refused", "refused", "refused", "saved"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Contact.id)).where(Contact.commune_code == code)) == 1


def test_concurrent_registrations_cannot_create_a_third_cadre(app, clean_contacts):
    with app.app_context():
        department = db.session.get(Province, 40).departments[0]
        seats = [Seat.of_department(department, 1), Seat.of_department(department, 2)]
        db.session.remove()
    outcomes = submit_together(app, seats[1], 3)
    assert outcomes.count("saved") == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(Contact.id)).where(Contact.kind == "department")) == 1
