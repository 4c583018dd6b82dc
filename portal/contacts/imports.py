"""Importing the form that provinces already filled: parse, map columns, preview with per-row errors, apply.

Nothing reaches the contacts table before the user confirms, and then every row is written or none.
"""
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.contacts.models import CADRES_PER_DEPARTMENT
from portal.contacts.services import Seat, clean_person, save_seat, seat_contact
from portal.contacts.spreadsheets import SHEET_TITLES
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.imports import services as imports
from portal.imports.models import PendingImport
from portal.imports.services import keep_upload
from portal.util.text import fold
from portal.units.models import Commune, Province

# Header texts (folded) that name each field, in Vietnamese and English.
HEADER_ALIASES = {
    "unit": ("don vi", "ten don vi", "xa/phuong/dac khu", "ma don vi", "unit", "commune", "department"),
    "full_name": ("ho va ten", "ho ten", "full name", "name"),
    "position": ("chuc vu", "chuc danh", "position", "title"),
    "phone": ("so dien thoai", "dien thoai", "sdt", "phone", "mobile"),
    "email": ("email", "e-mail", "thu dien tu"),
    "province": ("tinh/thanh pho", "tinh", "province"),
}
REQUIRED_FIELDS = ("unit", "full_name", "phone", "email")
FIELD_LABELS = {
    "unit": _l("Unit (commune name or code, or department)"),
    "full_name": _l("Full name"),
    "position": _l("Position"),
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "province": _l("Province"),
}
UNIT_PREFIX = re.compile(r"^(xa|phuong|dac khu)\s+")


@dataclass
class RowCheck:
    line: int
    values: dict
    seat: Seat | None = None
    action: str = ""
    errors: list = field(default_factory=list)


def start_import(user, province: Province, kind: str, filename: str, data: bytes) -> PendingImport:
    """Keep the parsed upload for its preview; nothing is written to the contacts yet."""
    return keep_upload(user, "contacts", filename, data, HEADER_ALIASES, SHEET_TITLES[kind],
                       province_code=province.code, kind=kind)


def missing_fields(pending: PendingImport) -> list[str]:
    return imports.missing_fields(pending, REQUIRED_FIELDS)


class UnitIndex:
    """Finds a province's commune by official code or by name, ignoring case, diacritics and the xã/phường prefix."""

    def __init__(self, province: Province):
        communes = db.session.execute(select(Commune).where(Commune.province_code == province.code)).scalars()
        self.by_code, self.by_name, self.ambiguous = {}, {}, set()
        for commune in communes:
            self.by_code[str(commune.code)] = commune
            full = fold(commune.name)
            for key in {full, UNIT_PREFIX.sub("", full)}:
                if key in self.by_name and self.by_name[key] is not commune:
                    self.ambiguous.add(key)
                self.by_name[key] = commune

    def find(self, text: str) -> tuple[Commune | None, str | None]:
        key = fold(text)
        if key.isascii() and key.isdigit():
            commune = self.by_code.get(str(int(key)))
            return commune, None if commune else _l("No commune of this province has the code %(code)s.", code=text)
        if key in self.ambiguous:
            return None, _l("“%(name)s” names more than one unit: add Xã, Phường or Đặc khu.", name=text)
        commune = self.by_name.get(key) or self.by_name.get(UNIT_PREFIX.sub("", key))
        return commune, None if commune else _l("“%(name)s” is not a commune of this province.", name=text)


def check_rows(pending: PendingImport) -> list[RowCheck]:
    """Every row with its values, its seat, what saving it would do, and its errors."""
    province = db.session.get(Province, pending.province_code)
    units = UnitIndex(province) if pending.kind == "commune" else None
    departments = {fold(d.name): d for d in province.departments}
    seats_used: dict = {}
    people_seen: dict = {}
    checks = []
    for line, *cells in pending.rows:
        raw = imports.row_values(pending, cells)
        values, errors = clean_person(raw)
        check = RowCheck(line=line, values=raw, errors=list(errors.values()))
        if raw.get("province") and fold(raw["province"]) not in (fold(province.name), str(province.code)):
            check.errors.append(_l("The row belongs to another province (%(name)s).", name=raw["province"]))
        if pending.kind == "commune":
            commune, error = units.find(raw.get("unit", ""))
            if error:
                check.errors.append(error)
            elif commune.code in seats_used:
                check.errors.append(_l("The same commune is already on line %(line)s.", line=seats_used[commune.code]))
            else:
                seats_used[commune.code] = line
                check.seat = Seat.of_commune(commune)
        else:
            department = departments.get(fold(raw.get("unit", "")))
            if department is None and len(departments) == 1:
                department = next(iter(departments.values()))
            if department is None:
                check.errors.append(_l("“%(name)s” is not a department of this province.", name=raw.get("unit", "")))
            else:
                taken = seats_used.setdefault(department.id, [])
                taken.append(line)
                if len(taken) > CADRES_PER_DEPARTMENT:
                    check.errors.append(_l("A department has at most two cadres; this is the third row for it."))
                else:
                    check.seat = Seat.of_department(department, len(taken))
        for key in (values.get("email"), values.get("phone")):
            if key and pending.kind == "commune" and key in people_seen:
                check.errors.append(_l("The same person is already on line %(line)s.", line=people_seen[key]))
                break
        for key in (values.get("email"), values.get("phone")):
            if key:
                people_seen.setdefault(key, line)
        if check.seat is not None and not check.errors:
            current = seat_contact(check.seat)
            check.action = "create" if current is None else (
                "update" if current.email == values["email"] else "replace")
        checks.append(check)
    return checks


def apply_import(actor, pending: PendingImport) -> int:
    """Write every row in one transaction, or nothing if any row is refused; return the number written."""

    def save_row(check: RowCheck) -> None:
        current = seat_contact(check.seat)
        save_seat(actor, check.seat, check.values, current.version if current else None,
                  is_replacement=check.action == "replace", commit=False)

    return imports.save_all(pending, check_rows(pending), save_row)
