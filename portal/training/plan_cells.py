"""Cells of a plan table as clerks write them: "Sáng 19/01/2026 (8h00 - 11h30)", "Chiều 21/01", "140 người",
"Cán bộ Sở VHTTDL", "Trực tuyến". Each reader gives what the cell means, or raises CellError with a message for
the person who wrote the file. The choices these readers make are listed in portal.training.imports.
"""
import re
from collections import Counter
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l

from portal.util.text import fold

HALF_DAYS = {"sang": (time(8, 0), time(11, 30)), "chieu": (time(13, 30), time(17, 0))}
HALF_DAY_LABELS = {"sang": _l("Morning (sáng)"), "chieu": _l("Afternoon (chiều)")}
TIME = re.compile(r"(?<![0-9])([0-9]{1,2})\s*(?:gio|h|g|:)\s*([0-9]{1,2})?(?:\s*(?:phut|p)\b)?(?![0-9/])")
ISO_DATE = re.compile(r"(?<![0-9])([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?![0-9])")
WORDED_DATE = re.compile(r"ngay\s+([0-9]{1,2})\s+thang\s+([0-9]{1,2})(?:\s+nam\s+([0-9]{4}))?")
DAY_MONTH = re.compile(r"(?<![0-9])([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})(?:\s*[/.\-]\s*([0-9]{4}|[0-9]{2}))?(?![0-9])")
HALF_DAY = re.compile(r"\b(sang|chieu)\b")
SEATS_UNIT = re.compile(r"\s*(?:nguoi|hoc vien|cho|dai bieu|hv)\.?$")
MAX_SEATS = 100_000  # as the session form
PLAN_YEARS = (2000, 2100)  # a year outside is a typing slip (and 0001 would not fit a UTC instant)


class CellError(ValueError):
    """A cell that cannot be read; its message is for the person who wrote the file."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message




def find_times(folded: str) -> tuple[list[time], str]:
    """The times of day in the cell, and the cell without them (so that "13h30-17h00" is not read as a date)."""
    found = []
    for match in TIME.finditer(folded):
        hours, minutes = int(match.group(1)), int(match.group(2) or 0)
        if hours > 23 or minutes > 59:
            raise CellError(_l("“%(value)s” is not a time of day.", value=match.group(0).strip()))
        found.append(time(hours, minutes))
    return found, TIME.sub(" ", folded)


def read_date(folded: str, default_year: int) -> tuple[date, bool]:
    """The one date in the cell and whether it carried its year; a cell with none or several is refused."""
    dates, seen = [], set()
    for pattern, order in ((ISO_DATE, (3, 2, 1)), (WORDED_DATE, (1, 2, 3)), (DAY_MONTH, (1, 2, 3))):
        for match in pattern.finditer(folded):
            parts = tuple(match.group(i) for i in order)
            if tuple(int(p) if p else None for p in parts) not in seen:  # "Ngày" and "Thời gian" may both say it
                seen.add(tuple(int(p) if p else None for p in parts))
                dates.append((match.group(0), *parts))
        folded = pattern.sub(" ", folded)
    if not dates:
        raise CellError(_l("No date: write the day as dd/mm/yyyy, e.g. 19/01/2026."))
    if len(dates) > 1:
        raise CellError(_l("Several dates (%(dates)s): write one session per row.",
                           dates=", ".join(d[0] for d in dates)))
    written, day, month, year = dates[0]
    if year is None and not default_year:
        raise CellError(_l("“%(value)s” has no year.", value=written))
    full_year = int(year) + 2000 if year and len(year) == 2 else int(year or default_year)
    try:
        if not PLAN_YEARS[0] <= full_year <= PLAN_YEARS[1]:
            raise ValueError(full_year)
        return date(full_year, int(month), int(day)), year is not None
    except ValueError:
        raise CellError(_l("“%(value)s” is not a date.", value=written)) from None


def written_years(text: str) -> list[int]:
    """The years written in a cell's dates, to find the plan's year."""
    folded = TIME.sub(" ", fold(text))
    years = [int(m.group(1)) for m in ISO_DATE.finditer(folded)]
    years += [int(m.group(3)) for m in WORDED_DATE.finditer(folded) if m.group(3)]
    years += [int(y) + 2000 if len(y) == 2 else int(y) for y in
              (m.group(3) for m in DAY_MONTH.finditer(ISO_DATE.sub(" ", folded))) if y]
    return years


def plan_year(texts: list[str]) -> int:
    """The year written most often in the file's dates, or 0 when none has a year."""
    years = Counter(year for text in texts for year in written_years(text))
    return years.most_common(1)[0][0] if years else 0


def parse_when(text: str, default_year: int, today: date) -> tuple[datetime, datetime, list]:
    """Start and end of the session a "Thời gian" cell describes, with notes on what was taken as usual."""
    folded = fold(text)
    if not folded:
        raise CellError(_l("No date and time."))
    times, rest = find_times(folded)
    notes = []
    day, year_given = read_date(rest, default_year or today.year)
    if not year_given and default_year:
        notes.append(_l("Year %(year)s, the plan's.", year=day.year))
    elif not year_given:
        if day.month < today.month:
            try:
                day = day.replace(year=day.year + 1)
            except ValueError:  # 29/02 in a year that has it, the next one has not
                raise CellError(_l("“%(value)s” is not a date.", value=f"{day:%d/%m}/{day.year + 1}")) from None
        notes.append(_l("Year %(year)s: the next time that day comes.", year=day.year))
    if len(times) == 2:
        starts, ends = times
    elif not times and (half := HALF_DAY.search(rest)):
        starts, ends = HALF_DAYS[half.group(1)]
        notes.append(_l("%(half)s: the usual %(starts)s–%(ends)s.", half=HALF_DAY_LABELS[half.group(1)],
                        starts=starts.strftime("%H:%M"), ends=ends.strftime("%H:%M")))
    elif len(times) == 1:
        raise CellError(_l("Only one time: write the start and the end, e.g. 8h00 - 11h30."))
    elif times:
        raise CellError(_l("More than two times: write one session per row."))
    else:
        raise CellError(_l("No time: write e.g. 8h00 - 11h30, or Sáng or Chiều for the usual hours."))
    return datetime.combine(day, starts), datetime.combine(day, ends), notes


def when_text(values: dict) -> str:
    """The day, "Thời gian" and time columns read as one cell (a table may have "Ngày" and "Thời gian" both)."""
    times = " - ".join(part for part in (values.get("starts", ""), values.get("ends", "")) if part)
    return " ".join(part for part in (values.get("day", ""), values.get("when", ""), times) if part)


def audience_of(text: str) -> str | None:
    """ "Cán bộ Sở VHTTDL" -> department, "Quản trị hệ thống cấp xã" -> commune, "Sở và xã" -> both.

    Read on the written words, since folding makes "Sở" and "số" (as in "chuyển đổi số") the same word;
    "cơ sở" (grassroots) means the commune level.
    """
    lowered = " ".join(text.lower().split())
    grassroots = "cơ sở" in lowered or (lowered.isascii() and "co so" in lowered)
    lowered = lowered.replace("cơ sở", " ")
    words = set(re.findall(r"\w+", lowered))
    folded_words = {fold(word) for word in words}
    if "ca hai" in fold(lowered) or "both" in folded_words:
        return "both"
    department = "sở" in words or bool({"vhttdl", "vhtt", "department", "departments"} & folded_words) or (
        lowered.isascii() and "so" in words)
    commune = grassroots or bool({"xa", "phuong", "commune", "communes"} & folded_words) or "dac khu" in fold(lowered)
    if department and commune:
        return "both"
    return "department" if department else "commune" if commune else None


def mode_of(text: str, place_parts: list[str]) -> str | None:
    """ "Trực tiếp", "Trực tuyến", "Kết hợp" (or both words); from the place when the cell is empty."""
    folded = fold(text)
    if not folded:
        links = [p for p in place_parts if p.startswith(("http://", "https://"))]
        return "both" if links and len(links) < len(place_parts) else "online" if links else "in_person"
    in_person = "truc tiep" in folded or "in person" in folded or "in_person" in folded
    online = any(word in folded for word in ("truc tuyen", "online", "zoom", "hop truc tuyen", "teams"))
    if "ket hop" in folded or "both" in folded or (in_person and online):
        return "both"
    return "in_person" if in_person else "online" if online else None


def seats_of(text: str) -> int | None:
    """ "30", "1.200", "140 người" -> the number; None when the cell holds something else or too many."""
    digits = re.sub(r"[.,\s]", "", SEATS_UNIT.sub("", fold(text)))
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 6:
        return None
    return int(digits) if int(digits) <= MAX_SEATS else None
