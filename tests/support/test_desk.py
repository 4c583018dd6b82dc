"""The agents' desk: views with counts, reference search, the due clock time with its state, the reporter's tickets."""
from datetime import datetime, timedelta, timezone

import pytest

from portal.support import desk, services, sla
from tests import factories
from tests.conftest import start_session
from tests.factories import HA_NOI
from tests.support.conftest import file_ticket

NOW = datetime(2026, 1, 12, 1, 0, tzinfo=timezone.utc)  # Monday 8:00 in Vietnam
VN = timezone(timedelta(hours=7))


@pytest.fixture(autouse=True)
def frozen_clock(app, monkeypatch):
    monkeypatch.setitem(app.config, "CLOCK_NOW", NOW)


def due(db, ticket, first_response=None, resolution=None, answered=False):
    """Put the ticket's targets where a test needs them, relative to the frozen clock."""
    if first_response is not None:
        ticket.first_response_due = NOW + first_response
    if resolution is not None:
        ticket.resolution_due = NOW + resolution
    ticket.first_response_at = NOW - timedelta(hours=1) if answered else None
    db.session.commit()
    return ticket


def shown(db, user, view, search="") -> list[int]:
    query = services.inbox(user, services.InboxFilters(view=view, search=search))
    return [t.id for t in db.session.execute(query).unique().scalars()]


@pytest.mark.parametrize("now, expected", [
    (datetime(2026, 1, 12, 8, 0, tzinfo=VN), "ok"),
    (datetime(2026, 1, 12, 9, 35, tzinfo=VN), "ok"),  # 95 of 120 minutes used
    (datetime(2026, 1, 12, 9, 36, tzinfo=VN), "near"),  # 96 minutes: 80 %
    (datetime(2026, 1, 12, 9, 59, tzinfo=VN), "near"),
    (datetime(2026, 1, 12, 10, 0, tzinfo=VN), "breached"),
])
def test_the_state_turns_near_at_80_percent_and_breached_when_due(app, now, expected):
    with app.app_context():
        assert sla.state(datetime(2026, 1, 12, 10, 0, tzinfo=VN), now, 2) == expected


def test_near_counts_working_time_across_the_weekend(app):
    with app.app_context():
        monday_nine = datetime(2026, 1, 19, 9, 0, tzinfo=VN)  # 2 working hours after Friday 16:30
        assert sla.add_working_hours(datetime(2026, 1, 16, 16, 30, tzinfo=VN), 2) == monday_nine
        assert sla.state(monday_nine, datetime(2026, 1, 16, 16, 59, tzinfo=VN), 2) == "ok"  # 91 minutes left
        assert sla.state(monday_nine, datetime(2026, 1, 17, 12, 0, tzinfo=VN), 2) == "ok"  # Saturday uses nothing
        assert sla.state(monday_nine, datetime(2026, 1, 19, 8, 36, tzinfo=VN), 2) == "near"


@pytest.mark.parametrize("text, number", [
    ("HT-2026-000005", 5), ("000005", 5), ("5", 5), ("ht-2026-5", 5), (" HT 2026 000005 ", 5), ("HT-000005", 5),
    ("2026", 2026), ("tai khoan", None), ("", None), ("HT-", None), ("0", None), ("9" * 11, None),
    ("5' OR 1=1", None), ("٥", None), ("HT-2026-" + "9" * 40, None), ("%", None),
])
def test_a_reference_is_read_with_or_without_prefix_year_and_zeros(text, number):
    assert desk.reference_number(text) == number


def test_every_form_of_a_reference_opens_the_ticket(client, db, agents):
    ticket = file_ticket(factories.create_user("coordinator"), title="Không đăng nhập được")
    start_session(client, agents[0])
    year = ticket.created_at.year
    for text in (ticket.reference, f"{ticket.id:06d}", str(ticket.id), f"ht-{year}-{ticket.id}"):
        response = client.get("/support/", query_string={"q": text, "view": "mine"})
        assert response.status_code == 302 and response.location == f"/support/tickets/{ticket.id}", text


def test_a_reference_that_also_matches_text_lists_its_ticket_first(client, db, agents):
    reporter = factories.create_user("coordinator")
    named = file_ticket(reporter, title="Lỗi đầu tiên")
    mentioning = file_ticket(reporter, title=f"Lỗi giống phiếu {named.id}")
    file_ticket(reporter, title="Không liên quan")
    assert shown(db, agents[0], "open", str(named.id)) == [named.id, mentioning.id]
    start_session(client, agents[0])
    page = client.get("/support/", query_string={"q": str(named.id)}).get_data(as_text=True)
    assert page.index(named.reference) < page.index(mentioning.reference)


def test_a_reference_finds_a_closed_ticket_from_any_view_but_never_outside_the_scope(db, agents):
    mine = file_ticket(factories.create_user("coordinator"))
    services.set_status(mine, "resolved")
    elsewhere = file_ticket(factories.create_user("coordinator", province_code=HA_NOI))
    db.session.commit()
    assert shown(db, agents[0], "mine", mine.reference) == [mine.id]
    assert shown(db, agents[0], "open", elsewhere.reference) == []
    assert shown(db, factories.create_user("admin"), "open", elsewhere.reference) == [elsewhere.id]


def test_the_views_hold_what_their_names_say_and_closed_tickets_stay_out_by_default(db, agents):
    reporter = factories.create_user("coordinator")
    mine = due(db, file_ticket(reporter, title="Của tôi"), first_response=timedelta(days=3))
    unassigned = file_ticket(reporter, title="Chưa ai nhận")
    unassigned.assignee_id, unassigned.status = None, "new"
    near = due(db, file_ticket(reporter, priority="urgent"), first_response=timedelta(minutes=20))
    answered_near = due(db, file_ticket(reporter), resolution=timedelta(hours=9), answered=True)
    breached = due(db, file_ticket(reporter), first_response=-timedelta(minutes=1))
    closed = file_ticket(reporter, title="Đã xong")
    services.set_status(closed, "resolved")
    db.session.commit()
    agent = agents[0]
    open_ids = {mine.id, unassigned.id, near.id, answered_near.id, breached.id}
    assert set(shown(db, agent, "open")) == open_ids and closed.id not in shown(db, agent, "open")
    assert set(shown(db, agent, "all")) == open_ids | {closed.id}
    assert set(shown(db, agent, "mine")) == open_ids - {unassigned.id}
    assert shown(db, agent, "unassigned") == [unassigned.id]
    assert set(shown(db, agent, "near")) == {near.id, answered_near.id}  # 9 of 47.5 h left of a resolution
    assert shown(db, agent, "breached") == [breached.id]
    assert desk.view_counts(agent) == {"mine": 4, "unassigned": 1, "near": 2, "breached": 1, "open": 5, "all": 6}


def test_the_list_and_the_counts_agree_with_the_state_shown(db, agents):
    reporter = factories.create_user("coordinator")
    for minutes in range(-30, 120, 7):
        due(db, file_ticket(reporter, priority="urgent"), first_response=timedelta(minutes=minutes))
    for view, wanted in (("near", "near"), ("breached", "breached")):
        found = db.session.execute(services.inbox(agents[0], services.InboxFilters(view=view))).unique().scalars()
        states = {sla.ticket_state(t, NOW)[1] for t in found}
        assert states == {wanted}
        assert desk.view_counts(agents[0])[view] == len(shown(db, agents[0], view))


def test_an_agent_counts_their_provinces_and_an_admin_all_of_them(db, agents):
    file_ticket(factories.create_user("coordinator"))
    file_ticket(factories.create_user("coordinator", province_code=HA_NOI))
    assert desk.view_counts(agents[0])["open"] == 1
    assert desk.view_counts(factories.create_user("admin"))["open"] == 2


def test_a_locality_has_no_queue_views(client, db, agents):
    coordinator = factories.create_user("coordinator")
    file_ticket(coordinator)
    start_session(client, coordinator)
    page = client.get("/support/?view=mine").get_data(as_text=True)
    assert "Phiếu của tôi" not in page and "Chưa giao" not in page
    assert 'aria-current="page">Tất cả đang mở' in page


def test_the_agent_lands_on_their_tickets_with_counts_and_due_times(client, db, agents):
    reporter = factories.create_user("coordinator")
    due(db, file_ticket(reporter, priority="urgent"), first_response=timedelta(minutes=20))
    due(db, file_ticket(reporter), first_response=-timedelta(minutes=5))
    start_session(client, agents[0])
    landing = client.get("/").location
    page = client.get(landing).get_data(as_text=True)
    assert 'aria-current="page">Phiếu của tôi <span class="count">2</span>' in page
    assert 'Sắp quá hạn <span class="count">1</span>' in page and 'Quá hạn <span class="count">1</span>' in page
    assert '<span class="tag sla-near">Sắp quá hạn</span>' in page
    assert '<span class="tag sla-breached">Quá hạn</span>' in page
    assert "Hạn: 08:20 Thứ Hai 12/01" in page and "Hạn: 07:55 Thứ Hai 12/01" in page


@pytest.mark.parametrize("view", desk.VIEWS)
def test_every_view_costs_the_same_queries_for_3_or_30_tickets(client, db, agents, count_queries, view):
    reporter = factories.create_user("coordinator")
    for number in range(3):
        due(db, file_ticket(reporter, title=f"Vấn đề {number}"), first_response=timedelta(minutes=10 * number - 5))
    start_session(client, agents[0])
    with count_queries() as few:
        client.get("/support/", query_string={"view": view})
    for number in range(27):
        due(db, file_ticket(reporter, title=f"Vấn đề {number}"), first_response=timedelta(minutes=number - 10))
    with count_queries() as more:
        assert client.get("/support/", query_string={"view": view, "q": "van de"}).status_code == 200
    assert len(more) == len(few) <= 10


@pytest.mark.parametrize("text", [
    "HT-2026-" + "9" * 40, "9" * 30, "'; DROP TABLE tickets; --", "%", "_", "\\", "HT-2026-0000\t005", "ﬀ", "5" * 100,
])
def test_hostile_searches_are_answered_not_failed(client, db, agents, text):
    file_ticket(factories.create_user("coordinator"))
    start_session(client, agents[0])
    for view in ("mine", "all", "nonsense"):
        assert client.get("/support/", query_string={"q": text, "view": view}).status_code in (200, 302)


def test_the_ticket_page_shows_the_reporters_last_ten_other_tickets_in_one_query(client, db, agents, count_queries):
    reporter = factories.create_user("coordinator")
    others = [file_ticket(reporter, title=f"Phiếu cũ {number}") for number in range(12)]
    ticket = file_ticket(reporter, title="Phiếu đang xem")
    file_ticket(factories.create_user("coordinator"), title="Của người khác")
    assert agents[0].role and ticket.reporter_id  # loaded before counting, as the ticket page has them
    with count_queries() as statements:
        listed = desk.reporter_tickets(agents[0], ticket)
    assert len(statements) == 1
    assert [t.id for t in listed] == [t.id for t in reversed(others)][:10]
    start_session(client, agents[0])
    page = client.get(f"/support/tickets/{ticket.id}").get_data(as_text=True)
    assert "Các phiếu khác của" in page and others[-1].reference in page and others[0].reference not in page
    assert "Của người khác" not in page


def test_a_ticket_page_shows_its_due_time_and_state(client, db, agents):
    ticket = due(db, file_ticket(factories.create_user("coordinator"), priority="urgent"),
                 first_response=timedelta(minutes=20))
    start_session(client, agents[0])
    page = client.get(f"/support/tickets/{ticket.id}").get_data(as_text=True)
    assert "Hạn: 08:20 Thứ Hai 12/01" in page and "Sắp quá hạn</span>" in page
