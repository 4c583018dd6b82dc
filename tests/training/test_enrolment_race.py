"""The same enrolment sent twice at the same moment (a double click, a retry) is one row and a clear page.

Each request is a real one: its own test client, its own app context and database session, committed on the
real database (SQLite, or PostgreSQL under TEST_DATABASE_URL); the rows are deleted afterwards.
"""
import threading
from datetime import datetime

import pytest
from sqlalchemy import delete, func, select

from portal.auth.models import User
from portal.contacts.models import Contact, ContactChange
from portal.contacts.services import Seat, save_seat
from portal.core.extensions import db
from portal.mail.models import OutboxMessage
from portal.training import enrolment
from portal.training.models import Enrolment, TrainingSession
from portal.training.services import SessionInput, save_session
from portal.units.models import Commune
from tests.conftest import start_session
from tests.factories import NGHE_AN, create_user, person

BARRIER_TIMEOUT = 30
ALREADY_ENROLLED = "Bạn đã ghi danh buổi này."


@pytest.fixture
def race_rows(app):
    """Delete what the concurrent requests committed."""
    yield
    with app.app_context():
        for model in (Enrolment, TrainingSession, OutboxMessage, ContactChange, Contact):
            db.session.execute(delete(model))
        db.session.execute(delete(User).where(User.email.like("race.%")))
        db.session.commit()
        db.session.remove()


def session_with_commune_admins(app, people: int, capacity: int) -> tuple[int, list[int]]:
    """A future session for Nghệ An's communes and `people` registered commune administrators with accounts;
    returns (session id, user ids)."""
    with app.app_context():
        admin = create_user("admin", email="race.admin@test.vn")
        trainer = create_user("trainer", email="race.trainer@test.vn")
        found = save_session(admin, None, SessionInput(
            title="Hai lần bấm", audience="commune", mode="online", meeting_url="https://hop.vn/2",
            starts_at=datetime(2030, 1, 15, 8), ends_at=datetime(2030, 1, 15, 11), capacity=capacity,
            province_codes=[NGHE_AN], trainer_ids=[trainer.id]))
        communes = db.session.execute(select(Commune).where(Commune.province_code == NGHE_AN)
                                      .order_by(Commune.code).limit(people)).scalars().all()
        users = []
        for number, commune in enumerate(communes):
            save_seat(None, Seat.of_commune(commune), person(700 + number), None)
            users.append(create_user("commune_admin", commune_code=commune.code, email=f"race.xa{number}@test.vn").id)
        ids = found.id, users
        db.session.remove()
        return ids


def signed_in_clients(app, user_ids: list[int], clicks: int) -> list:
    """`clicks` test clients per user, each signed in as that user (one browser tab per click)."""
    clients = []
    with app.app_context():
        for user_id in user_ids:
            user = db.session.get(User, user_id)
            for _ in range(clicks):
                client = app.test_client()
                start_session(client, user)
                clients.append((client, user.commune_code))
        db.session.remove()
    return clients


def own_contact_ids(app, clients) -> dict[int, int]:
    with app.app_context():
        ids = dict(db.session.execute(select(Contact.commune_code, Contact.id)).all())
        db.session.remove()
    return ids


def enrol_at_once(app, session_id: int, clients) -> list:
    """Every client posts its enrolment at the same moment; returns (status, page after the redirect) each."""
    contacts = own_contact_ids(app, clients)
    barrier = threading.Barrier(len(clients))
    answers = [None] * len(clients)

    def click(number: int):
        client, commune_code = clients[number]
        barrier.wait(BARRIER_TIMEOUT)
        response = client.post(f"/training/sessions/{session_id}/enrol",
                               data={"contact_ids": str(contacts[commune_code])})
        page = client.get(response.headers["Location"]).get_data(as_text=True) if response.status_code == 302 else ""
        answers[number] = (response.status_code, page)

    threads = [threading.Thread(target=click, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return answers


def statuses(app, session_id: int) -> tuple[list[str], int]:
    with app.app_context():
        found = db.session.execute(select(Enrolment.status).where(Enrolment.session_id == session_id)).scalars().all()
        counter = db.session.get(TrainingSession, session_id).enrolled
        db.session.remove()
    return sorted(found), counter


def test_a_double_click_on_enrol_is_one_enrolment_and_two_clear_pages(app, race_rows):
    session_id, users = session_with_commune_admins(app, 1, capacity=30)
    answers = enrol_at_once(app, session_id, signed_in_clients(app, users, clicks=2))
    assert [status for status, _ in answers] == [302, 302]
    assert statuses(app, session_id) == (["enrolled"], 1)
    pages = [page for _, page in answers]
    # One click took the seat; the other is told the person is in, in the style of information.
    assert sum('class="flash success"' in page for page in pages) == 1
    assert sum(f'class="flash info" role="status">{ALREADY_ENROLLED}' in page for page in pages) == 1


def test_fifty_people_clicking_twice_into_thirty_seats(app, race_rows):
    session_id, users = session_with_commune_admins(app, 50, capacity=30)
    answers = enrol_at_once(app, session_id, signed_in_clients(app, users, clicks=2))
    assert sorted({status for status, _ in answers}) == [302]
    found, counter = statuses(app, session_id)
    assert (found.count("enrolled"), found.count("waiting"), counter) == (30, 20, 30)
    assert sum(ALREADY_ENROLLED in page for _, page in answers) == 50


def test_enrol_all_sent_twice_by_a_coordinator(app, race_rows):
    """Bulk enrolment: the second "all" finds everyone in (or meets each insert of the first), takes no seat."""
    session_id, _users = session_with_commune_admins(app, 40, capacity=30)
    with app.app_context():
        coordinator = create_user("coordinator", province_code=NGHE_AN, email="race.tinh@test.vn")
        clients = [app.test_client() for _ in range(2)]
        for client in clients:
            start_session(client, coordinator)
        db.session.remove()
    barrier, answers = threading.Barrier(2), [None, None]

    def click(number: int):
        barrier.wait(BARRIER_TIMEOUT)
        client = clients[number]
        response = client.post(f"/training/sessions/{session_id}/enrol", data={"all": "1"})
        answers[number] = (response.status_code, client.get(response.headers["Location"]).get_data(as_text=True))

    threads = [threading.Thread(target=click, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert [status for status, _ in answers] == [302, 302]
    found, counter = statuses(app, session_id)
    assert (found.count("enrolled"), found.count("waiting"), counter) == (30, 10, 30)
    assert sum("40 người được chọn đã ghi danh buổi này từ trước." in page for _, page in answers) == 1


@pytest.fixture
def postgresql_only(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite lets one writing request in at a time (BEGIN IMMEDIATE), so two requests cannot both "
                    "be inside the enrolment at once: the interleaving this test forces would wait for itself.")


def test_both_requests_past_the_check_before_either_commits(app, race_rows, postgresql_only, monkeypatch):
    """The interleaving that answered 500: both requests have found the person not yet enrolled, then both
    insert. Held at a barrier just before taking the seat, they always meet it."""
    session_id, users = session_with_commune_admins(app, 1, capacity=1)
    both_checked = threading.Barrier(2)
    take_seat = enrolment.take_seat

    def take_seat_once_both_checked(session):
        both_checked.wait(BARRIER_TIMEOUT)
        return take_seat(session)

    monkeypatch.setattr(enrolment, "take_seat", take_seat_once_both_checked)
    answers = enrol_at_once(app, session_id, signed_in_clients(app, users, clicks=2))
    assert [status for status, _ in answers] == [302, 302]
    # The loser's seat went back with its insert: one seat taken, the counter says so, nobody waiting.
    assert statuses(app, session_id) == (["enrolled"], 1)
    assert sum(ALREADY_ENROLLED in page for _, page in answers) == 1
