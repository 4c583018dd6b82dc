"""Recording dossiers waiting for an account, and reading the latest figure of every province.

The figure of a province on a day is its province-level row of that day when there is one, else the sum of its
communes' rows of that day; the latest figure is the one of the latest day with any row, and its change is
measured against the day before it that has a row.
"""
from datetime import date
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from portal.audit import services as audit
from portal.backlog.models import BACKLOG_SOURCES, BacklogReport
from portal.core import clock
from portal.core.database import commit_written
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.units.models import Commune, Province

FIRST_DAY = date(2025, 12, 1)  # the month before the centralized system went live (01/01/2026)
MAX_DOSSIERS = 1_000_000
NOTE_LENGTH = 500


class Latest(NamedTuple):
    """A province's latest figure, its day, and the figure of the day with a row before it (None if none)."""

    dossiers: int
    as_of: date
    previous: int | None

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.dossiers - self.previous


def today() -> date:
    """The portal clock's day in Vietnam: a figure may be dated up to today, not later."""
    return clock.now().astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def checked(province_code: int, as_of, dossiers, commune_code: int | None, note: str, source: str) -> str:
    """Refuse what cannot be recorded, each with its field; return the note cleaned."""
    if db.session.get(Province, province_code) is None:
        raise DomainError(_l("Choose a province in the list."), field="province_code")
    if not isinstance(as_of, date):
        raise DomainError(_l("Enter the date of the figure, as dd/mm/yyyy."), field="as_of")
    if as_of < FIRST_DAY:
        raise DomainError(_l("The date cannot be before %(date)s.", date=FIRST_DAY.strftime("%d/%m/%Y")), field="as_of")
    if as_of > today():
        raise DomainError(_l("The date cannot be in the future."), field="as_of")
    if isinstance(dossiers, bool) or not isinstance(dossiers, int) or not 0 <= dossiers <= MAX_DOSSIERS:
        raise DomainError(_l("Enter a whole number of dossiers from 0 to %(max)s.", max=MAX_DOSSIERS), field="dossiers")
    if commune_code is not None:
        commune = db.session.get(Commune, commune_code)
        if commune is None or commune.province_code != province_code:
            raise DomainError(_l("Choose a commune of this province."), field="commune_code")
    note = " ".join((note or "").split())
    if len(note) > NOTE_LENGTH:
        raise DomainError(_l("Write at most %(count)s characters.", count=NOTE_LENGTH), field="note")
    if source not in BACKLOG_SOURCES:
        raise DomainError(_l("Unknown source."), field="source")
    return note


def same_day(province_code: int, commune_code: int | None, as_of: date):
    unit = BacklogReport.commune_code.is_(None) if commune_code is None else BacklogReport.commune_code == commune_code
    return select(BacklogReport).where(BacklogReport.province_code == province_code, BacklogReport.as_of == as_of, unit)


def record(actor, province_code: int, as_of: date, dossiers: int, commune_code: int | None = None, note: str = "",
           source: str = "portal", via: str = "") -> BacklogReport:
    """Validate, then write the day's figure for the unit and its audit event in one transaction.

    A figure already recorded for that day and unit is replaced; two first writers of the same day: the later wins.
    :param via: what recorded it when no person did (the API token), named in the audit event's detail.
    """
    note = checked(province_code, as_of, dossiers, commune_code, note, source)

    def write() -> BacklogReport:
        found = db.session.execute(same_day(province_code, commune_code, as_of)).scalar_one_or_none()
        if found is None:
            found = BacklogReport(province_code=province_code, commune_code=commune_code, as_of=as_of)
            db.session.add(found)
        found.dossiers, found.note, found.source = dossiers, note, source
        found.recorded_by_id = actor.id if actor is not None else None
        unit = f"{province_code}/{commune_code}" if commune_code is not None else str(province_code)
        by = f"{source}, {via}" if via else source
        audit.record(actor, "backlog.record", f"backlog:{unit}", f"{as_of.isoformat()}: {dossiers} ({by})")
        return found

    return commit_written(write)


def latest_by_province(codes: list[int] | None = None, on: date | None = None) -> dict[int, Latest]:
    """{province code: Latest} for the provinces with a figure, in one query; `on` reads the figures as of that day."""
    province_row = func.max(case((BacklogReport.commune_code.is_(None), BacklogReport.dossiers)))
    daily = (select(BacklogReport.province_code, BacklogReport.as_of,
                    func.coalesce(province_row, func.sum(BacklogReport.dossiers)).label("dossiers"),
                    func.row_number().over(partition_by=BacklogReport.province_code,
                                           order_by=BacklogReport.as_of.desc()).label("rank"))
             .group_by(BacklogReport.province_code, BacklogReport.as_of))
    if codes is not None:
        daily = daily.where(BacklogReport.province_code.in_(codes))
    if on is not None:
        daily = daily.where(BacklogReport.as_of <= on)
    daily = daily.subquery()
    rows = db.session.execute(select(daily.c.province_code, daily.c.as_of, daily.c.dossiers)
                              .where(daily.c.rank <= 2).order_by(daily.c.province_code, daily.c.rank)).all()
    latest: dict[int, Latest] = {}
    for code, as_of, dossiers in rows:
        if code in latest:
            latest[code] = latest[code]._replace(previous=int(dossiers))
        else:
            latest[code] = Latest(int(dossiers), as_of, None)
    return latest


def history(province_code: int, page: int, per_page: int):
    """The province's recorded figures, latest day first (its own row before its communes'), a page at a time."""
    query = (select(BacklogReport).options(joinedload(BacklogReport.commune), joinedload(BacklogReport.recorded_by))
             .where(BacklogReport.province_code == province_code)
             .order_by(BacklogReport.as_of.desc(), BacklogReport.commune_code.is_not(None), BacklogReport.id))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def communes_of(province_code: int) -> list[Commune]:
    return db.session.execute(select(Commune).where(Commune.province_code == province_code)
                              .order_by(Commune.sort_key, Commune.code)).scalars().all()
