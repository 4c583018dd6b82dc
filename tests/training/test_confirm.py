"""Destructive training actions ask first on a page of their own; a cancellation can be undone; time is a state."""
import re

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.mail.models import OutboxMessage
from portal.training import enrolment
from portal.training.models import Enrolment, TrainingSession
from tests import factories
from tests.conftest import start_session
from tests.factories import NGHE_AN

SESSION_OVER = "2026-01-20T05:00:00+00:00"  # 12:00 in Vietnam, after the default session (08:00–11:30)
SESSION_RUNNING = "2026-01-20T01:30:00+00:00"  # 08:30 in Vietnam


def text_of(response) -> str:
    """The page's text without tags, spaces collapsed, to read sentences split over elements."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def queued(method: str | None = None) -> list[OutboxMessage]:
    from portal.core.extensions import db

    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if method:
        query = query.where(OutboxMessage.calendar_method == method)
    return db.session.execute(query).scalars().all()


@pytest.fixture
def full_session(db, admin, make_session, commune_contacts):
    """A session of 3 seats with 3 people seated and 2 waiting (all of Nghệ An's first communes)."""
    session = make_session(capacity=3)
    people = commune_contacts(5)
    enrolment.enrol(admin, session, people)
    return session, people


def test_cancelling_asks_first_and_names_who_is_emailed(client, db, admin, full_session):
    session, people = full_session
    factories.create_user("coordinator", province_code=NGHE_AN)
    start_session(client, admin)
    before = len(queued())
    page = client.get(f"/training/sessions/{session.id}")
    assert f'href="/training/sessions/{session.id}/cancel"' in page.get_data(as_text=True)
    assert f'action="/training/sessions/{session.id}/cancel"' not in page.get_data(as_text=True)
    confirm = client.get(f"/training/sessions/{session.id}/cancel")
    words = text_of(confirm)
    assert confirm.status_code == 200
    assert "3 người đã ghi danh sẽ nhận email hủy lịch" in words
    assert "2 người trong danh sách chờ sẽ được báo qua email" in words
    assert "1 điều phối viên của tỉnh sẽ được báo qua email" in words
    # A POST that did not come from the confirmation page (no `confirmed`) changes nothing and sends nothing.
    stray = client.post(f"/training/sessions/{session.id}/cancel", data={"reason": "Bấm nhầm"})
    db.session.refresh(session)
    assert stray.status_code == 422 and not session.is_cancelled and len(queued()) == before
    done = client.post(f"/training/sessions/{session.id}/cancel", data={"reason": "Đổi lịch", "confirmed": "yes"})
    db.session.refresh(session)
    assert done.status_code == 302 and session.is_cancelled and session.revision == 1
    assert len(queued("CANCEL")) == 3


def test_a_cancellation_needs_its_reason_on_the_confirmation_page(client, db, admin, make_session):
    session = make_session()
    start_session(client, admin)
    response = client.post(f"/training/sessions/{session.id}/cancel", data={"reason": " ", "confirmed": "yes"})
    db.session.refresh(session)
    assert response.status_code == 422 and "Nêu lý do hủy" in text_of(response) and not session.is_cancelled


def test_an_admin_restores_a_cancelled_session_and_calendars_get_it_back(client, db, admin, trainer, full_session):
    from portal.training.services import cancel_session

    session, people = full_session
    cancel_session(admin, session, "Đổi lịch")
    start_session(client, trainer)
    assert "Khôi phục" not in text_of(client.get(f"/training/sessions/{session.id}"))
    assert client.get(f"/training/sessions/{session.id}/restore").status_code == 403
    start_session(client, admin)
    assert f"/training/sessions/{session.id}/restore" in client.get(f"/training/sessions/{session.id}").get_data(
        as_text=True)
    words = text_of(client.get(f"/training/sessions/{session.id}/restore"))
    assert "3 người đã ghi danh sẽ nhận email kèm lời mời cập nhật" in words and "Đổi lịch" in words
    before = len(queued("REQUEST"))
    assert client.post(f"/training/sessions/{session.id}/restore").status_code == 422  # not from the page
    db.session.refresh(session)
    assert session.is_cancelled and len(queued("REQUEST")) == before
    response = client.post(f"/training/sessions/{session.id}/restore", data={"confirmed": "yes"},
                           follow_redirects=True)
    db.session.refresh(session)
    assert response.status_code == 200 and "đã được khôi phục" in text_of(response)
    assert session.status == "changed" and session.cancel_reason == "" and session.revision == 2
    invitations = queued("REQUEST")[before:]
    assert sorted(m.recipient for m in invitations) == sorted(p.email for p in people[:3])
    event = Calendar.from_ical(invitations[0].calendar).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 2 and event["STATUS"] == "CONFIRMED"
    feed = Calendar.from_ical(client.get("/feeds/plan.ics").data)
    listed = next(e for e in feed.walk("VEVENT") if str(e["UID"]).startswith(f"session-{session.id}@"))
    assert listed["SEQUENCE"] == 2 and listed["STATUS"] == "CONFIRMED"
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "training.restore")) == 1


def test_a_session_whose_time_has_passed_cannot_be_restored(client, db, app, admin, make_session, monkeypatch):
    from portal.training.services import cancel_session

    session = make_session()
    cancel_session(admin, session, "Đổi lịch")
    monkeypatch.setitem(app.config, "CLOCK_NOW", SESSION_RUNNING)
    start_session(client, admin)
    assert "/restore" not in client.get(f"/training/sessions/{session.id}").get_data(as_text=True)
    response = client.post(f"/training/sessions/{session.id}/restore", data={"confirmed": "yes"},
                           follow_redirects=True)
    db.session.refresh(session)
    assert session.is_cancelled and "Đã qua giờ của buổi học" in text_of(response)


def test_a_session_whose_slot_was_taken_since_the_cancellation_is_not_restored(client, db, admin, make_session,
                                                                                 outbox):
    """The trainer was booked into the freed slot: restoring would double-book them, so it is refused."""
    from portal.training.services import cancel_session

    session = make_session(title="Buổi bị hủy")
    cancel_session(admin, session, "Đổi lịch")
    make_session(title="Buổi thay thế", province_codes=[factories.HA_NOI])  # the same trainer, the same hours
    revision = session.revision
    start_session(client, admin)
    response = client.post(f"/training/sessions/{session.id}/restore", data={"confirmed": "yes"},
                           follow_redirects=True)
    db.session.refresh(session)
    assert session.is_cancelled and session.revision == revision
    assert "Không thể khôi phục buổi tập huấn" in text_of(response) and "Buổi thay thế" in text_of(response)


def test_withdrawing_is_a_small_link_to_a_page_that_says_who_is_told(client, db, full_session):
    session, people = full_session
    login = factories.create_user("coordinator", province_code=NGHE_AN)
    start_session(client, login)
    page = client.get(f"/training/sessions/{session.id}").get_data(as_text=True)
    seated = db.session.scalar(select(Enrolment).filter_by(session_id=session.id, contact_id=people[0].id))
    assert f'<a class="row-action" href="/training/enrolments/{seated.id}/withdraw"' in page
    assert "/withdraw\" method" not in page and 'action="/training/enrolments/' not in page
    assert "danh sách chờ, vị trí thứ 1" in page and "danh sách chờ, vị trí thứ 2" in page
    words = text_of(client.get(f"/training/enrolments/{seated.id}/withdraw"))
    assert f"{people[0].full_name} trả lại chỗ và nhận email hủy lịch ({people[0].email})" in words
    assert f"Chỗ trống chuyển cho {people[3].full_name}, người đầu tiên trong danh sách chờ" in words
    before = len(queued())
    assert client.post(f"/training/enrolments/{seated.id}/withdraw").status_code == 422
    assert db.session.get(Enrolment, seated.id) is not None and len(queued()) == before
    assert client.post(f"/training/enrolments/{seated.id}/withdraw", data={"confirmed": "yes"}).status_code == 302
    seated_id = seated.id
    db.session.expire_all()
    assert db.session.get(Enrolment, seated_id) is None
    promoted = db.session.scalar(select(Enrolment).filter_by(session_id=session.id, contact_id=people[3].id))
    assert promoted.status == "enrolled"
    assert [(m.recipient, m.calendar_method) for m in queued()[before:]] == [
        (people[0].email, "CANCEL"), (people[3].email, "REQUEST")]


def test_leaving_the_waiting_list_tells_nobody(client, db, full_session):
    session, people = full_session
    start_session(client, factories.create_user("coordinator", province_code=NGHE_AN))
    waiting = db.session.scalar(select(Enrolment).filter_by(session_id=session.id, contact_id=people[4].id))
    assert "ra khỏi danh sách chờ. Không ai nhận email" in text_of(
        client.get(f"/training/enrolments/{waiting.id}/withdraw"))


def test_a_place_on_the_waiting_list_is_information_with_its_position(client, db, admin, make_session,
                                                                       commune_contacts):
    session = make_session(capacity=1)
    first, second, third = commune_contacts(3)
    enrolment.enrol(admin, session, [first, second])
    start_session(client, factories.create_user("commune_admin", commune_code=third.commune_code))
    response = client.post(f"/training/sessions/{session.id}/enrol", data={"contact_ids": [str(third.id)]},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert re.search(r'class="flash info"[^>]*>Bạn ở vị trí thứ 2 trong danh sách chờ', page)
    assert 'class="flash success"' not in page
    start_session(client, factories.create_user("coordinator", province_code=NGHE_AN))
    seat = make_session(day="2026-01-21", capacity=5)
    response = client.post(f"/training/sessions/{seat.id}/enrol", data={"contact_ids": [str(first.id)]},
                           follow_redirects=True)
    assert re.search(r'class="flash success"[^>]*>Đã ghi danh: 1\.', response.get_data(as_text=True))


def test_several_people_on_the_waiting_list_are_counted_as_information(client, db, make_session, commune_contacts):
    session = make_session(capacity=1)
    commune_contacts(3)
    start_session(client, factories.create_user("coordinator", province_code=NGHE_AN))
    page = client.post(f"/training/sessions/{session.id}/enrol", data={"all": "1"},
                       follow_redirects=True).get_data(as_text=True)
    assert re.search(r'class="flash info"[^>]*>Đã ghi danh: 1\. Buổi học đã đủ chỗ: 2 người vào danh sách chờ', page)


def test_a_session_that_has_ended_shows_as_held_everywhere(client, db, app, make_session, monkeypatch):
    session = make_session()
    later = make_session(day="2026-01-22")
    start_session(client, factories.create_user("viewer"))
    assert "Đã diễn ra" not in text_of(client.get("/training/?week=2026-01-19"))
    monkeypatch.setitem(app.config, "CLOCK_NOW", SESSION_OVER)
    week = client.get("/training/?week=2026-01-19").get_data(as_text=True)
    assert week.count('<span class="tag held">Đã diễn ra</span>') == 1  # the one on the 22nd is still ahead
    table = text_of(client.get("/training/?view=table"))
    assert table.count("Đã diễn ra") == 1 and "Theo kế hoạch" in table
    assert "Đã diễn ra" in text_of(client.get(f"/training/sessions/{session.id}"))
    assert "Đã diễn ra" not in text_of(client.get(f"/training/sessions/{later.id}"))
    client.delete_cookie("session")
    assert text_of(client.get("/training/public?week=2026-01-19")).count("Đã diễn ra") == 1


def test_enrolment_closes_when_the_session_starts(client, db, app, admin, make_session, commune_contacts,
                                                  monkeypatch):
    session = make_session()
    first, second = commune_contacts(2)
    enrolment.enrol(admin, session, [first])
    entry = db.session.scalar(select(Enrolment).filter_by(contact_id=first.id))
    start_session(client, factories.create_user("coordinator", province_code=NGHE_AN))
    assert "Ghi danh tất cả" in text_of(client.get(f"/training/sessions/{session.id}"))
    monkeypatch.setitem(app.config, "CLOCK_NOW", SESSION_RUNNING)
    page = client.get(f"/training/sessions/{session.id}")
    words = text_of(page)
    assert "Ghi danh đã đóng khi buổi học bắt đầu" in words and "Ghi danh tất cả" not in words
    assert "/withdraw" not in page.get_data(as_text=True) and first.full_name in words
    response = client.post(f"/training/sessions/{session.id}/enrol", data={"all": "1"}, follow_redirects=True)
    assert re.search(r'class="flash error"[^>]*>Ghi danh đã đóng khi buổi học bắt đầu', response.get_data(as_text=True))
    response = client.post(f"/training/enrolments/{entry.id}/withdraw", data={"confirmed": "yes"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Enrolment.id))) == 1  # nobody in, nobody out


def test_no_seat_is_handed_out_once_the_session_has_started(db, app, admin, make_session, commune_contacts,
                                                            monkeypatch):
    from portal.training.services import save_session
    from tests.factories import session_input

    session = make_session(capacity=1)
    enrolment.enrol(admin, session, commune_contacts(2))
    monkeypatch.setitem(app.config, "CLOCK_NOW", SESSION_RUNNING)
    save_session(admin, session, session_input([t.id for t in session.trainers], capacity=2))
    statuses = db.session.execute(select(Enrolment.status).order_by(Enrolment.id)).scalars().all()
    assert statuses == ["enrolled", "waiting"] and session.enrolled == 1


def session_form(trainer_id, **overrides):
    data = {"title": "Tập huấn bù", "audience": "commune", "mode": "online",
            "meeting_url": "https://hop.tthc.gov.vn/bu", "day": "2026-01-09", "starts": "08:00",
            "ends": "11:30", "capacity": "40", "province_codes": [str(NGHE_AN)], "trainer_ids": [str(trainer_id)]}
    data.update(overrides)
    return data


def test_planning_a_session_in_the_past_asks_for_confirmation(client, db, admin, trainer):
    start_session(client, admin)
    response = client.post("/training/sessions/new", data=session_form(trainer.id))
    words = text_of(response)
    assert response.status_code == 422 and "Buổi học này bắt đầu trong quá khứ (09/01/2026 08:00)" in words
    assert 'name="past_confirmed"' in response.get_data(as_text=True) and "Tôi xác nhận lên lịch buổi đã qua" in words
    assert db.session.scalar(select(func.count(TrainingSession.id))) == 0
    response = client.post("/training/sessions/new", data=session_form(trainer.id, past_confirmed="y"))
    assert response.status_code == 302 and db.session.scalar(select(func.count(TrainingSession.id))) == 1


def test_the_past_question_is_not_asked_of_a_session_ahead(client, db, admin, trainer):
    start_session(client, admin)
    response = client.get("/training/sessions/new")
    assert 'name="past_confirmed"' not in response.get_data(as_text=True)
    assert client.post("/training/sessions/new", data=session_form(trainer.id, day="2026-01-20")).status_code == 302


def test_moving_a_session_into_the_past_asks_but_editing_a_held_one_does_not(client, db, app, admin, trainer,
                                                                             make_session, monkeypatch):
    session = make_session()
    start_session(client, admin)
    edit = f"/training/sessions/{session.id}/edit"
    response = client.post(edit, data=session_form(trainer.id, day="2026-01-09"))
    assert response.status_code == 422 and "bắt đầu trong quá khứ" in text_of(response)
    monkeypatch.setitem(app.config, "CLOCK_NOW", SESSION_OVER)
    response = client.post(edit, data=session_form(trainer.id, day="2026-01-20", title="Tên mới sau buổi học"))
    db.session.refresh(session)
    assert response.status_code == 302 and session.title == "Tên mới sau buổi học"


def test_the_portal_clock_is_real_time_unless_held(app, monkeypatch):
    from datetime import datetime, timedelta, timezone

    from portal.core import clock

    with app.app_context():
        assert clock.now() == datetime(2026, 1, 12, 1, tzinfo=timezone.utc)  # what the tests stand on
        monkeypatch.setitem(app.config, "CLOCK_NOW", datetime(2026, 1, 20, 15, 30, tzinfo=timezone(timedelta(hours=7))))
        assert clock.now() == datetime(2026, 1, 20, 8, 30, tzinfo=timezone.utc)
        monkeypatch.setitem(app.config, "CLOCK_NOW", "2026-01-20T08:30")
        with pytest.raises(ValueError):
            clock.now()
        monkeypatch.setitem(app.config, "CLOCK_NOW", None)
        assert abs(clock.now() - datetime.now(timezone.utc)) < timedelta(seconds=5)
