"""Building iCalendar feeds: pure functions from sessions or milestones to bytes (the view only serves them).

The body depends only on the data, never on "now", so it is byte-identical while nothing changed.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vText

TIMEZONE = "Asia/Ho_Chi_Minh"
REFRESH = timedelta(hours=1)


@dataclass(frozen=True)
class FeedEvent:
    """What a calendar needs of one session, already worded (in Vietnamese) by the caller."""

    uid: str
    starts_at: datetime
    ends_at: datetime
    changed_at: datetime
    sequence: int
    summary: str
    description: str
    location: str
    url: str
    is_cancelled: bool
    categories: tuple[str, ...]


@dataclass(frozen=True)
class DayEvent:
    """What a calendar needs of one all-day event (a milestone of the transition), worded by the caller."""

    uid: str
    day: date
    changed_at: datetime
    sequence: int
    summary: str
    description: str
    url: str
    categories: tuple[str, ...]


@lru_cache(maxsize=1)
def vietnam_timezone() -> Timezone:
    """The VTIMEZONE for Asia/Ho_Chi_Minh, built once (icalendar's COMMENT inside it dropped)."""
    probe = Calendar()
    event = Event()
    event.start = datetime(2026, 1, 1, tzinfo=ZoneInfo(TIMEZONE))
    probe.add_component(event)
    probe.add_missing_timezones(first_date=date(2025, 1, 1), last_date=date(2027, 12, 31))
    vtimezone = probe.timezones[0]
    vtimezone.pop("COMMENT", None)
    for sub in vtimezone.subcomponents:
        sub.pop("COMMENT", None)
    return vtimezone


def add_details(event: Event, item: FeedEvent) -> None:
    """What a feed and an invitation say alike: when (in Vietnam time), what, where."""
    zone = ZoneInfo(TIMEZONE)
    event.add("dtstart", item.starts_at.astimezone(zone))
    event.add("dtend", item.ends_at.astimezone(zone))
    event.add("summary", item.summary)
    event.add("description", item.description)
    if item.location:
        event.add("location", item.location)
    if item.url:
        event.add("url", item.url)


def feed_calendar(name: str, description: str, product: str) -> Calendar:
    """A feed's calendar with what subscribers need before any event: names, refresh interval, VTIMEZONE."""
    calendar = Calendar()
    calendar.add("prodid", product)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("x-wr-timezone", TIMEZONE)
    # icalendar 7.3 cannot serialise a newline in the calendar's DESCRIPTION: keep it to X-WR-CALDESC.
    calendar.add("x-wr-caldesc", vText(description.replace("\n", " ")))
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vText("PT1H"))
    calendar.add_component(vietnam_timezone())
    return calendar


def stamped_event(uid: str, changed_at, sequence: int) -> Event:
    """An event with its identity and its clock: DTSTAMP and LAST-MODIFIED from the row, never "now"."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", changed_at.astimezone(timezone.utc))
    event.add("last-modified", changed_at.astimezone(timezone.utc))
    event.add("sequence", sequence)
    return event


def calendar_bytes(name: str, description: str, events: list[FeedEvent], product: str) -> bytes:
    calendar = feed_calendar(name, description, product)
    for item in events:
        event = stamped_event(item.uid, item.changed_at, item.sequence)
        add_details(event, item)
        event.add("status", "CANCELLED" if item.is_cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT" if item.is_cancelled else "OPAQUE")
        event.add("categories", list(item.categories))
        calendar.add_component(event)
    return calendar.to_ical()


def day_calendar_bytes(name: str, description: str, events: list[DayEvent], product: str) -> bytes:
    """A feed of all-day events (DTSTART;VALUE=DATE, DTEND the next day), shown as free time."""
    calendar = feed_calendar(name, description, product)
    for item in events:
        event = stamped_event(item.uid, item.changed_at, item.sequence)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("summary", item.summary)
        event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        event.add("status", "CONFIRMED")
        event.add("transp", "TRANSPARENT")
        event.add("categories", list(item.categories))
        calendar.add_component(event)
    return calendar.to_ical()


def invitation_bytes(method: str, item: FeedEvent, organizer: tuple[str, str], attendees: list[tuple[str, str]],
                     stamp: datetime, product: str) -> list[bytes]:
    """iTIP messages (RFC 5546), one per attendee: METHOD:REQUEST adds or moves the event, CANCEL removes it.

    UID and SEQUENCE are the feed's, so a calendar that has the event from a feed or an earlier
    invitation updates that one event instead of adding a second. The calendar is serialised once;
    only each person's ATTENDEE line is serialised apart and set into it (a cancellation of 118 seats
    would otherwise spend most of its time folding the same VTIMEZONE 118 times).
    """
    calendar = Calendar()
    calendar.add("prodid", product)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(vietnam_timezone())
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp.astimezone(timezone.utc))
    event.add("sequence", item.sequence)
    add_details(event, item)
    event.add("organizer", f"mailto:{organizer[1]}", parameters={"CN": organizer[0]})
    cancelled = method == "CANCEL" or item.is_cancelled
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    calendar.add_component(event)
    head, end = calendar.to_ical().rsplit(b"END:VEVENT\r\n", 1)
    return [head + attendee_line(name, email) + b"END:VEVENT\r\n" + end for name, email in attendees]


def attendee_line(name: str, email: str) -> bytes:
    """One ATTENDEE property as RFC 5545 writes it: CN quoted (quotes and control characters dropped from
    the name), the line folded at 75 octets without splitting a UTF-8 character.

    Written here rather than by icalendar because a cancellation writes one per person enrolled, and
    icalendar's property machinery was most of that request's time.
    """
    cn = "".join(ch for ch in name if ch >= " " and ch not in '"\x7f')
    address = "".join(ch for ch in email if ch > " " and ch not in '";:,')
    line = (f'ATTENDEE;CN="{cn}";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:{address}').encode()
    return fold(line) + b"\r\n"


def fold(line: bytes, width: int = 75) -> bytes:
    """Fold a content line: at most `width` octets a line, continuation lines start with a space."""
    parts, start, limit = [], 0, width
    while len(line) - start > limit:
        end = start + limit
        while line[end] & 0xC0 == 0x80:  # never cut inside a UTF-8 sequence
            end -= 1
        parts.append(line[start:end])
        start, limit = end, width - 1
    parts.append(line[start:])
    return b"\r\n ".join(parts)
