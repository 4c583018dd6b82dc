"""The week grid's plain rows and precomputed cards (portal.training.week): days and times in Vietnam time,
states by the portal's clock, labels in the page's language, and names in the session page's order."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from portal.training import services
from portal.training.week import LocalTimes, WeekSession, by_day, week_cards
from tests import factories

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def row(starts: str, ends: str, status="scheduled", **values) -> WeekSession:
    """A session between two UTC instants written as ISO text."""
    fields = dict(id=1, title="Tập huấn", status=status, audience="commune", mode="online", cancel_reason="",
                  province_names=["Nghệ An", "Hà Tĩnh"], trainer_names=["Giảng Viên Một"])
    fields.update(values)
    return WeekSession(starts_at=datetime.fromisoformat(starts).replace(tzinfo=timezone.utc),
                       ends_at=datetime.fromisoformat(ends).replace(tzinfo=timezone.utc), **fields)


@pytest.fixture
def vietnamese(app):
    with app.test_request_context():
        yield


def test_a_session_crossing_midnight_in_vietnam_keeps_the_day_it_starts(vietnamese):
    late = row("2026-01-23T16:30:00", "2026-01-23T17:30:00")  # Friday 23:30 to Saturday 00:30 in Vietnam
    after_midnight = row("2026-01-23T17:30:00", "2026-01-23T18:00:00", id=2)  # Saturday 00:30, Friday in UTC
    cards = week_cards([late, after_midnight], VIETNAM)
    assert [(c.day, c.when) for c in cards] == [(date(2026, 1, 23), "23:30–00:30"), (date(2026, 1, 24), "00:30–01:00")]
    days, grouped = by_day(cards, date(2026, 1, 19))
    assert days[-1] == date(2026, 1, 24) and len(days) == 6 and grouped[date(2026, 1, 24)] == [cards[1]]


def test_states_follow_the_portal_clock_and_cancelled_wins(vietnamese):
    # The tests' clock stands on 12/01/2026 08:00 in Vietnam.
    cards = week_cards([row("2026-01-05T01:00:00", "2026-01-05T02:00:00", status="cancelled", cancel_reason="Trùng"),
                        row("2026-01-05T01:00:00", "2026-01-05T02:00:00", status="changed"),
                        row("2026-01-20T01:00:00", "2026-01-20T02:00:00", status="changed"),
                        row("2026-01-20T01:00:00", "2026-01-20T02:00:00")], VIETNAM)
    assert [(c.state, c.tag, c.state_label) for c in cards] == [
        ("cancelled", "missing", "Đã hủy"), ("held", "held", "Đã diễn ra"), ("changed", "late", "Đã thay đổi"),
        ("scheduled", "scheduled", "Theo kế hoạch")]
    assert cards[0].is_cancelled and cards[0].cancel_reason == "Trùng" and not cards[1].is_cancelled


def test_cards_carry_translated_labels_and_joined_names(app):
    with app.test_request_context():
        from flask import session
        session["language"] = "en"
        [card] = week_cards([row("2026-01-20T01:00:00", "2026-01-20T04:30:00", audience="both", mode="in_person")],
                            VIETNAM)
    assert (card.audience_label, card.mode_label) == ("Department cadres and commune administrators", "In person")
    assert (card.provinces, card.trainers, card.when) == ("Nghệ An, Hà Tĩnh", "Giảng Viên Một", "08:00–11:30")


def test_a_holiday_week_shows_its_working_days_even_empty(vietnamese):
    # 16–20/02/2026 is Tết: the grid still shows Monday to Friday, and a session on a holiday on its day.
    on_holiday = week_cards([row("2026-02-17T01:00:00", "2026-02-17T02:00:00")], VIETNAM)
    days, grouped = by_day(on_holiday, date(2026, 2, 16))
    assert days == [date(2026, 2, d) for d in range(16, 21)]
    assert grouped[date(2026, 2, 17)] == on_holiday and all(not grouped[d] for d in days if d.day != 17)
    assert by_day([], date(2026, 2, 16))[0] == days


def test_local_times_convert_each_instant_once():
    times = LocalTimes(VIETNAM)
    instant = datetime(2026, 1, 19, 17, 0, tzinfo=timezone.utc)
    assert times.day(instant) == date(2026, 1, 20) and times.span(instant, instant) == "00:00–00:00"
    assert len(times.seen) == 1


def test_plan_week_gives_names_in_the_session_pages_order(db, admin, trainer, make_session):
    second = factories.create_user("trainer", email="gv2@test.vn", full_name="An Thứ Hai")
    session = make_session(province_codes=[factories.NGHE_AN, 1], trainer_ids=[second.id, trainer.id])
    [shown] = services.plan_week(date(2026, 1, 19), services.PlanFilters())
    assert shown.province_names == [p.name for p in session.provinces]
    assert shown.trainer_names == [t.full_name for t in session.trainers] == ["Giảng Viên Một", "An Thứ Hai"]
    assert services.plan_week(date(2026, 1, 19), services.PlanFilters(province_code=2)) == []
