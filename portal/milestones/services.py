"""The transition calendar's rules: the dates in order, the few the dashboard shows, and admins' audited changes."""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError

from portal.audit.services import record
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.milestones.models import DUTY_LENGTH, TITLE_LENGTH, UNIT_KINDS, Milestone
from portal.util.query import FIRST_DAY, LAST_DAY

UPCOMING_SHOWN = 3  # the dashboard's next dates, besides the latest one passed
DUTY_COLUMNS = tuple(f"for_{kind}{suffix}" for kind in UNIT_KINDS for suffix in ("", "_en"))


@dataclass(frozen=True)
class MilestoneInput:
    """What the form sends; `duties` maps each duty column (for_communes, for_communes_en, ...) to its text."""

    day: date | None
    title_vi: str
    title_en: str = ""
    duties: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Mark:
    """A milestone as a page lists it: passed, the next one to come (highlighted), or later."""

    milestone: Milestone
    state: str  # "past", "next" or "later"


def ordered() -> Select:
    return select(Milestone).order_by(Milestone.day, Milestone.id)


def marked(milestones: list[Milestone], today: date, next_day: date | None = None) -> list[Mark]:
    """Each milestone with its state. The next is the first from today on (a date due today is not past), unless
    `next_day` names it (a page of a longer list may not hold it)."""
    if next_day is None:
        next_day = next((milestone.day for milestone in milestones if milestone.day >= today), None)
    return [Mark(m, "past" if m.day < today else "next" if m.day == next_day else "later") for m in milestones]


def timeline(today: date) -> list[Mark]:
    """Every key date in order, marked (the calendar is a handful of rows: one query, no pages)."""
    return marked(db.session.execute(ordered()).scalars().all(), today)


def near(today: date) -> list[Mark]:
    """The latest date passed and the next UPCOMING_SHOWN ones, in order: one query."""
    upcoming = select(Milestone.id).where(Milestone.day >= today).order_by(Milestone.day).limit(UPCOMING_SHOWN)
    latest = select(Milestone.id).where(Milestone.day < today).order_by(Milestone.day.desc()).limit(1)
    rows = db.session.execute(ordered().where(or_(Milestone.id.in_(upcoming), Milestone.id.in_(latest))))
    return marked(rows.scalars().all(), today)


def next_day(today: date) -> date | None:
    """The day of the next milestone from today on (the list page highlights it whatever page it is on)."""
    return db.session.execute(select(Milestone.day).where(Milestone.day >= today).order_by(Milestone.day)
                              .limit(1)).scalar()


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def paragraph(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").strip()


def validated(details: MilestoneInput) -> dict:
    """The cleaned column values, or a DomainError naming the first field in error."""
    if details.day is None:
        raise DomainError(_l("Enter the date."), field="day")
    if not FIRST_DAY <= details.day <= LAST_DAY:
        raise DomainError(_l("Enter a date between %(first)s and %(last)s.", first=f"{FIRST_DAY:%d/%m/%Y}",
                             last=f"{LAST_DAY:%d/%m/%Y}"), field="day")
    values = {"day": details.day, "title_vi": one_line(details.title_vi), "title_en": one_line(details.title_en)}
    if not values["title_vi"]:
        raise DomainError(_l("Enter the title in Vietnamese."), field="title_vi")
    for name in ("title_vi", "title_en"):
        if len(values[name]) > TITLE_LENGTH:
            raise DomainError(_l("Write at most %(count)s characters.", count=TITLE_LENGTH), field=name)
    for name in DUTY_COLUMNS:
        values[name] = paragraph(details.duties.get(name))
        if len(values[name]) > DUTY_LENGTH:
            raise DomainError(_l("Write at most %(count)s characters.", count=DUTY_LENGTH), field=name)
    return values


def taken_error(day: date) -> DomainError:
    return DomainError(_l("The calendar already has a key date on %(day)s.", day=f"{day:%d/%m/%Y}"), field="day")


def save(actor, milestone: Milestone | None, details: MilestoneInput) -> Milestone:
    """Add a milestone (none given) or change one, with its audit event, in one transaction.

    A new day or title raises the sequence, which subscribed calendars read as "this event changed".
    """
    values = validated(details)
    clash = select(Milestone.id).where(Milestone.day == values["day"])
    if milestone is not None:
        clash = clash.where(Milestone.id != milestone.id)
    if db.session.execute(clash).first() is not None:
        raise taken_error(values["day"])
    creating = milestone is None
    if creating:
        milestone = Milestone(sequence=0)
        db.session.add(milestone)
    elif (milestone.day, milestone.title_vi, milestone.title_en) != (values["day"], values["title_vi"],
                                                                   values["title_en"]):
        milestone.sequence += 1
    for name, value in values.items():
        setattr(milestone, name, value)
    try:
        db.session.flush()
    except IntegrityError:  # another admin took the day since the check above
        db.session.rollback()
        raise taken_error(values["day"]) from None
    record(actor, "milestones.create" if creating else "milestones.edit", f"milestone:{milestone.id}",
           f"{milestone.day:%d/%m/%Y} {milestone.title_vi}")
    db.session.commit()
    return milestone


def delete(actor, milestone: Milestone) -> None:
    """Remove a milestone; it leaves the pages and the feed (subscribed calendars drop the event)."""
    record(actor, "milestones.delete", f"milestone:{milestone.id}", f"{milestone.day:%d/%m/%Y} {milestone.title_vi}")
    db.session.delete(milestone)
    db.session.commit()
