"""The backlog pages as each role: who sees which province, who records, bad input, and the query count."""
from datetime import date

from sqlalchemy import select

from portal.backlog import services
from portal.backlog.models import BacklogReport
from portal.units.models import Province
from tests import factories
from tests.conftest import count_statements
from tests.factories import HA_NOI, NGHE_AN


def figures(db) -> list[tuple]:
    return db.session.execute(select(BacklogReport.province_code, BacklogReport.commune_code, BacklogReport.as_of,
                                     BacklogReport.dossiers).order_by(BacklogReport.id)).all()


def test_a_coordinator_records_their_province_and_a_commune_of_it(client, login_as, db):
    coordinator = login_as("coordinator")
    assert client.get("/backlog/").location.endswith(f"/backlog/{NGHE_AN}")
    page = client.get(f"/backlog/{NGHE_AN}").get_data(as_text=True)
    assert 'name="dossiers"' in page and 'value="2026-01-12"' in page and 'colspan="5"' in page
    commune = factories.first_commune(NGHE_AN)
    response = client.post(f"/backlog/{NGHE_AN}", data={"as_of": "2026-01-09", "dossiers": "13", "note": "Thiếu tài khoản"})
    assert response.status_code == 302
    client.post(f"/backlog/{NGHE_AN}", data={"as_of": "2026-01-10", "dossiers": "4", "commune_code": str(commune.code)})
    assert figures(db) == [(NGHE_AN, None, date(2026, 1, 9), 13), (NGHE_AN, commune.code, date(2026, 1, 10), 4)]
    assert {row.recorded_by_id for row in db.session.execute(select(BacklogReport)).scalars()} == {coordinator.id}
    page = client.get(f"/backlog/{NGHE_AN}").get_data(as_text=True)
    assert "Thiếu tài khoản" in page and commune.name in page and "10/01/2026" in page and "▼" in page


def test_another_provinces_coordinator_and_the_other_roles(client, login_as, db):
    login_as("coordinator")
    assert client.get(f"/backlog/{HA_NOI}").status_code == 404
    assert client.post(f"/backlog/{HA_NOI}", data={"as_of": "2026-01-09", "dossiers": "1"}).status_code == 404
    login_as("viewer")
    page = client.get(f"/backlog/{NGHE_AN}").get_data(as_text=True)
    assert 'name="dossiers"' not in page
    assert client.post(f"/backlog/{NGHE_AN}", data={"as_of": "2026-01-09", "dossiers": "1"}).status_code == 302
    for role in ("trainer", "agent", "commune_admin"):
        login_as(role)
        assert client.get("/backlog/").status_code == 403 and client.get(f"/backlog/{NGHE_AN}").status_code == 403
    client.delete_cookie("session")
    assert client.get("/backlog/").status_code == 302
    assert figures(db) == []


def test_bad_input_is_a_message_beside_its_field_and_writes_nothing(client, login_as, db):
    login_as("admin")
    for data, field in (
        ({"as_of": "2026-01-09", "dossiers": "-3"}, "dossiers"),
        ({"as_of": "2026-01-09", "dossiers": "١٢"}, "dossiers"),
        ({"as_of": "2026-01-09", "dossiers": "99999999999999999999999"}, "dossiers"),
        ({"as_of": "2026-02-01", "dossiers": "3"}, "as_of"),  # after the tests' today, 12/01/2026
        ({"as_of": "2025-11-30", "dossiers": "3"}, "as_of"),
        ({"as_of": "hôm qua", "dossiers": "3"}, "as_of"),
        ({"as_of": "2026-01-09", "dossiers": "3", "commune_code": str(factories.first_commune(HA_NOI).code)},
         "commune_code"),
    ):
        response = client.post(f"/backlog/{NGHE_AN}", data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and f'id="{field}-error" class="error">' in page, data
        assert page.count('class="error">') == 1, data
    assert figures(db) == []
    assert client.get("/backlog/99999999999999999999").status_code == 404
    assert client.get(f"/backlog/{NGHE_AN}?page=abc").status_code == 200


def test_the_overview_shows_each_provinces_latest_figure_and_change(client, login_as, db, admin):
    services.record(admin, HA_NOI, date(2026, 1, 2), 250)
    services.record(admin, HA_NOI, date(2026, 1, 9), 270)
    services.record(admin, NGHE_AN, date(2026, 1, 9), 13)
    login_as("viewer")
    page = client.get("/backlog/").get_data(as_text=True)
    cells = {name: row for name, row in (
        (chunk.split("</a>")[0].rsplit(">", 1)[-1], chunk) for chunk in page.split('<td class="card-title">')[1:])}
    ha_noi, nghe_an = (cells[db.session.get(Province, code).name] for code in (HA_NOI, NGHE_AN))
    assert "270" in ha_noi and "+20" in ha_noi and "09/01/2026" in ha_noi and "02/01/2026" not in page
    assert ">13<" in nghe_an and "09/01/2026" in nghe_an and "+" not in nghe_an and len(cells) == 34
    summary = page.split('<p class="summary">')[1].split("</p>")[0]
    assert "283" in summary and " 2 " in summary


def test_the_overview_costs_the_same_queries_with_34_provinces_reporting(client, login_as, db, admin):
    login_as("admin")
    with count_statements(db) as empty:
        assert client.get("/backlog/").status_code == 200
    for province in db.session.execute(select(Province)).scalars():
        services.record(admin, province.code, date(2026, 1, 2), province.code)
        services.record(admin, province.code, date(2026, 1, 9), province.code + 1)
    with count_statements(db) as full:
        page = client.get("/backlog/").get_data(as_text=True)
    assert page.count("+1") == 34
    assert len(full) == len(empty) <= 6


def test_the_history_is_paginated_in_constant_queries(client, login_as, db, admin, app):
    login_as("coordinator")
    with count_statements(db) as few:
        client.get(f"/backlog/{NGHE_AN}")
    for day in range(1, 12):
        services.record(admin, NGHE_AN, date(2026, 1, day), day)
    app.config["PER_PAGE"], per_page = 5, app.config["PER_PAGE"]
    try:
        with count_statements(db) as many:
            first = client.get(f"/backlog/{NGHE_AN}").get_data(as_text=True)
        last = client.get(f"/backlog/{NGHE_AN}?page=3").get_data(as_text=True)
    finally:
        app.config["PER_PAGE"] = per_page
    assert "11/01/2026" in first and "01/01/2026" not in first and "01/01/2026" in last
    assert len(many) == len(few)
