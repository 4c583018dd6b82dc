"""The visitors' landing page at "/": key dates, duties, next sessions, hotlines, calendars and sign-in."""
from datetime import date

from portal.milestones.services import MilestoneInput, save
from portal.support import directory
from portal.training.services import cancel_session


def test_a_visitor_gets_the_landing_page_not_the_login(client, make_session):
    session = make_session()
    response = client.get("/")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in ("16/01/2026", "19/01/2026", "30/06/2026", "/auth/login", "/support/directory", "/support/new",
                 "/feeds/", "/training/public/changes", f"/training/public/sessions/{session.id}"):
        assert text in body, text


def test_signed_in_users_still_land_on_their_work(client, login_as):
    login_as("agent")
    assert client.get("/").status_code == 302


def test_the_next_sessions_skip_cancelled_ones_and_are_bounded(client, admin, make_session):
    sessions = [make_session(day=f"2026-01-{day}") for day in (19, 20, 21, 22, 23, 26, 27, 28)]
    cancel_session(admin, sessions[0], "Trùng lịch")
    body = client.get("/").get_data(as_text=True)
    assert f"/training/public/sessions/{sessions[0].id}\"" not in body
    shown = [s for s in sessions if f"/training/public/sessions/{s.id}\"" in body]
    assert shown == sessions[1:7]


def test_the_ministry_hotlines_are_shown_grouped_as_phones(client, db):
    directory.load_letter_contacts()
    body = client.get("/").get_data(as_text=True)
    assert "Nguyễn Minh Sơn" in body and "tel:" in body


def test_the_page_costs_a_constant_number_of_queries(client, admin, make_session, count_queries):
    make_session()
    with count_queries() as few:
        client.get("/")
    for day in (21, 22, 23, 26, 27, 28, 29):
        make_session(day=f"2026-01-{day}", province_codes=(1, 40))
        save(admin, None, MilestoneInput(day=date(2026, 3, day), title_vi=f"Mốc {day}"))
    with count_queries() as more:
        client.get("/")
    assert len(more) == len(few) <= 5  # clock, key dates, sessions and their provinces, hotlines
