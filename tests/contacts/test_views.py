"""The registration pages and the national table, as coordinators, commune administrators and the ministry use them."""
import re

from sqlalchemy import func, select

from portal.contacts.models import Contact
from portal.contacts.services import Seat
from portal.units.models import Commune, Province
from tests import factories
from tests.conftest import count_statements
from tests.factories import person
from tests.factories import HA_NOI, NGHE_AN


def form_data(number=1, version="", **overrides):
    return {**person(number, **overrides), "accept_notice": "y", "version": version}


def test_coordinator_registers_cadres_and_a_commune_administrator(client, login_as, db, department, commune):
    login_as("coordinator", province_code=NGHE_AN)
    for seat in (1, 2):
        response = client.post(f"/contacts/departments/{department.id}/seats/{seat}", data=form_data(seat))
        assert response.status_code == 302
    assert client.post(f"/contacts/communes/{commune.code}", data=form_data(3)).status_code == 302
    page = client.get(f"/contacts/provinces/{NGHE_AN}").get_data(as_text=True)
    assert "Nguyễn Văn Thử 1" in page and "Nguyễn Văn Thử 3" in page and "0900 000 003" in page
    assert "1/1" in page.replace(" ", "") or "Departments complete: 1/1" in page


def test_the_form_needs_the_notice_accepted_and_shows_errors_in_vietnamese(client, login_as, commune):
    login_as("coordinator", province_code=NGHE_AN)
    data = form_data(1, phone="12345", cccd="٠٠١٢٣٤٥٦٧٨٩٠")
    del data["accept_notice"]
    response = client.post(f"/contacts/communes/{commune.code}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="phone-error"' in page and 'id="cccd-error"' in page and 'id="accept_notice-error"' in page
    assert "12 chữ số" in page
    assert 'value="Nguyễn Văn Thử 1"' in page  # nothing typed is lost


def test_the_loser_of_a_race_keeps_what_they_typed(client, login_as, commune, register):
    login_as("coordinator", province_code=NGHE_AN)
    client.get(f"/contacts/communes/{commune.code}")  # the form was opened on an empty seat...
    register(Seat.of_commune(commune), 1)  # ...then someone else registered first
    response = client.post(f"/contacts/communes/{commune.code}", data=form_data(2))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Nguyễn Văn Thử 2"' in page and "Nguyễn Văn Thử 1" in page


def test_a_stale_edit_is_refused_in_the_browser(client, login_as, db, commune, register):
    contact = register(Seat.of_commune(commune), 1)
    opened = str(contact.version)
    login_as("coordinator", province_code=NGHE_AN)
    assert client.post(f"/contacts/communes/{commune.code}", data=form_data(1, opened, position="A")).status_code == 302
    response = client.post(f"/contacts/communes/{commune.code}", data=form_data(1, opened, position="B"))
    assert response.status_code == 422
    db.session.refresh(contact)
    assert contact.position == "A"


def test_commune_admin_keeps_only_their_own_commune(client, login_as, db):
    user = login_as("commune_admin")
    own = db.session.get(Commune, user.commune_code)
    neighbour = db.session.execute(
        select(Commune).where(Commune.province_code == NGHE_AN, Commune.code != own.code).limit(1)
    ).scalar_one()
    assert client.get("/contacts/").location.endswith(f"/contacts/communes/{own.code}")
    assert client.post(f"/contacts/communes/{own.code}", data=form_data(1)).status_code == 302
    assert client.get(f"/contacts/communes/{neighbour.code}").status_code == 404
    assert client.get(f"/contacts/provinces/{NGHE_AN}").status_code == 403


def test_coordinators_cannot_reach_another_province(client, login_as, db):
    login_as("coordinator", province_code=NGHE_AN)
    hanoi_commune = factories.first_commune(HA_NOI)
    department = db.session.get(Province, HA_NOI).departments[0]
    assert client.get(f"/contacts/communes/{hanoi_commune.code}").status_code == 404
    assert client.post(f"/contacts/communes/{hanoi_commune.code}", data=form_data(1)).status_code == 404
    assert client.get(f"/contacts/departments/{department.id}/seats/1").status_code == 404
    assert client.get(f"/contacts/provinces/{HA_NOI}").status_code == 404
    assert client.get(f"/contacts/export.xlsx?province={HA_NOI}").status_code == 200  # forced to their own province
    assert db.session.scalar(select(func.count(Contact.id))) == 0


def test_viewers_see_progress_with_masked_details(client, login_as, commune, register):
    register(Seat.of_commune(commune), 1, phone="0912345678", email="rieng.tu@xa.gov.vn")
    login_as("viewer")
    page = client.get(f"/contacts/provinces/{NGHE_AN}").get_data(as_text=True)
    assert "0912 *** 678" in page and "r***@xa.gov.vn" in page
    assert "0912 345 678" not in page and "rieng.tu@xa.gov.vn" not in page
    assert client.post(f"/contacts/communes/{commune.code}", data=form_data(2)).status_code == 403


def test_national_table_agrees_with_the_database(client, login_as, db, department, register):
    communes = db.session.execute(select(Commune).where(Commune.province_code == NGHE_AN).limit(5)).scalars().all()
    for number, commune in enumerate(communes, start=1):
        register(Seat.of_commune(commune), number)
    register(Seat.of_department(department, 1), 10)
    register(Seat.of_department(department, 2), 11)
    login_as("admin")
    page = client.get("/contacts/").get_data(as_text=True)
    row = re.search(r"Nghệ An</a></td>(.*?)</tr>", page, re.S).group(1)
    assert "1/1" in row and "5/130" in row and re.search(r'<td class="num"[^>]*>7</td>', row)  # every entry is late by now
    total = re.search(r"<tfoot>(.*?)</tfoot>", page, re.S).group(1)
    assert "1/34" in total and "5/3.321" in total


def test_national_table_costs_the_same_queries_with_or_without_data(client, login_as, db, register):
    login_as("admin")
    with count_statements(db) as empty:
        assert client.get("/contacts/?sort=communes&order=desc").status_code == 200
    communes = db.session.execute(select(Commune).limit(200)).scalars().all()
    for number, commune in enumerate(communes, start=1):
        register(Seat.of_commune(commune), number)
    with count_statements(db) as full:
        assert client.get("/contacts/?sort=communes&order=desc").status_code == 200
    assert len(full) == len(empty) <= 6


def test_province_page_costs_a_constant_number_of_queries(client, login_as, db, register, count_queries):
    communes = db.session.execute(select(Commune).where(Commune.province_code == NGHE_AN).limit(60)).scalars().all()
    for number, commune in enumerate(communes, start=1):
        register(Seat.of_commune(commune), number)
    login_as("coordinator", province_code=NGHE_AN)
    with count_queries() as first:
        assert client.get(f"/contacts/provinces/{NGHE_AN}?page=1").status_code == 200
    with count_queries() as second:
        assert client.get(f"/contacts/provinces/{NGHE_AN}?page=2").status_code == 200
    assert len(first) == len(second) <= 10


def test_admin_edits_the_duties_shown_on_registration_pages(client, login_as, commune):
    login_as("admin")
    response = client.post("/contacts/duties", data={"department": "Phối hợp với Bộ.", "commune": "Cấp quyền cho cán bộ xã."})
    assert response.status_code == 302
    assert "Cấp quyền cho cán bộ xã." in client.get(f"/contacts/communes/{commune.code}").get_data(as_text=True)


def test_admin_reveals_a_cccd_with_a_reason_and_it_is_logged(client, login_as, commune, register):
    contact = register(Seat.of_commune(commune), 1, cccd="001234567890")
    login_as("admin")
    page = client.get(f"/contacts/communes/{commune.code}").get_data(as_text=True)
    assert "********7890" in page and "001234567890" not in page
    page = client.post(f"/contacts/entries/{contact.id}/cccd", data={"reason": "cấp tài khoản"}).get_data(as_text=True)
    assert "001234567890" in page


def test_the_edit_form_shows_the_phone_the_vietnamese_way(client, login_as, commune, register):
    register(Seat.of_commune(commune), 1, phone="+84 912 345 678")
    login_as("coordinator", province_code=NGHE_AN)
    page = client.get(f"/contacts/communes/{commune.code}").get_data(as_text=True)
    assert 'value="0912 345 678"' in page and 'value="+84912345678"' not in page
