"""The dashboard's headline figures, the order of its bars, and its query count as data grows."""
import re

from sqlalchemy import select

from portal.reports import headlines, readiness
from portal.support.services import create_ticket
from portal.training import enrolment
from portal.training.services import save_session
from portal.units.models import Province
from tests import factories
from tests.conftest import count_statements


def test_the_headlines_count_provinces_communes_sessions_people_and_tickets(client, login_as, db, admin, trainer,
                                                                           make_session, commune_contacts):
    people = commune_contacts(3)
    held = save_session(admin, None, factories.session_input([trainer.id], day="2026-01-06"), past_confirmed=True)
    enrolment.enrol(admin, make_session(day="2026-01-27"), people)
    create_ticket(factories.create_user("coordinator"), 1, "Lỗi", "Mô tả", "normal")
    rows = readiness.national_readiness(select(Province))
    figures = headlines.headlines(rows, readiness.totals(rows))
    values = [(figure.value, figure.out_of) for figure in figures]
    assert values[0] == (0, 34)
    assert values[1][0] == 3 and values[1][1] == sum(row.communes for row in rows)
    assert held.id and values[2] == (1, 2) and values[3] == (0, 3) and values[4] == (1, None)
    login_as("viewer")
    page = client.get("/reports/").get_data(as_text=True)
    assert 'class="figures"' in page and "tỉnh đã đủ cán bộ đầu mối" in page and "/ 34" in page


def test_bars_put_the_weakest_province_first_and_sort_by_name_on_request(client, login_as, db, commune_contacts):
    commune_contacts(30)  # Nghệ An registers some communes, every other province none
    rows = readiness.national_readiness(select(Province))
    by_value = headlines.chart_rows(rows, "registration")
    assert by_value[-1][0] == "Nghệ An" and [value for _, value in by_value] == sorted(v for _, v in by_value)
    by_code = headlines.chart_rows(rows, "registration", "code")
    assert by_code[0][0].endswith("Hà Nội")
    login_as("admin")
    page = client.get("/reports/").get_data(as_text=True)
    labels = re.findall(r'<span class="bar-label">([^<]+)</span>', page)
    assert labels[33] == "Nghệ An" and 'font-size="9"' not in page
    named = re.findall(r'<span class="bar-label">([^<]+)</span>', client.get("/reports/?chart=name").get_data(as_text=True))
    assert named[0].endswith("An Giang")
    assert client.get("/reports/?chart=%27;drop").status_code == 200


def test_the_dashboard_with_headlines_keeps_a_constant_query_count(client, login_as, db, admin, make_session,
                                                                  commune_contacts):
    login_as("admin")
    with count_statements(db) as empty:
        assert client.get("/reports/").status_code == 200
    enrolment.enrol(admin, make_session(), commune_contacts(20))
    for number in range(5):
        create_ticket(factories.create_user("coordinator"), 1, f"Lỗi {number}", "Mô tả", "normal")
    with count_statements(db) as full:
        assert client.get("/reports/").status_code == 200
    assert len(full) == len(empty) <= 17  # 17: the panel of personal-data requests near their deadline
