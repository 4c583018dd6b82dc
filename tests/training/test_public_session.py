"""A session's public page: what a visitor sees, what they never see, and what it costs."""
from portal.training.services import cancel_session


def test_a_visitor_sees_the_session_with_its_calendar_links(client, trainer, make_session):
    session = make_session(mode="both", venue="Hội trường Sở VHTTDL Nghệ An")
    body = client.get(f"/training/public/sessions/{session.id}").get_data(as_text=True)
    assert session.title in body and "Hội trường Sở VHTTDL Nghệ An" in body
    assert "https://hop.tthc.gov.vn/phong-1" in body and "Nghệ An" in body
    assert "20/01/2026" in body and "08:00" in body  # Vietnam time, as typed
    assert f"/feeds/sessions/{session.id}.ics" in body
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in body
    assert trainer.email not in body


def test_a_cancelled_session_says_so_with_its_reason(client, admin, make_session):
    session = make_session()
    cancel_session(admin, session, "Trùng lịch họp tỉnh")
    body = client.get(f"/training/public/sessions/{session.id}").get_data(as_text=True)
    assert "Trùng lịch họp tỉnh" in body


def test_unknown_and_huge_ids_are_404(client):
    assert client.get("/training/public/sessions/999999").status_code == 404
    assert client.get("/training/public/sessions/99999999999999999999999").status_code == 404


def test_the_public_plan_links_each_card_to_its_public_page(client, make_session):
    session = make_session()
    body = client.get("/training/public?week=2026-01-19").get_data(as_text=True)
    assert f'href="/training/public/sessions/{session.id}"' in body
    assert f'href="/training/sessions/{session.id}"' not in body


def test_the_page_costs_a_constant_number_of_queries(client, make_session, count_queries):
    small = make_session()
    with count_queries() as few:
        client.get(f"/training/public/sessions/{small.id}")
    big = make_session(day="2026-01-21", province_codes=(1, 40, 79))
    with count_queries() as more:
        client.get(f"/training/public/sessions/{big.id}")
    assert len(more) == len(few) <= 4
