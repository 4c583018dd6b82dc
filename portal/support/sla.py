"""Service levels in working hours: Monday to Friday, 7:30-17:00 in Vietnam, holidays excluded."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from portal.core.clock import is_working_day

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


# A target is "near" once this share of its working time is used (Zammad warns at 80 % as well).
NEAR_SHARE = 0.8
STATES = ("ok", "near", "breached")


def current_target(ticket) -> tuple[datetime, float]:
    """The due instant an open ticket runs against and that target's length in working hours: the first response
    until an agent answers, then the resolution."""
    first_response, resolution = targets(ticket.priority)
    if ticket.first_response_at is None:
        return ticket.first_response_due, first_response
    return ticket.resolution_due, resolution


def near_until(now: datetime, hours: float) -> datetime:
    """At `now`, a target of `hours` working hours is near when it falls due at or before this instant (less than
    20 % of its working time is left); the list's SQL and `state` both use it, so they always agree."""
    return add_working_hours(now, hours * (1 - NEAR_SHARE))


def state(due: datetime, now: datetime, hours: float) -> str:
    """ok, near (80 % of the working time used) or breached (due has passed) for a target of `hours`."""
    if due <= now:
        return "breached"
    return "near" if due <= near_until(now, hours) else "ok"


def ticket_state(ticket, now: datetime) -> tuple[datetime, str] | None:
    """(due instant, state) of an open ticket's current target; None once it is resolved or closed."""
    if ticket.status in ("resolved", "closed"):
        return None
    due, hours = current_target(ticket)
    return due, state(due, now, hours)
