"""Importing a plan from .xlsx/.csv: one session per row, previewed with per-row errors, saved all or none."""
import re
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.auth.models import User
from portal.core.extensions import db
from portal.imports import services as imports
from portal.imports.models import PendingImport
from portal.util.text import fold
from portal.training.services import SessionInput, conflicts, save_session, validate
from portal.units.models import Province

HEADER_ALIASES = {
    "day": ("ngay", "ngay tap huan", "date"),
    "starts": ("bat dau", "gio bat dau", "tu", "start"),
    "ends": ("ket thuc", "gio ket thuc", "den", "end"),
    "province": ("tinh/thanh pho", "tinh", "ma tinh", "province"),
    "audience": ("doi tuong", "audience"),
    "mode": ("hinh thuc", "mode"),
    "place": ("dia diem/duong dan", "dia diem / duong dan", "dia diem", "venue/link", "venue", "link"),
    "trainer": ("email giang vien", "giang vien", "trainer email", "trainer"),
    "capacity": ("so cho", "suc chua", "capacity"),
    "title": ("ten buoi", "tieu de", "noi dung", "title"),
}
REQUIRED_FIELDS = ("day", "starts", "ends", "province", "audience", "mode", "place", "trainer", "capacity")
FIELD_LABELS = {
    "day": _l("Date"), "starts": _l("Starts at"), "ends": _l("Ends at"), "province": _l("Province"),
    "audience": _l("Audience"), "mode": _l("How it is held"), "place": _l("Venue or meeting link"),
    "trainer": _l("Trainer e-mail"), "capacity": _l("Capacity (seats)"), "title": _l("Title"),
}
AUDIENCE_WORDS = {"department": ("so", "can bo so", "department"), "commune": ("xa", "cap xa", "commune"),
                  "both": ("ca hai", "so va xa", "both")}
MODE_WORDS = {"in_person": ("truc tiep", "in person", "in_person"), "online": ("truc tuyen", "online"),
              "both": ("ket hop", "truc tiep va truc tuyen", "both")}
TIME = re.compile(r"([0-9]{1,2})\s*[:hH]\s*([0-9]{2})?")
PROVINCE_PREFIX = re.compile(r"^(thanh pho|tinh)\s+")
TITLE_BY_AUDIENCE = {"department": "Tập huấn cán bộ Sở", "commune": "Tập huấn quản trị hệ thống cấp xã",
                     "both": "Tập huấn cán bộ Sở và cấp xã"}


@dataclass
class PlanRow:
    line: int
    values: dict
    data: SessionInput | None = None
    errors: list = field(default_factory=list)


def parse_day(text: str):
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def parse_time(text: str):
    match = TIME.fullmatch(text.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2) or 0) > 59:
        return None
    return datetime.strptime(f"{match.group(1)}:{match.group(2) or '00'}", "%H:%M").time()


def word_choice(text: str, words: dict) -> str | None:
    folded = fold(text)
    return next((value for value, names in words.items() if folded in names), None)


class ProvinceIndex:
    def __init__(self):
        self.by_key = {}
        for province in db.session.execute(select(Province)).scalars():
            self.by_key[str(province.code)] = province
            self.by_key[province.search_name] = province
            self.by_key[PROVINCE_PREFIX.sub("", province.search_name)] = province

    def find(self, text: str) -> Province | None:
        key = fold(text)
        return self.by_key.get(str(int(key)) if key.isascii() and key.isdigit() else key) or \
            self.by_key.get(PROVINCE_PREFIX.sub("", key))


def start_import(user, filename: str, data: bytes) -> PendingImport:
    return imports.keep_upload(user, "training", filename, data, HEADER_ALIASES)


def missing_fields(pending: PendingImport) -> list[str]:
    return imports.missing_fields(pending, REQUIRED_FIELDS)


def row_input(values: dict, provinces: ProvinceIndex, trainers: dict[str, User]) -> tuple[SessionInput | None, list]:
    errors = []
    day, starts, ends = parse_day(values["day"]), parse_time(values["starts"]), parse_time(values["ends"])
    if day is None:
        errors.append(_l("“%(value)s” is not a date (dd/mm/yyyy).", value=values["day"]))
    if starts is None or ends is None:
        errors.append(_l("Write times as HH:MM, e.g. 08:00."))
    province = provinces.find(values["province"])
    if province is None:
        errors.append(_l("“%(value)s” is not a province.", value=values["province"]))
    audience = word_choice(values["audience"], AUDIENCE_WORDS)
    if audience is None:
        errors.append(_l("Audience: write Sở, xã or cả hai."))
    mode = word_choice(values["mode"], MODE_WORDS)
    if mode is None:
        errors.append(_l("How it is held: write trực tiếp, trực tuyến or kết hợp."))
    emails = [e.strip().lower() for e in re.split(r"[,;\s]+", values["trainer"]) if e.strip()]
    unknown = [e for e in emails if e not in trainers]
    if unknown or not emails:
        errors.append(_l("No trainer account has the e-mail %(value)s.", value=", ".join(unknown) or "—"))
    capacity = int(values["capacity"]) if values["capacity"].isascii() and values["capacity"].isdigit() else None
    if errors:
        return None, errors
    parts = [part.strip() for part in re.split(r"\s*[|;]\s*", values["place"]) if part.strip()]
    data = SessionInput(
        title=values.get("title") or f"{TITLE_BY_AUDIENCE[audience]} - {province.name}", audience=audience, mode=mode,
        starts_at=datetime.combine(day, starts), ends_at=datetime.combine(day, ends), capacity=capacity,
        province_codes=[province.code], trainer_ids=[trainers[e].id for e in emails],
        venue=" ".join(p for p in parts if not p.startswith(("http://", "https://"))),
        meeting_url=next((p for p in parts if p.startswith(("http://", "https://"))), ""),
    )
    return data, [str(message) for message in validate(data).values()]


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


def check_rows(pending: PendingImport) -> list[PlanRow]:
    provinces = ProvinceIndex()
    trainers = {u.email: u for u in db.session.execute(
        select(User).where(User.role == "trainer", User.is_active.is_(True))).scalars()}
    rows: list[PlanRow] = []
    for line, *cells in pending.rows:
        values = {name: "" for name in HEADER_ALIASES} | imports.row_values(pending, cells)
        row = PlanRow(line=line, values=values)
        row.data, row.errors = row_input(values, provinces, trainers)
        if row.data is not None and not row.errors:
            row.errors = [str(w) for w in conflicts(row.data)] + [str(c) for c in clashes_within(row, rows)]
        rows.append(row)
    return rows


def apply_import(actor, pending: PendingImport) -> int:
    """Create every session in one transaction, or none if any row is refused.

    A plan table may record sessions already held: confirming its preview confirms them too.
    """
    return imports.save_all(pending, check_rows(pending),
                            lambda row: save_session(actor, None, row.data, commit=False, past_confirmed=True))
