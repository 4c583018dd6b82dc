"""The plan's week grid at full size: its sessions read as plain rows, and each card's texts worked out once.

A week may hold a thousand sessions. Loading them as ORM objects with their provinces and trainers, and
formatting each card in the template (a time zone conversion per instant, a translation per label, a call
per state), cost 25 to 60 times the SQL that fetches the same rows (`make bench`, bench/training.py). Here
the three queries return only the columns the cards show, and the texts the template used to compute per
card are computed in Python, once per distinct value.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Select, select

from portal.auth.models import User
from portal.core import clock
from portal.core.extensions import db
from portal.training.forms import AUDIENCE_LABELS, HELD_LABEL, MODE_LABELS, STATUS_LABELS
from portal.training.models import TrainingSession, session_provinces, session_trainers
from portal.units.models import Province

TAG_CLASSES = {"cancelled": "missing", "changed": "late"}  # the tag's colour: a state's own name otherwise


class WeekSession(NamedTuple):
    """What a card of the week shows of one session, as read from the database (a tuple: a thousand are built
    per page)."""

    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    audience: str
    mode: str
    cancel_reason: str
    province_names: list[str]
    trainer_names: list[str]

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"


@dataclass(frozen=True, slots=True)
class WeekCard:
    """One card of the grid with its texts ready: the template only places them."""

    session: WeekSession
    day: date
    when: str  # "08:00–11:30" in Vietnam time
    state: str  # scheduled, changed, held or cancelled, as session_state gives it
    state_label: str
    tag: str
    provinces: str
    audience_label: str
    mode_label: str
    trainers: str

    @property
    def id(self) -> int:
        return self.session.id

    @property
    def title(self) -> str:
        return self.session.title

    @property
    def is_cancelled(self) -> bool:
        return self.session.is_cancelled

    @property
    def cancel_reason(self) -> str:
        return self.session.cancel_reason


def names_by_session(query: Select) -> dict[int, list[str]]:
    """(session id, name) rows, in the order of the query, gathered per session."""
    names: dict[int, list[str]] = {}
    for session_id, name in db.session.connection().execute(query).all():
        names.setdefault(session_id, []).append(name)
    return names


def load_week(sessions: Select) -> list[WeekSession]:
    """The sessions a query selects (a select of TrainingSession, filtered and ordered), with the names of their
    provinces and trainers in the order the session page gives them: three queries whatever the number."""
    ids = sessions.with_only_columns(TrainingSession.id).order_by(None)
    rows = db.session.connection().execute(sessions.with_only_columns(
        TrainingSession.id, TrainingSession.title, TrainingSession.starts_at, TrainingSession.ends_at,
        TrainingSession.status, TrainingSession.audience, TrainingSession.mode, TrainingSession.cancel_reason)).all()
    provinces = names_by_session(
        select(session_provinces.c.session_id, Province.name).join(Province)
        .where(session_provinces.c.session_id.in_(ids)).order_by(session_provinces.c.session_id, Province.code))
    trainers = names_by_session(
        select(session_trainers.c.session_id, User.full_name).join(User)
        .where(session_trainers.c.session_id.in_(ids)).order_by(session_trainers.c.session_id, User.id))
    return [WeekSession(*row, provinces.get(row[0], []), trainers.get(row[0], [])) for row in rows]


class LocalTimes:
    """Vietnam's day and HH:MM of instants, each distinct instant converted once (a week's thousand sessions
    start at a few dozen times)."""

    def __init__(self, zone):
        self.zone = zone
        self.seen: dict[datetime, datetime] = {}

    def local(self, instant: datetime) -> datetime:
        if instant not in self.seen:
            self.seen[instant] = instant.astimezone(self.zone)
        return self.seen[instant]

    def day(self, instant: datetime) -> date:
        return self.local(instant).date()

    def span(self, starts: datetime, ends: datetime) -> str:
        return f"{self.local(starts):%H:%M}–{self.local(ends):%H:%M}"


def week_cards(sessions: list[WeekSession], zone) -> list[WeekCard]:
    """The cards of the week in the sessions' order, in the request's language: each label is translated once
    for the whole week, and a session is "held" once it has ended by the portal's clock."""
    now = clock.now()
    times = LocalTimes(zone)
    audiences = {key: str(label) for key, label in AUDIENCE_LABELS.items()}
    modes = {key: str(label) for key, label in MODE_LABELS.items()}
    states = {key: str(label) for key, label in STATUS_LABELS.items()} | {"held": str(HELD_LABEL)}
    cards = []
    for item in sessions:
        state = "cancelled" if item.is_cancelled else "held" if item.ends_at <= now else item.status
        cards.append(WeekCard(
            session=item, day=times.day(item.starts_at), when=times.span(item.starts_at, item.ends_at), state=state,
            state_label=states[state], tag=TAG_CLASSES.get(state, state), provinces=", ".join(item.province_names),
            audience_label=audiences[item.audience], mode_label=modes[item.mode], trainers=", ".join(item.trainer_names)))
    return cards


def by_day(cards: list[WeekCard], monday: date) -> tuple[list[date], dict[date, list[WeekCard]]]:
    """The days the grid shows (Monday to Friday, and a weekend day that has a session) and each one's cards."""
    days = [monday + timedelta(days=offset) for offset in range(7)]
    grouped = {day: [] for day in days}
    for card in cards:
        grouped[card.day].append(card)
    return [day for day in days if day.weekday() < 5 or grouped[day]], grouped
