"""Readiness per province: registration, training, support, the integrations, account requests and the dossiers
waiting for an account, in a constant number of queries.

The score (0-100) is shown with its formula on the dashboard:
  40 x registration (seats filled: communes with an administrator and departments with 2 cadres, over all seats)
+ 30 x training coverage (registered people who attended at least one session, over registered people)
+ 20 x integrations (the mean over every kind: live 1, testing 0.7, configuring 0.4, information sent 0.2,
       not started or blocked 0)
+ 10 x support (share of open tickets that are not overdue; 1 with no open ticket)
"""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, and_, case, exists, func, or_, select

from portal.accounts.models import AccountRequest
from portal.backlog.services import Latest, latest_by_province
from portal.contacts.models import Contact
from portal.contacts.progress import national_progress
from portal.core.extensions import db
from portal.core.models_base import utcnow
from portal.integrations import services as integrations
from portal.util.pagination import RowPage, paginate_rows
from portal.support.models import OPEN_STATUSES, Ticket
from portal.training.enrolment import coverage
from portal.training.models import Enrolment
from portal.units.models import Commune, Province

SORT_KEYS = {  # the dashboard's columns, by their name in the query string
    "code": lambda r: r.province.code, "name": lambda r: r.province.sort_key,
    "registration": lambda r: (r.registration, r.province.code), "training": lambda r: (r.training, r.province.code),
    "tickets": lambda r: (r.open_tickets, r.province.code), "integrations": lambda r: (r.integrations, r.province.code),
    "score": lambda r: (r.score, r.province.code),
    "backlog": lambda r: (r.backlog.dossiers if r.backlog else -1, r.requests_pending, r.province.code),
}


@dataclass
class Readiness:
    province: Province
    communes: int
    communes_registered: int
    departments: int
    departments_complete: int
    registered: int
    trained: int
    open_tickets: int
    overdue_tickets: int
    integrations: float  # 0 to 1: how far the province is over every kind of integration
    integrations_live: int
    integrations_blocked: int
    requests_pending: int = 0  # account requests waiting for an answer
    requests_granted: int = 0
    backlog: Latest | None = None  # the latest figure of dossiers waiting for an account, if any

    @property
    def stands_out(self) -> bool:
        """Dossiers are waiting for an account while account requests still wait for an answer."""
        return bool(self.backlog and self.backlog.dossiers and self.requests_pending)

    @property
    def registration(self) -> float:
        seats = self.communes + self.departments
        return (self.communes_registered + self.departments_complete) / seats if seats else 0.0

    @property
    def training(self) -> float:
        return self.trained / self.registered if self.registered else 0.0

    @property
    def support(self) -> float:
        return 1 - self.overdue_tickets / self.open_tickets if self.open_tickets else 1.0

    @property
    def score(self) -> int:
        return round(100 * (0.4 * self.registration + 0.3 * self.training
                            + 0.2 * self.integrations + 0.1 * self.support))


def overdue_condition(now):
    return or_(and_(Ticket.first_response_at.is_(None), Ticket.first_response_due < now), Ticket.resolution_due < now)


def ticket_counts(codes: list[int]) -> dict[int, tuple[int, int]]:
    """Open and overdue tickets per province, in one query."""
    now = utcnow()
    rows = db.session.execute(
        select(Ticket.province_code, func.count(Ticket.id),
               func.coalesce(func.sum(case((overdue_condition(now), 1), else_=0)), 0))
        .where(Ticket.status.in_(OPEN_STATUSES), Ticket.province_code.in_(codes))
        .group_by(Ticket.province_code)
    ).all()
    return {code: (opened, overdue) for code, opened, overdue in rows}


def request_counts(codes: list[int]) -> dict[int, tuple[int, int]]:
    """Account requests pending and granted per province, in one query."""
    rows = db.session.execute(
        select(AccountRequest.province_code,
               func.coalesce(func.sum(case((AccountRequest.status == "requested", 1), else_=0)), 0),
               func.coalesce(func.sum(case((AccountRequest.status == "granted", 1), else_=0)), 0))
        .where(AccountRequest.province_code.in_(codes))
        .group_by(AccountRequest.province_code)
    ).all()
    return {code: (int(pending), int(granted)) for code, pending, granted in rows}


def national_readiness(provinces: Select, sort: str = "code", descending: bool = False) -> list[Readiness]:
    progress = {row.province.code: row for row in national_progress(provinces)}
    trained = {row.province_code: row for row in coverage(provinces)}
    tickets = ticket_counts(list(progress))
    kinds = integrations.kinds()
    cells = integrations.statuses_by_province(list(progress))
    account_requests = request_counts(list(progress))
    waiting = latest_by_province(list(progress))
    rows = [
        Readiness(row.province, row.communes, row.communes_registered, row.departments, row.departments_complete,
                  trained[code].registered, trained[code].attended, *tickets.get(code, (0, 0)),
                  integrations.progress(cells.get(code, {}), kinds),
                  integrations.count_status(cells.get(code, {}), "live"),
                  integrations.count_status(cells.get(code, {}), "blocked"),
                  *account_requests.get(code, (0, 0)), waiting.get(code))
        for code, row in progress.items()
    ]
    return sorted(rows, key=SORT_KEYS.get(sort, SORT_KEYS["code"]), reverse=descending)


def totals(rows: list[Readiness]) -> Readiness:
    fields = ("communes", "communes_registered", "departments", "departments_complete", "registered", "trained",
              "open_tickets", "overdue_tickets", "integrations_live", "integrations_blocked", "requests_pending",
              "requests_granted")
    summed = {name: sum(getattr(row, name) for row in rows) for name in fields}
    mean = sum(row.integrations for row in rows) / len(rows) if rows else 0.0
    return Readiness(province=None, integrations=mean, backlog=backlog_total(rows), **summed)


def backlog_total(rows: list[Readiness]) -> Latest | None:
    """The provinces' latest figures summed, as of the latest of their days; the change counts the provinces that
    have a figure before their latest (None when none has)."""
    figures = [row.backlog for row in rows if row.backlog]
    if not figures:
        return None
    compared = [figure for figure in figures if figure.previous is not None]
    previous = sum(f.previous for f in compared) + sum(f.dossiers for f in figures if f.previous is None)
    return Latest(sum(f.dossiers for f in figures), max(f.as_of for f in figures),
                          previous if compared else None)


def commune_rows(province: Province, page: int, per_page: int) -> RowPage:
    """A province's communes: administrator, whether they attended a session, open tickets; one query a page."""
    attended = exists().where(Enrolment.contact_id == Contact.id, Enrolment.attendance == "present")
    open_tickets = (select(func.count(Ticket.id)).where(Ticket.commune_code == Commune.code, Ticket.status.in_(OPEN_STATUSES))
                    .scalar_subquery())
    query = (
        select(Commune, Contact, attended.label("attended"), open_tickets.label("open_tickets"))
        .outerjoin(Contact, and_(Contact.commune_code == Commune.code, Contact.kind == "commune"))
        .where(Commune.province_code == province.code)
        .order_by(Commune.sort_key, Commune.code)
    )
    return paginate_rows(query, page, per_page)


def tickets_per_week(weeks: int = 8, province_code: int | None = None) -> list[tuple]:
    """(Monday, opened, resolved) for the last weeks, from two grouped queries by day."""
    since = utcnow() - timedelta(weeks=weeks)
    counts: dict = {}
    for column, index in ((Ticket.created_at, 0), (Ticket.resolved_at, 1)):
        day = func.date(column)
        query = select(day, func.count(Ticket.id)).where(column >= since).group_by(day)
        if province_code is not None:
            query = query.where(Ticket.province_code == province_code)
        for value, count in db.session.execute(query).all():
            as_date = value if isinstance(value, date) else date.fromisoformat(str(value))
            monday = as_date - timedelta(days=as_date.weekday())
            counts.setdefault(monday, [0, 0])[index] += count
    first = (since.date() - timedelta(days=since.weekday())) + timedelta(weeks=1)
    mondays = [first + timedelta(weeks=n) for n in range(weeks)]
    return [(monday, *counts.get(monday, (0, 0))) for monday in mondays]
