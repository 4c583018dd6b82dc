"""Importing the form that provinces already filled: parse, map columns, preview with per-row errors, apply.

Nothing reaches the contacts table before the user confirms, and then every row is written or none.
Rows that name nobody (the template's untouched lines) are skipped and counted, not refused.
"""
import re
from dataclasses import dataclass, field
from math import ceil

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from portal.contacts.models import CADRES_PER_DEPARTMENT, Contact
from portal.contacts import services
from portal.contacts.services import Seat, clean_person, save_seat
from portal.contacts.spreadsheets import SHEET_TITLES
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.imports import services as imports
from portal.imports.models import PendingImport
from portal.imports.services import keep_upload
from portal.privacy import notices
from portal.units.models import Commune, Department, Province
from portal.util.pagination import RowPage
from portal.util.text import fold

# Headers that name each field, as clerks write them (compared by portal.util.sheets.header_key:
# without case, diacritics, "*", notes in brackets; "Xã, phường" is "Xã/phường").
HEADER_ALIASES = {
    "unit": ("đơn vị", "tên đơn vị", "xã/phường/đặc khu", "tên xã/phường/đặc khu", "xã/phường", "tên xã/phường",
             "xã", "tên xã", "mã đơn vị", "mã xã", "sở", "tên sở", "unit", "commune", "department"),
    "full_name": ("họ và tên", "họ tên", "họ và tên cán bộ", "tên cán bộ", "full name", "name"),
    "position": ("chức vụ", "chức danh", "chức vụ/chức danh", "position", "title"),
    "unit_name": ("phòng/bộ phận", "phòng ban", "bộ phận", "phòng", "office", "division"),
    "phone": ("số điện thoại", "điện thoại", "điện thoại di động", "số điện thoại di động", "số điện thoại liên hệ",
              "điện thoại liên hệ", "sđt", "số đt", "đt", "di động", "phone", "mobile"),
    "email": ("email", "e-mail", "địa chỉ email", "email công vụ", "thư điện tử", "địa chỉ thư điện tử"),
    "cccd": ("số cccd", "cccd", "căn cước công dân", "số căn cước công dân", "số căn cước", "cccd/cmnd", "cmnd/cccd"),
    "province": ("tỉnh/thành phố", "tỉnh", "tỉnh/tp", "province"),
}
REQUIRED_FIELDS = ("unit", "full_name", "phone", "email")
PERSON_FIELDS = services.PERSON_FIELDS + ("cccd",)
FIELD_LABELS = {
    "unit": _l("Unit (commune name or code, or department)"),
    "full_name": _l("Full name"),
    "position": _l("Position"),
    "unit_name": _l("Unit (office or division)"),
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "cccd": _l("CCCD"),
    "province": _l("Province"),
}
UNIT_PREFIX = re.compile(r"^(xa|phuong|dac khu|x\.|p\.|dk\.)\s*")
PROVINCE_PREFIX = re.compile(r"^(tinh|thanh pho|tp\.?)\s+")
PREVIEW_PAGE_SIZE = 20


@dataclass
class RowCheck:
    """One row of the file: what it says, where it goes, whom it replaces, and why it cannot be saved."""

    line: int
    values: dict
    person: dict = field(default_factory=dict)
    seat: Seat | None = None
    unit: Commune | Department | None = None
    current: Contact | None = None
    action: str = ""
    errors: list = field(default_factory=list)


@dataclass
class ImportCheck:
    """Every row that names a person, checked, and how many rows named nobody."""

    rows: list[RowCheck]
    skipped: int

    @property
    def error_rows(self) -> list[RowCheck]:
        return [row for row in self.rows if row.errors]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action and not row.errors)

    def page(self, only_errors: bool, number: int, per_page: int = PREVIEW_PAGE_SIZE) -> RowPage:
        """A page of the preview: rows with errors first, then the others in file order (or the errors only)."""
        errors = self.error_rows
        shown = errors if only_errors else errors + [row for row in self.rows if not row.errors]
        number = min(number, max(1, ceil(len(shown) / per_page)))
        return RowPage(items=shown[(number - 1) * per_page:number * per_page], page=number, per_page=per_page,
                       total=len(shown))


def start_import(user, province: Province, kind: str, filename: str, data: bytes) -> PendingImport:
    """Keep the parsed upload for its preview; nothing is written to the contacts yet. The uploader has confirmed
    that everyone on the list was told today's notice: the upload keeps which version that was."""
    return keep_upload(user, "contacts", filename, data, HEADER_ALIASES, SHEET_TITLES[kind],
                       province_code=province.code, kind=kind, notice_version=notices.current("contact").version)


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


def restore_number_cell(field_name: str, text: str) -> str:
    """Give back the leading zeros that a number cell dropped: 912345678 was the mobile 0912345678,
    a 10- or 11-digit CCCD was 12 digits starting with its province's zeros (001…)."""
    if not (text.isascii() and text.isdigit()):
        return text
    if field_name == "phone" and ((len(text) == 9 and text[0] in "35789") or (len(text) == 10 and text[0] == "2")):
        return "0" + text
    if field_name == "cccd" and len(text) in (10, 11):
        return text.zfill(12)
    return text


def is_blank(raw: dict) -> bool:
    """A row that names nobody: the template's untouched line for a unit (its STT, province and unit only)."""
    return not any(raw.get(name, "").strip() for name in PERSON_FIELDS)


class SeatBook:
    """The province's registered contacts in one query, and who else already administers a commune."""

    def __init__(self, province: Province, checks: list[RowCheck]):
        contacts = db.session.execute(select(Contact).where(Contact.province_code == province.code)).scalars()
        self.by_seat = {Seat.of_contact(contact): contact for contact in contacts}
        emails = {c.person["email"] for c in checks if c.person.get("email")}
        phones = {c.person["phone"] for c in checks if c.person.get("phone")}
        elsewhere = db.session.execute(
            select(Contact).where(Contact.kind == "commune", or_(Contact.email.in_(emails), Contact.phone.in_(phones)))
        ).scalars().all() if emails or phones else []
        self.commune_admins = [(c.commune_code, c.email, c.phone) for c in elsewhere]

    def holder(self, seat: Seat) -> Contact | None:
        return self.by_seat.get(seat)

    def other_commune_of(self, check: RowCheck) -> int | None:
        """The code of another commune this person already administers (one person, one commune)."""
        current = self.holder(check.seat)
        if current is not None and current.is_shared_person_allowed:
            return None
        for code, email, phone in self.commune_admins:
            if code != check.seat.commune_code and (email == check.person.get("email")
                                                    or phone == check.person.get("phone")):
                return code
        return None


def same_person(contact: Contact | None, person: dict) -> bool:
    return contact is not None and (contact.email == person.get("email") or contact.phone == person.get("phone"))


def place_commune_rows(checks: list[RowCheck], province: Province) -> None:
    units = UnitIndex(province)
    seats_used: dict = {}
    people_seen: dict = {}
    for check in checks:
        commune, error = units.find(check.values.get("unit", ""))
        if error:
            check.errors.append(error)
        elif commune.code in seats_used:
            check.errors.append(_l("The same commune is already on line %(line)s.", line=seats_used[commune.code]))
        else:
            seats_used[commune.code] = check.line
            check.seat, check.unit = Seat.of_commune(commune), commune
        for key in (check.person.get("email"), check.person.get("phone")):
            if key and key in people_seen:
                check.errors.append(_l("The same person is already on line %(line)s.", line=people_seen[key]))
                break
        for key in (check.person.get("email"), check.person.get("phone")):
            if key:
                people_seen.setdefault(key, check.line)


def place_department_rows(checks: list[RowCheck], positions: dict[int, int], province: Province,
                          book: SeatBook) -> None:
    """Give each cadre row a seat of its department: a registered person keeps their seat; a new one takes an
    empty seat, then (replacing its holder) the seat of the row's place among the department's lines.

    :param positions: line -> 1 or 2, the row's place among the file's lines for its department (blank lines count,
        so the template's second line of a Sở is its second seat).
    """
    departments = {fold(d.name): d for d in province.departments}
    by_department: dict = {}
    for check in checks:
        department = departments.get(fold(check.values.get("unit", "")))
        if department is None and len(departments) == 1:
            department = next(iter(departments.values()))
        if department is None:
            check.errors.append(_l("“%(name)s” is not a department of this province.", name=check.values.get("unit", "")))
        else:
            check.unit = department
            by_department.setdefault(department.id, (department, []))[1].append(check)
    for department, rows in by_department.values():
        seats = [Seat.of_department(department, number) for number in range(1, CADRES_PER_DEPARTMENT + 1)]
        free = list(seats)
        for check in rows:
            kept = next((seat for seat in free if same_person(book.holder(seat), check.person)), None)
            if kept is not None:
                check.seat = kept
                free.remove(kept)
        for check in rows:
            if check.seat is not None:
                continue
            if not free:
                check.errors.append(_l("A department has at most two cadres; this is the third row for it."))
                continue
            preferred = positions.get(check.line, 1)
            check.seat = min(free, key=lambda seat: (book.holder(seat) is not None, seat.seat != preferred, seat.seat))
            free.remove(check.seat)


def department_positions(pending: PendingImport, province: Province) -> dict[int, int]:
    """line -> its place (1, 2, ...) among the lines naming the same department, blank lines included."""
    departments = {fold(d.name): d.id for d in province.departments}
    seen: dict = {}
    positions = {}
    for line, *cells in pending.rows:
        unit = fold(imports.row_values(pending, cells).get("unit", ""))
        key = departments.get(unit, unit)
        seen[key] = seen.get(key, 0) + 1
        positions[line] = seen[key]
    return positions


def check_import(pending: PendingImport) -> ImportCheck:
    """Every row that names a person with its seat, whom it replaces, what saving would do, and its errors."""
    province = db.session.get(Province, pending.province_code)
    checks, skipped = [], 0
    for line, *cells in pending.rows:
        raw = {name: restore_number_cell(name, value) for name, value in imports.row_values(pending, cells).items()}
        if is_blank(raw):
            skipped += 1
            continue
        person, errors = clean_person(raw)
        check = RowCheck(line=line, values=raw, person=person, errors=list(errors.values()))
        written = PROVINCE_PREFIX.sub("", fold(raw.get("province", "")))
        if written and written not in (fold(province.name), str(province.code)):
            check.errors.append(_l("The row belongs to another province (%(name)s).", name=raw["province"]))
        checks.append(check)
    book = SeatBook(province, checks)
    if pending.kind == "commune":
        place_commune_rows(checks, province)
    else:
        place_department_rows(checks, department_positions(pending, province), province, book)
    for check in checks:
        if check.seat is None:
            continue
        check.current = book.holder(check.seat)
        other = book.other_commune_of(check) if check.seat.kind == "commune" else None
        if other is not None:
            check.errors.append(_l("This person is already the administrator of another commune (code %(code)s). "
                                   "Only a ministry administrator can allow one person for two communes.", code=other))
        check.action = ("create" if check.current is None
                        else "update" if same_person(check.current, check.person) else "replace")
    return ImportCheck(rows=checks, skipped=skipped)


def check_rows(pending: PendingImport) -> list[RowCheck]:
    """The rows that name a person, checked (blank rows left out): what the command line and saving go through."""
    return check_import(pending).rows


@dataclass(frozen=True)
class Applied:
    saved: int
    skipped: int


def apply_import(actor, pending: PendingImport) -> Applied:
    """Write every row that names a person in one transaction, or nothing if any is refused."""
    if pending.notice_version != notices.current("contact").version:
        raise DomainError(_l("The notice changed after the file was uploaded. Upload it again and confirm that "
                             "everyone on the list was told the new text; nothing has been saved."))
    checked = check_import(pending)
    if not checked.rows:
        raise DomainError(_l("No row of the file names a person; nothing has been saved."))

    def save_row(check: RowCheck) -> None:
        save_seat(actor, check.seat, check.values, check.current.version if check.current else None,
                  is_replacement=check.action == "replace", commit=False)

    return Applied(saved=imports.save_all(pending, checked.rows, save_row), skipped=checked.skipped)
