"""The dashboard's headline figures and the order of its bars: the weakest provinces first, so they stand out.

The figures come from the readiness rows already loaded, plus one query for sessions: the dashboard's query count
does not grow with the data.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from portal.core import clock
from portal.core.extensions import db
from portal.reports.readiness import Readiness
from portal.training.models import TrainingSession

CHART_ORDERS = {  # how the bars are sorted: by value (weakest first), by name (Vietnamese order) or by code
    "value": lambda label, value, row: (value, row.province.sort_key),
    "name": lambda label, value, row: row.province.sort_key,
    "code": lambda label, value, row: row.province.code,
}


@dataclass
class Headline:
    value: int
    label: str
    out_of: int | None = None
    note: str = ""
    warn: bool = False


def chart_rows(rows: list[Readiness], attribute: str, order: str = "value") -> list[tuple[str, float]]:
    """(province name, value) pairs for a bar chart, in the order asked for."""
    key = CHART_ORDERS.get(order, CHART_ORDERS["value"])
    pairs = [(row.province.name, getattr(row, attribute), row) for row in rows]
    return [(label, value) for label, value, _row in sorted(pairs, key=lambda item: key(*item))]


def session_counts() -> tuple[int, int]:
    """Sessions held so far and sessions planned in all (neither counts a cancelled one), in one query."""
    held, planned = db.session.execute(
        select(func.coalesce(func.sum(case((TrainingSession.ends_at < clock.now(), 1), else_=0)), 0),
               func.count(TrainingSession.id))
        .where(TrainingSession.status != "cancelled")
    ).one()
    return held, planned


def headlines(rows: list[Readiness], total: Readiness) -> list[Headline]:
    """Seven figures with a one-line label each: registration, training, support, account requests and the
    dossiers waiting for an account (with how many provinces have both dossiers and requests waiting)."""
    complete = sum(1 for row in rows if row.communes_registered == row.communes
                   and row.departments_complete == row.departments)
    held, planned = session_counts()
    standing_out = sum(1 for row in rows if row.stands_out)
    waiting = total.backlog.dossiers if total.backlog else 0
    return [
        Headline(complete, _l("provinces with every contact registered"), len(rows)),
        Headline(total.communes_registered, _l("commune administrators registered"), total.communes),
        Headline(held, _l("training sessions held, of those planned"), planned),
        Headline(total.trained, _l("people trained, of those registered"), total.registered),
        Headline(total.open_tickets, _l("open support tickets"),
                 note=_l("%(count)s overdue", count=total.overdue_tickets), warn=total.overdue_tickets > 0),
        Headline(total.requests_pending, _l("account requests waiting for an answer"),
                 note=_l("%(count)s granted", count=total.requests_granted), warn=total.requests_pending > 0),
        Headline(waiting, _l("dossiers waiting for an account (latest figures)"),
                 note=_l("%(count)s provinces also have requests waiting", count=standing_out), warn=standing_out > 0),
    ]
