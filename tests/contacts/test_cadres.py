"""A Sở's two cadres edited on one page, and "save and go to the next unit not registered"."""
from sqlalchemy import func, select

from portal.contacts import progress
from portal.contacts.models import Contact, ContactChange
from portal.contacts.services import Seat
from portal.units.models import Commune
from tests import factories
from tests.factories import NGHE_AN


def cadre_data(seat: int, number: int, version: str = "", **overrides) -> dict:
    values = {**factories.person(number), "accept_notice": "y", "version": version, **overrides}
    return {f"seat{seat}-{name}": value for name, value in values.items()}


def untouched(seat: int) -> dict:
    return {f"seat{seat}-{name}": "" for name in ("full_name", "position", "unit_name", "phone", "email", "cccd")}


def cadres(db, department) -> dict[int, Contact]:
    rows = db.session.execute(select(Contact).where(Contact.department_id == department.id)).scalars()
    return {contact.seat: contact for contact in rows}


def communes_in_order(db) -> list[Commune]:
    return db.session.execute(select(Commune).where(Commune.province_code == NGHE_AN)
                              .order_by(Commune.sort_key, Commune.code)).scalars().all()


def test_both_cadres_are_saved_from_one_page(client, login_as, db, department):
    login_as("coordinator", province_code=NGHE_AN)
    page = client.get(f"/contacts/departments/{department.id}").get_data(as_text=True)
    assert 'name="seat1-full_name"' in page and 'name="seat2-full_name"' in page
    assert "Lưu và sang đơn vị tiếp theo chưa đăng ký" in page
    response = client.post(f"/contacts/departments/{department.id}", data={**cadre_data(1, 1), **cadre_data(2, 2)})
    assert response.status_code == 302
    held = cadres(db, department)
    assert held[1].full_name == "Nguyễn Văn Thử 1" and held[2].full_name == "Nguyễn Văn Thử 2"


def test_an_error_in_one_cadre_saves_neither(client, login_as, db, department):
    login_as("coordinator", province_code=NGHE_AN)
    response = client.post(f"/contacts/departments/{department.id}",
                           data={**cadre_data(1, 1), **cadre_data(2, 2, phone="12345")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="seat2-phone-error"' in page and 'value="Nguyễn Văn Thử 1"' in page
    assert cadres(db, department) == {}


def test_a_refusal_while_writing_the_second_cadre_rolls_back_the_first(client, login_as, db, department, register):
    login_as("coordinator", province_code=NGHE_AN)
    page_opened_on_empty_seats = {**cadre_data(1, 1), **cadre_data(2, 2)}
    register(Seat.of_department(department, 2), 7, full_name="Người Đăng Ký Trước")  # someone else, meanwhile
    response = client.post(f"/contacts/departments/{department.id}", data=page_opened_on_empty_seats)
    assert response.status_code == 422 and "người khác đã đăng ký vị trí này" in response.get_data(as_text=True)
    held = cadres(db, department)
    assert list(held) == [2] and held[2].full_name == "Người Đăng Ký Trước"


def test_an_unchanged_cadre_is_left_alone_and_needs_no_new_agreement(client, login_as, db, department, register):
    first = register(Seat.of_department(department, 1), 1)
    login_as("coordinator", province_code=NGHE_AN)
    unchanged = cadre_data(1, 1, version=str(first.version), phone="09 0000 0001", accept_notice="")
    response = client.post(f"/contacts/departments/{department.id}", data={**unchanged, **cadre_data(2, 2)})
    assert response.status_code == 302
    held = cadres(db, department)
    assert held[1].version == first.version and held[2].full_name == "Nguyễn Văn Thử 2"
    assert db.session.scalar(select(func.count(ContactChange.id))
                             .where(ContactChange.seat_key == Seat.of_department(department, 1).key)) == 1


def test_a_viewer_sees_both_cadres_masked_and_cannot_post(client, login_as, db, department, register):
    register(Seat.of_department(department, 1), 1, email="mot@so.vn")
    login_as("viewer")
    page = client.get(f"/contacts/departments/{department.id}").get_data(as_text=True)
    assert "m***@so.vn" in page and "mot@so.vn" not in page and 'name="seat1-full_name"' not in page
    assert client.post(f"/contacts/departments/{department.id}", data=cadre_data(2, 2)).status_code == 403


def test_save_and_next_goes_from_the_department_to_the_first_commune_without_an_administrator(
        client, login_as, db, department, register):
    communes = communes_in_order(db)
    register(Seat.of_commune(communes[0]), 5)
    login_as("coordinator", province_code=NGHE_AN)
    response = client.post(f"/contacts/departments/{department.id}",
                           data={**cadre_data(1, 1), **cadre_data(2, 2), "next": "1"})
    assert response.location.endswith(f"/contacts/communes/{communes[1].code}")


def test_save_and_next_on_a_commune_skips_the_registered_ones_and_goes_round(
        client, login_as, db, department, register):
    communes = communes_in_order(db)
    register(Seat.of_commune(communes[3]), 5)
    login_as("coordinator", province_code=NGHE_AN)
    data = {**factories.person(1), "accept_notice": "y", "version": "", "next": "1"}
    response = client.post(f"/contacts/communes/{communes[2].code}", data=data)
    assert response.location.endswith(f"/contacts/communes/{communes[4].code}")
    # From the last commune the way goes round to the Sở, whose seats are still empty.
    assert progress.next_unregistered(NGHE_AN, communes[-1]) == department


def test_when_every_other_unit_is_registered_the_province_page_says_so(client, login_as, db, department,
                                                                          commune_contacts, register):
    communes = communes_in_order(db)
    register(Seat.of_department(department, 1), 9001)
    register(Seat.of_department(department, 2), 9002)
    commune_contacts(len(communes))
    assert progress.next_unregistered(NGHE_AN, department) is None
    login_as("coordinator", province_code=NGHE_AN)
    holder = db.session.execute(select(Contact).where(Contact.commune_code == communes[0].code)).scalar_one()
    data = {**factories.person(1), "accept_notice": "y", "version": str(holder.version), "next": "1"}
    response = client.post(f"/contacts/communes/{communes[0].code}", data=data, follow_redirects=True)
    assert "Mọi đơn vị khác của tỉnh đã đăng ký." in response.get_data(as_text=True)


def test_a_commune_administrator_is_offered_no_way_to_other_units(client, login_as, db):
    user = login_as("commune_admin")
    page = client.get(f"/contacts/communes/{user.commune_code}").get_data(as_text=True)
    assert "Lưu và sang đơn vị tiếp theo chưa đăng ký" not in page
    data = {**factories.person(1), "accept_notice": "y", "version": "", "next": "1"}
    response = client.post(f"/contacts/communes/{user.commune_code}", data=data)
    assert response.location.endswith(f"/contacts/communes/{user.commune_code}")
