"""The one parser of query strings and URL integers: every value bounded, so the address bar can never cause a 500.

Pages see the nearest valid value (page 99999999999999999999 is page 1,000,000 and simply empty, a date in the
year 9999 is the last day of 2100, an unknown sort key is the default); the API, whose clients read its OpenAPI document,
is answered 400 for a value outside the bounds the document states (`strict=True`). Each parameter is declared once
and read the same way everywhere; an Integer also states its bounds for the OpenAPI document.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime

from flask import request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

# The database's integer columns are 32-bit on PostgreSQL; a larger id or page cannot exist and must not reach it.
MAX_INTEGER = 2**31 - 1
MAX_PAGE = 1_000_000  # past any real list
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)  # the rollout's plan, reports and history fit easily
MAX_TEXT = 200
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
ISO_WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")
MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
DIGITS = re.compile(r"[+-]?[0-9]{1,30}")
PLAIN_NUMBER = re.compile(r"0|[1-9][0-9]{0,9}")  # a whole number written the one way str(int) writes it
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def raw(name: str) -> str | None:
    """The first value of a parameter as sent, or None when it is missing."""
    return request.args.get(name)


class OutOfBounds(BadRequest):
    """A parameter the strict reading refuses (a 400); `parameter` names it."""

    def __init__(self, name: str):
        super().__init__(description=f"The query parameter {name!r} is outside its bounds.")
        self.parameter = name


def refuse(strict: bool, name: str):
    """A value outside the bounds: a 400 when strict, else None so that the caller falls back."""
    if strict:
        raise OutOfBounds(name)
    return None


def clean_text(value: str, max_length: int = MAX_TEXT) -> str:
    """Without control characters (tabs and newlines too: a query is one line), trimmed, at most max_length long."""
    return CONTROL_CHARACTERS.sub("", value).strip()[:max_length]


@dataclass(frozen=True)
class Integer:
    """A whole number in [minimum, maximum]; out of range it is the nearest bound, not a number it is the default."""

    name: str
    default: int | None = None
    minimum: int = 1
    maximum: int = MAX_INTEGER

    def read(self, strict: bool = False) -> int | None:
        value = raw(self.name)
        if value is None or value == "":
            return self.default
        if not DIGITS.fullmatch(value.strip()):
            return refuse(strict, self.name) or self.default
        number = int(value)
        if not self.minimum <= number <= self.maximum:
            refuse(strict, self.name)
        return min(max(number, self.minimum), self.maximum)

    def written(self, value: str) -> bool:
        """Whether the value is a number in bounds written plainly (no sign, spaces or leading zeros)."""
        return bool(PLAIN_NUMBER.fullmatch(value)) and self.minimum <= int(value) <= self.maximum

    def schema(self) -> dict:
        bounds = {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}
        return bounds if self.default is None else {**bounds, "default": self.default}


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of words (a sort key, a status filter); anything else is the default."""

    name: str
    allowed: tuple[str, ...]
    default: str = ""

    def read(self, strict: bool = False) -> str:
        value = raw(self.name)
        if value in self.allowed:
            return value
        if value not in (None, ""):
            refuse(strict, self.name)
        return self.default

    def written(self, value: str) -> bool:
        return value in self.allowed


@dataclass(frozen=True)
class Day:
    """A date as HTML's date input sends it (2026-01-19), within FIRST_DAY..LAST_DAY."""

    name: str

    def written(self, value: str) -> bool:
        if not ISO_DAY.fullmatch(value):
            return False
        try:
            return FIRST_DAY <= date.fromisoformat(value) <= LAST_DAY
        except ValueError:  # 2026-02-30
            return False


@dataclass(frozen=True)
class Text:
    """Free text (a search): control characters removed, capped in length."""

    name: str
    max_length: int = MAX_TEXT

    def read(self) -> str:
        return clean_text(raw(self.name) or "", self.max_length)


def bounded_day(day: date) -> date:
    """The nearest day within FIRST_DAY..LAST_DAY (so a week either side of it still exists)."""
    return min(max(day, FIRST_DAY), LAST_DAY)


def parse_iso_week(value: str | None) -> date | None:
    """The Monday of an ISO week written as HTML's week input sends it (2026-W04), or None when not one in range."""
    match = ISO_WEEK.fullmatch((value or "").strip())
    if not match:
        return None
    year, week = (int(part) for part in match.groups())
    if not (FIRST_DAY.year <= year <= LAST_DAY.year and 1 <= week <= 53):
        return None
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:  # week 53 of a year that has 52
        return None


def parse_month(value: str | None) -> date | None:
    """The first day of a month written as HTML's month input sends it (2026-01), or None when not one in range."""
    match = MONTH.fullmatch((value or "").strip())
    if not match:
        return None
    year, month = (int(part) for part in match.groups())
    if not (FIRST_DAY.year <= year <= LAST_DAY.year and 1 <= month <= 12):
        return None
    return date(year, month, 1)


PAGE = Integer("page", default=1, minimum=1, maximum=MAX_PAGE)


def page() -> int:
    """The page number of a list: 1 when missing or not a number, never beyond MAX_PAGE."""
    return PAGE.read()


def integers(name: str, limit: int = 500) -> list[int]:
    """The values of a repeated parameter (?id=3&id=5) that are ids the database can hold, each once, in order,
    at most `limit` of them; anything else is left out."""
    numbers = (int(v) for v in request.args.getlist(name)[:limit] if PLAIN_NUMBER.fullmatch(v))
    return list(dict.fromkeys(n for n in numbers if 1 <= n <= MAX_INTEGER))


def args(max_length: int = MAX_TEXT) -> ImmutableMultiDict:
    """The query string for a filter form: one value per key (the first), control characters removed, capped."""
    return ImmutableMultiDict(MultiDict(
        {key: clean_text(values[0], max_length) for key, values in request.args.lists() if values}))


def canonical(params) -> tuple | None:
    """The query string as (name, value) pairs when it holds only the declared parameters, each once, empty or
    written the one way its parser writes it; else None.

    A cache keyed on these pairs holds one entry per valid query a page can be asked, never one per variant an
    address bar can spell (05, +5, ?x=junk), and a cached page's links never carry another visitor's junk.
    """
    declared = {param.name: param for param in params}
    pairs = []
    for name, values in request.args.lists():
        param = declared.get(name)
        if param is None or len(values) != 1 or not (values[0] == "" or param.written(values[0])):
            return None
        pairs.append((name, values[0]))
    return tuple(sorted(pairs))


def keep_valid(form) -> bool:
    """Validate a filter form read from the query string; a field that fails falls back to its default.

    A filter that does not apply (a province code not in the list, a number too large for the database) is ignored
    instead of reaching a query. Dates are first brought within FIRST_DAY..LAST_DAY (the year 9999 is 2100).
    """
    for field in form:
        if isinstance(field.data, datetime):
            field.data = datetime.combine(bounded_day(field.data.date()), field.data.time())
        elif isinstance(field.data, date):
            field.data = bounded_day(field.data)
    valid = form.validate()
    for field in form:
        if field.errors:
            field.data = field.default
    return valid


class DatabaseIntegerConverter(IntegerConverter):
    """`<int:...>` in a URL matches only ids the database can hold, so /tickets/99999999999999999999 is a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_INTEGER, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_url_integers(app) -> None:
    """Before any route is added: every `int` URL argument is bounded by the database's integers."""
    app.url_map.converters["int"] = DatabaseIntegerConverter
