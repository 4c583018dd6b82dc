"""The portal's clock: the one "now" for rules that depend on time (a session has ended, enrolment has closed).

`CLOCK_NOW` (an aware ISO instant or datetime) holds it still, so tests and demonstrations can stand on a
chosen day; without it the clock is the real time.
"""
from datetime import date, datetime, timedelta

from flask import current_app, has_app_context

from portal.core.models_base import utcnow


def now() -> datetime:
    """The current instant in UTC, or the instant `CLOCK_NOW` holds."""
    frozen = current_app.config.get("CLOCK_NOW") if has_app_context() else None
    if not frozen:
        return utcnow()
    instant = frozen if isinstance(frozen, datetime) else datetime.fromisoformat(frozen)
    if instant.tzinfo is None:
        raise ValueError("CLOCK_NOW must name its time zone")
    return instant.astimezone(utcnow().tzinfo)


def is_working_day(day: date) -> bool:
    """Monday to Friday, except the public holidays in NON_WORKING_DAYS."""
    return day.weekday() < 5 and day.isoformat() not in current_app.config["NON_WORKING_DAYS"]


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days after `start` (start itself not counted): 2 working days from a Friday
    request is the Tuesday, and a holiday between them pushes it one day further; a negative count goes back."""
    day, step = start, 1 if days >= 0 else -1
    days = abs(days)
    while days > 0:
        day += timedelta(days=step)
        days -= is_working_day(day)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after start up to and including end (0 when end is not after start)."""
    count, day = 0, start + timedelta(days=1)
    while day <= end:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count
