"""Importing a plan from .xlsx/.csv: one session per row, previewed with per-row errors, saved all or none.

Tables are accepted as the ministry's clerks write them: one "Thời gian" cell with the day and the times
("Sáng 19/01/2026 (8h00 - 11h30)", "13h30-17h00 ngày 20/01/2026", "Chiều 21/01"), or separate day, start and end
columns; trainers by e-mail or by name; provinces by today's name, with or without "TP."/"Tỉnh", or by their name
from before the 2025 merger ("Bình Định" is today's Gia Lai, and the row says so).

Choices a clerk's table leaves open:
- A half-day without times takes the usual hours of the plan: Sáng 8h00–11h30, Chiều 13h30–17h00.
- A day without a year takes the plan's year: the year written most often in the file's other dates, or when no
  date in the file has one, the year that puts the day in the twelve months from the start of this month.
- Without a number of seats, a session has one seat per person its audience is made of (DOMAIN: each Sở names
  2 cadres, each xã/phường/đặc khu 1 system administrator): 2 per Sở of its provinces for a Sở session, 1 per
  commune for a commune session, both added for a session for both.
- Without "Hình thức", the place decides: a link only is online, a venue only in person, both is both.
"""
import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.auth.models import User
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.core.i18n import local
from portal.core.models_base import utcnow
from portal.imports import services as imports
from portal.imports.models import PendingImport
from portal.training.services import SessionInput, conflicts, save_session, validate
from portal.training.plan_cells import (
    CellError,
    audience_of,
    mode_of,
    parse_when,
    plan_year,
    seats_of,
    when_text,
)
from portal.units.legacy import ProvinceMatcher
from portal.units.models import Commune, Department
from portal.util.text import fold

# Folded headers (portal.util.sheets.header_key: no case, diacritics, punctuation or words in brackets).
HEADER_ALIASES = {
    "when": ("thoi gian", "thoi gian to chuc", "thoi gian tap huan", "ngay gio", "ngay va gio", "lich",
             "lich tap huan", "date and time", "when"),
    "day": ("ngay", "ngay tap huan", "ngay to chuc", "date", "day"),
    "starts": ("bat dau", "gio bat dau", "tu", "tu gio", "start", "starts", "starts at"),
    "ends": ("ket thuc", "gio ket thuc", "den", "den gio", "end", "ends", "ends at"),
    "province": ("tinh thanh pho", "tinh tp", "tinh", "thanh pho", "dia phuong", "ma tinh", "province"),
    "audience": ("doi tuong", "doi tuong tham du", "doi tuong tap huan", "thanh phan", "thanh phan tham du",
                 "hoc vien", "audience"),
    "mode": ("hinh thuc", "hinh thuc to chuc", "hinh thuc tap huan", "mode", "how it is held"),
    "place": ("dia diem duong dan", "dia diem", "dia diem to chuc", "dia diem tap huan", "duong dan",
              "venue link", "venue", "link", "venue or meeting link"),
    "trainer": ("email giang vien", "giang vien", "bao cao vien", "giang vien bao cao vien", "giang vien email",
                "nguoi trinh bay", "email", "e mail", "trainer email", "trainer", "trainers"),
    "capacity": ("so cho", "suc chua", "so luong", "so nguoi", "so luong hoc vien", "so luong tham du",
                 "so hoc vien", "capacity", "seats"),
    "title": ("noi dung", "chuyen de", "noi dung tap huan", "ten buoi", "ten lop", "tieu de", "title"),
}
REQUIRED_FIELDS = ("province", "audience", "place", "trainer")
TIME_FIELDS = ("when", "day")  # one of them: a "Thời gian" cell, or a day column (with start and end columns)
FIELD_LABELS = {
    "when": _l("Date and time (one cell)"), "day": _l("Date"), "starts": _l("Starts at"), "ends": _l("Ends at"),
    "province": _l("Province"), "audience": _l("Audience"), "mode": _l("How it is held"),
    "place": _l("Venue or meeting link"), "trainer": _l("Trainers (name or e-mail)"),
    "capacity": _l("Capacity (seats)"), "title": _l("Title"),
}
# The usual header of each column (the upload page lists them), by which the command line names a missing one.
COLUMN_HEADERS = {
    "when": "Thời gian", "day": "Ngày", "starts": "Bắt đầu", "ends": "Kết thúc", "province": "Tỉnh/thành phố",
    "audience": "Đối tượng", "mode": "Hình thức", "place": "Địa điểm/đường dẫn", "trainer": "Giảng viên",
    "capacity": "Số lượng", "title": "Nội dung",
}
HONORIFIC = re.compile(r"^(?:ong|ba|anh|chi|d/c|dong chi|thay|co|pgs\.?\s*ts|gs\.?\s*ts|ths|ts|ks|cn)\.?\s+")
TITLE_BY_AUDIENCE = {"department": "Tập huấn cán bộ Sở", "commune": "Tập huấn quản trị hệ thống cấp xã",
                     "both": "Tập huấn cán bộ Sở và cấp xã"}
AUDIENCE_LABELS = {"department": _l("Sở"), "commune": _l("communes"), "both": _l("Sở and communes")}
MODE_LABELS = {"in_person": _l("in person"), "online": _l("online"), "both": _l("in person and online")}
SEATS_PER_DEPARTMENT = 2  # DOMAIN: each Sở names 2 cadres
SEATS_PER_COMMUNE = 1  # DOMAIN: each xã/phường/đặc khu names 1 system administrator


def column_names() -> dict[str, str]:
    """How the command line names each field's column: its usual header, quoted; the time in either form."""
    quoted = {name: f"“{header}”" for name, header in COLUMN_HEADERS.items()}
    quoted["when"] = _l("%(when)s, or %(day)s with %(starts)s and %(ends)s", when=quoted["when"], day=quoted["day"],
                        starts=quoted["starts"], ends=quoted["ends"])
    return quoted


@dataclass
class PlanRow:
    line: int
    values: dict
    data: SessionInput | None = None
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # what was read in a way the row does not spell out
    provinces: list = field(default_factory=list)  # (today's province, pre-merger name or "")
    trainers: list = field(default_factory=list)


class TrainerIndex:
    """Active trainer accounts by e-mail and by name (without case or diacritics)."""

    def __init__(self):
        self.trainers = db.session.execute(
            select(User).where(User.role == "trainer", User.is_active.is_(True)).order_by(User.id)).scalars().all()
        self.by_email = {u.email.lower(): u for u in self.trainers}

    @staticmethod
    def describe(users) -> str:
        return ", ".join(f"{u.full_name} ({u.email})" for u in users)

    def find(self, written: str) -> User:
        """The trainer a name or an e-mail names; an unknown or ambiguous one is refused, naming the candidates."""
        if "@" in written:
            user = self.by_email.get(written.strip().lower())
            if user is None:
                raise CellError(_l("No trainer account has the e-mail %(value)s.", value=written.strip()))
            return user
        name = re.sub(r"\(.*?\)", " ", fold(written))
        name = re.split(r"\s[-–]\s", name)[0]
        name = " ".join(name.split())
        while HONORIFIC.match(name) and len(HONORIFIC.sub("", name, count=1).split()) >= 2:
            name = HONORIFIC.sub("", name, count=1)
        # the same words as written, diacritics included ("Đ/c Nguyễn Văn An" is not Nguyễn Văn Ân)
        written_words = re.split(r"\s[-–]\s", re.sub(r"\(.*?\)", " ", written))[0].lower().split()
        as_written = " ".join(written_words[-len(name.split()):])
        same = [u for u in self.trainers if fold(u.full_name) == name]
        exact = [u for u in same if u.full_name.lower() == as_written]
        ending = [u for u in self.trainers if fold(u.full_name).endswith(" " + name)]
        for found in (exact, same, ending):
            if len(found) == 1:
                return found[0]
            if found:
                raise CellError(_l("Several trainers are called “%(value)s”: %(candidates)s. Write the e-mail.",
                                   value=written.strip(), candidates=self.describe(found)))
        given = name.rsplit(" ", 1)[-1]
        alike = [u for u in self.trainers if fold(u.full_name).rsplit(" ", 1)[-1] == given]
        if alike:
            raise CellError(_l("No trainer is called “%(value)s”; trainers with a similar name: %(candidates)s.",
                               value=written.strip(), candidates=self.describe(alike)))
        raise CellError(_l("No trainer is called “%(value)s”.", value=written.strip()))


def split_list(text: str) -> list[str]:
    """The items of a cell that lists several: separated by commas, semicolons, line breaks or "và"."""
    text = re.sub(r"(?i)\b(đ/c|d/c)\s*", "đồng chí ", text)
    return [part.strip() for part in re.split(r"[,;\n]|\s+và\s+|\s+va\s+", text) if part.strip()]


class SeatDefaults:
    """One seat per person the audience is made of (see the module's docstring), counted once per import."""

    def __init__(self):
        self.departments = dict(db.session.execute(
            select(Department.province_code, func.count(Department.id)).group_by(Department.province_code)).all())
        self.communes = dict(db.session.execute(
            select(Commune.province_code, func.count(Commune.code)).group_by(Commune.province_code)).all())

    def seats(self, audience: str, province_codes: list[int]) -> int:
        seats = 0
        if audience in ("department", "both"):
            seats += SEATS_PER_DEPARTMENT * sum(self.departments.get(code, 0) for code in province_codes)
        if audience in ("commune", "both"):
            seats += SEATS_PER_COMMUNE * sum(self.communes.get(code, 0) for code in province_codes)
        return seats


def start_import(user, filename: str, data: bytes) -> PendingImport:
    return imports.keep_upload(user, "training", filename, data, HEADER_ALIASES)


def missing_fields(pending: PendingImport) -> list[str]:
    """Required fields without a column; "when" stands for a "Thời gian" column or a day column."""
    missing = imports.missing_fields(pending, REQUIRED_FIELDS)
    return missing if any(name in pending.mapping for name in TIME_FIELDS) else ["when", *missing]


def set_mapping(pending: PendingImport, chosen: dict[str, int | None]) -> None:
    """The columns chosen on the matching page; a day or a "Thời gian" column is needed besides the required."""
    if not any(chosen.get(name) is not None for name in TIME_FIELDS):
        raise DomainError(_l("Choose the column with the date and time, or the column with the date."))
    imports.set_mapping(pending, chosen, REQUIRED_FIELDS)


def is_heading(values: dict) -> bool:
    """A title or section line inside the table ("Đợt 1", a merged row): at most one of its cells is filled."""
    return sum(1 for name, value in values.items() if value and name != "title") <= 1


@dataclass
class Lookups:
    """What every row is checked against, loaded once per import."""

    provinces: ProvinceMatcher
    trainers: TrainerIndex
    seats: SeatDefaults
    year: int  # the plan's year, 0 when no date of the file has one
    today: date


def row_input(row: PlanRow, lookups: Lookups) -> None:
    """Read one row into row.data, or collect row.errors; row.notes say what was inferred."""
    values, errors = row.values, row.errors
    starts_at = ends_at = None
    try:
        starts_at, ends_at, notes = parse_when(when_text(values), lookups.year, lookups.today)
        row.notes += notes
    except CellError as error:
        errors.append(_l("Date and time “%(value)s”: %(error)s", value=when_text(values), error=error.message))
    for written in split_list(values["province"]) or [""]:
        match = lookups.provinces.find(written)
        if match is None:
            errors.append(_l("“%(value)s” is not a province.", value=written))
        elif match.province.code not in [p.code for p, _legacy in row.provinces]:
            row.provinces.append((match.province, match.legacy_name))
            if match.legacy_name:
                row.notes.append(_l("%(legacy)s → %(today)s (merged in 2025).", legacy=match.legacy_name,
                                    today=match.province.name))
    audience = audience_of(values["audience"])
    if audience is None:
        errors.append(_l("Audience “%(value)s”: write Sở, xã or Sở và xã.", value=values["audience"]))
    parts = [part.strip() for part in re.split(r"\s*[|;\n]\s*", values["place"]) if part.strip()]
    mode = mode_of(values["mode"], parts)
    if mode is None:
        errors.append(_l("How it is held: write trực tiếp, trực tuyến or kết hợp."))
    elif not values["mode"]:
        row.notes.append(_l("Held %(mode)s, from the place.", mode=MODE_LABELS[mode]))
    for written in split_list(values["trainer"]) or [""]:
        try:
            if not written:
                raise CellError(_l("No trainer."))
            trainer = lookups.trainers.find(written)
            if trainer not in row.trainers:
                row.trainers.append(trainer)
        except CellError as error:
            errors.append(error.message)
    capacity = seats_of(values["capacity"]) if values["capacity"] else None
    if values["capacity"] and capacity is None:
        errors.append(_l("“%(value)s” is not a number of seats.", value=values["capacity"]))
    if errors:
        return
    province_codes = [province.code for province, _legacy in row.provinces]
    if capacity is None:
        capacity = lookups.seats.seats(audience, province_codes)
        row.notes.append(_l("%(count)s seats, the default for %(audience)s.", count=capacity,
                            audience=AUDIENCE_LABELS[audience]))
    names = ", ".join(province.name for province, _legacy in row.provinces)
    row.data = SessionInput(
        title=" ".join(values.get("title", "").split()) or f"{TITLE_BY_AUDIENCE[audience]} - {names}",
        audience=audience, mode=mode, starts_at=starts_at, ends_at=ends_at, capacity=capacity,
        province_codes=province_codes, trainer_ids=[trainer.id for trainer in row.trainers],
        venue=" ".join(p for p in parts if not p.startswith(("http://", "https://"))),
        meeting_url=next((p for p in parts if p.startswith(("http://", "https://"))), ""),
    )
    errors.extend(str(message) for message in validate(row.data).values())


def clashes_within(row: PlanRow, earlier: list[PlanRow]) -> list:
    """A trainer or a province's audience booked twice by rows of the same file."""
    found = []
    for other in earlier:
        if other.data is None or not (other.data.starts_at < row.data.ends_at and other.data.ends_at > row.data.starts_at):
            continue
        if set(other.data.trainer_ids) & set(row.data.trainer_ids):
            found.append(_l("The same trainer is already booked at that time on line %(line)s.", line=other.line))
        audiences = {row.data.audience, other.data.audience}
        if set(other.data.province_codes) & set(row.data.province_codes) and ("both" in audiences or len(audiences) == 1):
            found.append(_l("The same province and audience are already planned at that time on line %(line)s.",
                            line=other.line))
    return found


def read_rows(pending: PendingImport) -> tuple[list[dict], list[int]]:
    """(line, values) of the session rows, and the lines skipped as headings or repeated header rows."""
    header = {name: fold(pending.headers[index]) for name, index in pending.mapping.items()}
    rows, skipped = [], []
    for line, *cells in pending.rows:
        values = {name: "" for name in HEADER_ALIASES} | imports.row_values(pending, cells)
        if is_heading(values) or (header and all(fold(values[name]) == header[name] for name in header)):
            skipped.append(line)
        else:
            rows.append((line, values))
    return rows, skipped


def check_rows(pending: PendingImport) -> list[PlanRow]:
    rows, _skipped = read_rows(pending)
    lookups = Lookups(ProvinceMatcher(), TrainerIndex(), SeatDefaults(),
                      year=plan_year([when_text(values) for _line, values in rows]), today=local(utcnow()).date())
    checked: list[PlanRow] = []
    for line, values in rows:
        row = PlanRow(line=line, values=values)
        row_input(row, lookups)
        if row.data is not None and not row.errors:
            row.errors = [str(w) for w in conflicts(row.data)] + [str(c) for c in clashes_within(row, checked)]
        checked.append(row)
    return checked


def skipped_lines(pending: PendingImport) -> list[int]:
    return read_rows(pending)[1]


def apply_import(actor, pending: PendingImport) -> int:
    """Create every session in one transaction, or none if any row is refused.

    A plan table may record sessions already held: confirming its preview confirms them too.
    """
    return imports.save_all(pending, check_rows(pending),
                            lambda row: save_session(actor, None, row.data, commit=False, past_confirmed=True))
