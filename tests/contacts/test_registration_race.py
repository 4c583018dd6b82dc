"""A registration sent twice (a double click, a retry after a timeout) is one entry and a saved page.

"At the same moment" is played out inside one transaction: the first look at the seat is made to miss the
other request's row, as it does when both requests look before either commits, so the insert meets the
unique constraint and the savepoint answers with the row that won.
"""
import pytest
from sqlalchemy import func, select

from portal.contacts import services
from portal.contacts.models import Contact, ContactChange
from portal.contacts.services import ContactConflict, Seat, save_seat
from tests.contacts.test_views import form_data
from tests.factories import NGHE_AN, person


def entries(db, commune) -> tuple[int, int]:
    contacts = db.session.scalar(select(func.count(Contact.id)).where(Contact.commune_code == commune.code))
    history = db.session.scalar(select(func.count(ContactChange.id)))
    return contacts, history


@pytest.fixture
def miss_next_look(monkeypatch):
    """After miss_next_look(), the next look at a seat finds it empty, as if the other request had not
    committed yet; returns the list of looks made since."""
    real, looks = services.seat_contact, []

    def seat_contact(seat):
        looks.append(seat)
        return None if len(looks) == 1 else real(seat)

    def arm() -> list:
        monkeypatch.setattr(services, "seat_contact", seat_contact)
        return looks

    return arm


def test_the_same_registration_twice_is_one_entry_with_one_history_line(db, commune):
    seat = Seat.of_commune(commune)
    first = save_seat(None, seat, person(1), None)
    again = save_seat(None, seat, person(1), None)
    assert again.id == first.id and again.version == first.version
    assert entries(db, commune) == (1, 1)


def test_a_double_click_that_meets_the_constraint_gets_the_winner(db, commune, miss_next_look):
    seat = Seat.of_commune(commune)
    winner = save_seat(None, seat, person(1), None)
    looks = miss_next_look()
    assert save_seat(None, seat, person(1), None).id == winner.id
    assert len(looks) == 2  # the insert was tried, clashed, and the winner was loaded
    assert entries(db, commune) == (1, 1)


def test_someone_else_at_the_same_moment_is_still_a_conflict(db, commune, miss_next_look):
    seat = Seat.of_commune(commune)
    save_seat(None, seat, person(1), None)
    miss_next_look()
    with pytest.raises(ContactConflict):
        save_seat(None, seat, person(2), None)


def test_a_registration_form_sent_twice_shows_the_saved_entry_both_times(client, login_as, db, commune):
    login_as("coordinator", province_code=NGHE_AN)
    for _ in range(2):
        response = client.post(f"/contacts/communes/{commune.code}", data=form_data(1))
        assert response.status_code == 302
        assert "Đã lưu thông tin." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert entries(db, commune) == (1, 1)


def test_an_edit_sent_twice_is_saved_once(client, login_as, db, commune, register):
    opened = str(register(Seat.of_commune(commune), 1).version)
    login_as("coordinator", province_code=NGHE_AN)
    for _ in range(2):
        response = client.post(f"/contacts/communes/{commune.code}", data=form_data(1, opened, position="Phó"))
        assert response.status_code == 302
    contact = db.session.execute(select(Contact).where(Contact.commune_code == commune.code)).scalar_one()
    assert contact.position == "Phó" and contact.version == int(opened) + 1
    assert entries(db, commune) == (1, 2)
