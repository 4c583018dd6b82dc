"""Service levels in working hours: Monday to Friday, 7:30-17:00 in Vietnam, holidays excluded."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from portal.training.services import is_working_day

DAY_STARTS, DAY_ENDS = time(7, 30), time(17, 0)


def working_windows(start: datetime):
    """Successive (from, to) spans of working time in Vietnam, beginning at `start`."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    moment = start.astimezone(zone)
    day = moment.date()
    while True:
        if is_working_day(day):
            opens = datetime.combine(day, DAY_STARTS, zone)
            closes = datetime.combine(day, DAY_ENDS, zone)
            if moment < closes:
                yield max(moment, opens), closes
        day += timedelta(days=1)


def add_working_hours(start: datetime, hours: float) -> datetime:
    """The instant `hours` of working time after `start` (a Friday 16:00 + 2 h is Monday 8:30)."""
    remaining = timedelta(hours=hours)
    for opens, closes in working_windows(start):  # endless: the loop always leaves through `break`
        if closes - opens >= remaining:
            break
        remaining -= closes - opens
    return (opens + remaining).astimezone(start.tzinfo)


def working_time_between(start: datetime, end: datetime) -> timedelta:
    """Working time from start to end; negative when end is before start."""
    if end < start:
        return -working_time_between(end, start)
    total = timedelta()
    for opens, closes in working_windows(start):
        if opens >= end:
            break
        total += min(closes, end) - opens
    return total


def targets(priority: str) -> tuple[float, float]:
    """(first response, resolution) in working hours for a priority."""
    return tuple(current_app.config["SUPPORT_SLA_HOURS"][priority])
