"""Service-level clocks at their edges: the end of a working day, weekends, holidays, other time zones."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from portal.support import sla

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=VN)


@pytest.fixture(autouse=True)
def context(app):
    with app.app_context():
        yield


@pytest.mark.parametrize("start, hours, due", [
    (vn("2026-01-09", "16:00"), 3, vn("2026-01-12", "09:30")),    # Friday 16:00 + 3 h: 1 h Friday, 2 h Monday
    (vn("2026-01-09", "16:00"), 2, vn("2026-01-12", "08:30")),
    (vn("2026-01-09", "16:00"), 1, vn("2026-01-09", "17:00")),    # exactly the rest of the day: 17:00, not Monday
    (vn("2026-01-09", "16:59"), 0.5, vn("2026-01-12", "07:59")),
    (vn("2026-01-12", "17:00"), 1, vn("2026-01-13", "08:30")),    # opened at closing time: tomorrow's clock
    (vn("2026-01-09", "17:00"), 0, vn("2026-01-12", "07:30")),
    (vn("2026-01-12", "06:00"), 1, vn("2026-01-12", "08:30")),    # before opening: the clock starts at 7:30
    (vn("2026-01-10", "10:00"), 2, vn("2026-01-12", "09:30")),    # Saturday
    (vn("2026-01-12", "07:30"), 9.5, vn("2026-01-12", "17:00")),  # one whole working day
    (vn("2026-01-12", "07:30"), 19, vn("2026-01-13", "17:00")),   # two whole days
    (vn("2026-01-12", "12:00"), 47.5, vn("2026-01-19", "12:00")),  # a week of working time is a calendar week
    (vn("2025-12-31", "16:00"), 2, vn("2026-01-02", "08:30")),    # New Year's Day is a holiday
    (vn("2026-02-13", "16:00"), 2, vn("2026-02-23", "08:30")),    # Tết: 14-22 February
])
def test_deadlines_count_working_hours_only(start, hours, due):
    assert sla.add_working_hours(start, hours) == due


def test_a_deadline_keeps_the_time_zone_it_was_given():
    due = sla.add_working_hours(vn("2026-01-09", "16:00"), 2)
    assert (due.tzinfo, due.hour, due.minute) == (VN, 8, 30)
    in_utc = sla.add_working_hours(datetime(2026, 1, 9, 9, 0, tzinfo=timezone.utc), 2)  # 16:00 in Vietnam
    assert in_utc == datetime(2026, 1, 12, 1, 30, tzinfo=timezone.utc)
    assert in_utc.tzinfo is timezone.utc and in_utc.hour == 1


@pytest.mark.parametrize("start, end, worked", [
    (vn("2026-01-09", "16:00"), vn("2026-01-12", "09:30"), timedelta(hours=3)),
    (vn("2026-01-12", "09:00"), vn("2026-01-12", "10:15"), timedelta(hours=1, minutes=15)),
    (vn("2026-01-12", "06:00"), vn("2026-01-12", "07:30"), timedelta()),      # before the day opens
    (vn("2026-01-12", "17:00"), vn("2026-01-13", "07:30"), timedelta()),      # the night between two days
    (vn("2026-01-10", "08:00"), vn("2026-01-11", "16:00"), timedelta()),      # a weekend
    (vn("2026-01-12", "16:00"), vn("2026-01-12", "20:00"), timedelta(hours=1)),
    (vn("2025-12-31", "16:00"), vn("2026-01-02", "08:00"), timedelta(hours=1, minutes=30)),
    (vn("2026-01-12", "10:00"), vn("2026-01-12", "10:00"), timedelta()),
])
def test_working_time_between_two_instants(start, end, worked):
    assert sla.working_time_between(start, end) == worked
    assert sla.working_time_between(end, start) == -worked  # overdue: negative


@pytest.mark.parametrize("start", [vn("2026-01-09", "16:00"), vn("2026-01-12", "07:30"), vn("2026-02-13", "12:00")])
@pytest.mark.parametrize("hours", [0.5, 2, 9.5, 19, 47.5])
def test_the_time_worked_until_a_deadline_is_the_hours_given(start, hours):
    assert sla.working_time_between(start, sla.add_working_hours(start, hours)) == timedelta(hours=hours)


def test_targets_come_from_the_configuration(app, monkeypatch):
    monkeypatch.setitem(app.config, "SUPPORT_SLA_HOURS", {"urgent": [1, 4], "high": (3, 12)})
    assert sla.targets("urgent") == (1, 4)
    assert sla.targets("high") == (3, 12)
