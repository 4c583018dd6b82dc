"""Removing a registered person asks first, on a page that names them and the sessions they leave."""
import re

from sqlalchemy import func, select

from portal.contacts.models import Contact, ContactChange
from portal.contacts.services import Seat, save_seat
from portal.mail.models import OutboxMessage
from portal.training import enrolment
from portal.training.models import Enrolment
from tests.factories import NGHE_AN, person


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def test_the_seat_page_links_to_a_confirmation_instead_of_removing(client, login_as, commune, register):
    contact = register(Seat.of_commune(commune), 1)
    login_as("coordinator", province_code=NGHE_AN)
    page = client.get(f"/contacts/communes/{commune.code}").get_data(as_text=True)
    assert f'href="/contacts/entries/{contact.id}/remove"' in page
    assert f'action="/contacts/entries/{contact.id}/remove"' not in page
    words = text_of(client.get(f"/contacts/entries/{contact.id}/remove"))
    assert "Xóa thông tin của Nguyễn Văn Thử 1?" in words
    assert f"Vị trí của {commune.name} trở thành trống" in words
    assert "không ghi danh buổi nào sắp tới. Không ai nhận email" in words


def contacts(db) -> int:
    return db.session.scalar(select(func.count(Contact.id)))


def test_a_removal_without_the_confirmation_page_removes_nothing(client, login_as, db, commune, register):
    contact = register(Seat.of_commune(commune), 1)
    login_as("coordinator", province_code=NGHE_AN)
    response = client.post(f"/contacts/entries/{contact.id}/remove", data={"version": str(contact.version)})
    assert response.status_code == 422 and contacts(db) == 1
    response = client.post(f"/contacts/entries/{contact.id}/remove",
                           data={"version": str(contact.version), "confirmed": "yes"})
    assert response.status_code == 302 and contacts(db) == 0
    change = db.session.execute(select(ContactChange).order_by(ContactChange.id.desc())).scalars().first()
    assert change.action == "remove"


def test_a_stale_confirmation_page_is_refused(client, login_as, db, commune, register):
    contact = register(Seat.of_commune(commune), 1)
    login_as("coordinator", province_code=NGHE_AN)
    client.get(f"/contacts/entries/{contact.id}/remove")
    opened = contact.version
    save_seat(None, Seat.of_commune(commune), person(1, position="Phó chủ tịch"), opened)  # edited meanwhile
    response = client.post(f"/contacts/entries/{contact.id}/remove",
                           data={"version": str(opened), "confirmed": "yes"}, follow_redirects=True)
    assert contacts(db) == 1 and 'class="flash error"' in response.get_data(as_text=True)


def test_removing_an_enrolled_person_withdraws_them_and_passes_the_seat_on(
        client, login_as, db, admin, make_session, commune_contacts):
    session = make_session(capacity=1, title="Tập huấn xã đợt 1")
    leaving, waiting = commune_contacts(2)
    enrolment.enrol(admin, session, [leaving, waiting])
    login_as("coordinator", province_code=NGHE_AN)
    words = text_of(client.get(f"/contacts/entries/{leaving.id}/remove"))
    assert f"{leaving.full_name} được rút khỏi 1 buổi sắp tới và nhận email hủy lịch" in words
    assert "Tập huấn xã đợt 1 · 20/01/2026 08:00" in words
    before = db.session.execute(select(OutboxMessage.id)).scalars().all()
    leaving_email, waiting_id, waiting_email = leaving.email, waiting.id, waiting.email
    response = client.post(f"/contacts/entries/{leaving.id}/remove",
                           data={"version": str(leaving.version), "confirmed": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.execute(select(Enrolment.contact_id, Enrolment.status)).all() == [(waiting_id, "enrolled")]
    assert session.enrolled == 1
    sent = db.session.execute(select(OutboxMessage.recipient, OutboxMessage.calendar_method)
                              .where(OutboxMessage.id.not_in(before)).order_by(OutboxMessage.id)).all()
    assert sent == [(leaving_email, "CANCEL"), (waiting_email, "REQUEST")]
