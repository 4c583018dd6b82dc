"""The last seat of a session cannot be taken twice, even by simultaneous requests (real connections)."""
import threading
from datetime import datetime

from sqlalchemy import delete, select

from portal.mail.models import OutboxMessage

from portal.auth.models import User
from portal.contacts.models import Contact, ContactChange
from portal.contacts.services import Seat, save_seat
from portal.core.extensions import db
from portal.training import enrolment
from portal.training.models import Enrolment, TrainingSession
from portal.training.services import SessionInput, save_session
from portal.units.models import Commune
from tests.factories import person


def setup_session_and_contacts(app, people: int) -> tuple[int, list[int]]:
    with app.app_context():
        admin = User(email="race.admin@test.vn", role="admin")
        trainer = User(email="race.trainer@test.vn", role="trainer")
        db.session.add_all([admin, trainer])
        db.session.commit()
        session = save_session(admin, None, SessionInput(
            title="Ghế cuối", audience="commune", mode="online", meeting_url="https://hop.vn/1",
            starts_at=datetime(2026, 1, 21, 8), ends_at=datetime(2026, 1, 21, 11), capacity=1,
            province_codes=[40], trainer_ids=[trainer.id]))
        communes = db.session.execute(select(Commune).where(Commune.province_code == 40).limit(people)).scalars()
        contacts = [save_seat(None, Seat.of_commune(c), person(900 + n), None).id for n, c in enumerate(communes)]
        ids = session.id, contacts
        db.session.remove()
        return ids


def test_simultaneous_enrolments_take_the_last_seat_once(app):
    session_id, contact_ids = setup_session_and_contacts(app, 4)
    barrier = threading.Barrier(len(contact_ids))

    def enrol_one(contact_id: int):
        with app.app_context():
            session = db.session.get(TrainingSession, session_id)
            contact = db.session.get(Contact, contact_id)
            db.session.rollback()  # end the read: outside a request SQLite transactions take the write lock
            barrier.wait(10)
            enrolment.enrol(None, session, [contact])
            db.session.remove()

    threads = [threading.Thread(target=enrol_one, args=(cid,)) for cid in contact_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    try:
        with app.app_context():
            statuses = db.session.execute(select(Enrolment.status).where(Enrolment.session_id == session_id)).scalars()
            assert sorted(statuses) == ["enrolled", "waiting", "waiting", "waiting"]
            assert db.session.get(TrainingSession, session_id).enrolled == 1
    finally:
        with app.app_context():
            for model in (Enrolment, TrainingSession, ContactChange, Contact, OutboxMessage):
                db.session.execute(delete(model))
            db.session.execute(delete(User).where(User.email.like("race.%")))
            db.session.commit()
            db.session.remove()
