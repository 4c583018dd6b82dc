"""Registration completeness: the national table and a province's communes with their status."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, and_, case, func, select, tuple_

from portal.contacts.models import CADRES_PER_DEPARTMENT, Contact
from portal.core.extensions import db
from portal.util.text import fold
from portal.units.models import Commune, Department, Province

SORT_KEYS = {
    "code": lambda row: row.province.code,
    "name": lambda row: row.province.sort_key,
    "departments": lambda row: (row.departments_ratio, row.province.code),
    "communes": lambda row: (row.communes_ratio, row.province.code),
    "late": lambda row: (row.late, row.province.code),
    "changed": lambda row: (row.last_change is not None, row.last_change or datetime.min, row.province.code),
}


@dataclass
class ProvinceProgress:
    province: Province
    departments: int = 0
    departments_complete: int = 0
    cadres: int = 0
    communes: int = 0
    communes_registered: int = 0
    late: int = 0
    last_change: datetime | None = None
    department_names: list[str] = field(default_factory=list)

    @property
    def departments_ratio(self) -> float:
        return self.departments_complete / self.departments if self.departments else 0.0

    @property
    def communes_ratio(self) -> float:
        return self.communes_registered / self.communes if self.communes else 0.0

    @property
    def communes_missing(self) -> int:
        return self.communes - self.communes_registered


def later(a: datetime | None, b: datetime | None) -> datetime | None:
    return max((x for x in (a, b) if x is not None), default=None)


def national_progress(provinces: Select, commune_kind: str = "", sort: str = "code",
                      descending: bool = False) -> list[ProvinceProgress]:
    """One row per province in three queries, whatever the number of communes and contacts."""
    rows = {p.code: ProvinceProgress(p) for p in db.session.execute(provinces.order_by(Province.code)).scalars()}
    commune_join = and_(Contact.commune_code == Commune.code, Contact.kind == "commune")
    commune_query = (
        select(
            Commune.province_code,
            func.count(Commune.code),
            func.count(Contact.id),
            func.coalesce(func.sum(case((Contact.is_late, 1), else_=0)), 0),
            func.max(Contact.updated_at),
        )
        .outerjoin(Contact, commune_join)
        .where(Commune.province_code.in_(rows))
        .group_by(Commune.province_code)
    )
    if commune_kind:
        commune_query = commune_query.where(Commune.kind == commune_kind)
    for code, total, registered, late, changed in db.session.execute(commune_query):
        row = rows[code]
        row.communes, row.communes_registered, row.late, row.last_change = total, registered, late, changed
    department_query = (
        select(
            Department.province_code,
            Department.name,
            func.count(Contact.id),
            func.coalesce(func.sum(case((Contact.is_late, 1), else_=0)), 0),
            func.max(Contact.updated_at),
        )
        .outerjoin(Contact, Contact.department_id == Department.id)
        .where(Department.province_code.in_(rows))
        .group_by(Department.id, Department.province_code, Department.name)
        .order_by(Department.id)
    )
    for code, name, cadres, late, changed in db.session.execute(department_query):
        row = rows[code]
        row.departments += 1
        row.departments_complete += cadres >= CADRES_PER_DEPARTMENT
        row.cadres += cadres
        row.late += late
        row.last_change = later(row.last_change, changed)
        row.department_names.append(name)
    key = SORT_KEYS.get(sort, SORT_KEYS["code"])
    return sorted(rows.values(), key=key, reverse=descending)


def totals(rows: list[ProvinceProgress]) -> ProvinceProgress:
    """The sum of the rows, as one more row without a province."""
    total = ProvinceProgress(province=None)
    for row in rows:
        total.departments += row.departments
        total.departments_complete += row.departments_complete
        total.cadres += row.cadres
        total.communes += row.communes
        total.communes_registered += row.communes_registered
        total.late += row.late
        total.last_change = later(total.last_change, row.last_change)
    return total


def communes_with_contacts(province: Province, search: str = "", kind: str = "", status: str = "") -> Select:
    """A province's communes, each with its administrator or None, in dictionary order."""
    query = (
        select(Commune, Contact)
        .outerjoin(Contact, and_(Contact.commune_code == Commune.code, Contact.kind == "commune"))
        .where(Commune.province_code == province.code)
    )
    if search:
        query = query.where(Commune.search_name.contains(fold(search), autoescape=True))
    if kind:
        query = query.where(Commune.kind == kind)
    if status == "missing":
        query = query.where(Contact.id.is_(None))
    elif status == "registered":
        query = query.where(Contact.id.is_not(None))
    elif status == "late":
        query = query.where(Contact.is_late.is_(True))
    return query.order_by(Commune.sort_key, Commune.code)


def department_seats(province: Province) -> list[tuple[Department, list[Contact | None]]]:
    """Each department of the province with its two seats (None where empty), in one query."""
    contacts = db.session.execute(
        select(Contact).where(Contact.province_code == province.code, Contact.kind == "department")
    ).scalars()
    by_seat = {(c.department_id, c.seat): c for c in contacts}
    return [
        (department, [by_seat.get((department.id, seat)) for seat in range(1, CADRES_PER_DEPARTMENT + 1)])
        for department in province.departments
    ]


def missing_communes(province_code: int) -> list[Commune]:
    return db.session.execute(
        select(Commune)
        .outerjoin(Contact, Contact.commune_code == Commune.code)
        .where(Commune.province_code == province_code, Contact.id.is_(None))
        .order_by(Commune.sort_key)
    ).scalars().all()


def next_unregistered(province_code: int, current: Commune | Department) -> Commune | Department | None:
    """The unit after `current` that still has an empty seat: the province's departments (in order), then its
    communes (in dictionary order), going round to the start; None when every other unit is registered."""
    cadres = (select(Contact.department_id, func.count(Contact.id).label("held"))
              .where(Contact.kind == "department").group_by(Contact.department_id).subquery())
    open_departments = db.session.execute(
        select(Department).outerjoin(cadres, cadres.c.department_id == Department.id)
        .where(Department.province_code == province_code,
               func.coalesce(cadres.c.held, 0) < CADRES_PER_DEPARTMENT)
        .order_by(Department.id)
    ).scalars().all()
    missing = (select(Commune).outerjoin(Contact, Contact.commune_code == Commune.code)
               .where(Commune.province_code == province_code, Contact.id.is_(None))
               .order_by(Commune.sort_key, Commune.code).limit(1))
    if isinstance(current, Department):
        after = [d for d in open_departments if d.id > current.id]
        if after:
            return after[0]
        before = [d for d in open_departments if d.id < current.id]
        return db.session.execute(missing).scalar() or (before[0] if before else None)
    position, here = tuple_(Commune.sort_key, Commune.code), tuple_(current.sort_key, current.code)
    later = db.session.execute(missing.where(position > here)).scalar()
    if later is not None:
        return later
    if open_departments:
        return open_departments[0]
    return db.session.execute(missing.where(position < here)).scalar()
