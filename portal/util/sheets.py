"""Reading uploaded spreadsheets (.xlsx or CSV) as rows of text, and finding their header row.

Shared by every import (focal contacts, the training plan). Dates and times typed as such in Excel
come back as dd/mm/yyyy and HH:MM, the way people write them. Headers are compared the way clerks
vary them: without case, diacritics, marks of a required column ("*"), notes in brackets or trailing colons.
"""
import csv
import io
import re
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from portal.core.errors import DomainError
from portal.util.text import fold

HEADER_SEARCH_ROWS = 20


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y") if value.time() == time() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(filename: str, data: bytes, sheet_title: str = "", aliases: dict | None = None) -> list[list[str]]:
    """Every row of the upload as text: in an .xlsx the sheet with this title, else the sheet whose header
    names the most of the aliases' fields (else its first); or a CSV."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many types for a damaged or disguised file
            raise DomainError(_l("The file could not be read as an Excel workbook (.xlsx)."), field="file") from None
        wanted = fold(sheet_title)
        titled = [sheet for sheet in workbook.worksheets if fold(sheet.title) == wanted]
        sheets = [[[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
                  for sheet in titled[:1] or workbook.worksheets]
        workbook.close()
        return max(sheets, key=lambda rows: header_score(rows, aliases or {}))
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DomainError(_l("Save the CSV file as UTF-8 (Excel: “CSV UTF-8”)."), field="file") from None
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
        except csv.Error:
            dialect = csv.excel
        try:
            return [[cell_text(v) for v in row] for row in csv.reader(io.StringIO(text, newline=""), dialect)]
        except csv.Error:
            raise DomainError(_l("The CSV file could not be read: check its quotes and line breaks."),
                              field="file") from None
    raise DomainError(_l("Upload an .xlsx or .csv file."), field="file")


def header_key(text: str) -> str:
    """A header as compared with the aliases: no case, diacritics, punctuation or words in brackets, so that
    "Giảng viên/Báo cáo viên", "GIẢNG VIÊN - BÁO CÁO VIÊN" and "Giảng viên, báo cáo viên (*)" are one."""
    return " ".join(re.sub(r"[/,;:.*_\-–—&+]", " ", re.sub(r"\(.*?\)|\[.*?\]", " ", fold(text or ""))).split())


def auto_mapping(headers: list[str], aliases: dict[str, tuple]) -> dict[str, int]:
    """field -> column index for the headers that name a field (compared by header_key)."""
    mapping = {}
    keys = {name: {header_key(alias) for alias in names} for name, names in aliases.items()}
    for index, header in enumerate(headers):
        folded = header_key(header)
        for name, names in keys.items():
            if folded and folded in names and name not in mapping:
                mapping[name] = index
    return mapping


def header_score(rows: list[list[str]], aliases: dict[str, tuple]) -> int:
    """How many fields the best header row among the first rows names (0 for an empty sheet)."""
    return max((len(auto_mapping(row, aliases)) for row in rows[:HEADER_SEARCH_ROWS]), default=0)


def split_header(rows: list[list[str]], aliases: dict[str, tuple]) -> tuple[list[str], list[list]]:
    """The header row (forms have title lines above it) and the numbered non-empty rows below it.

    Each data row comes back as [line number in the file, cell, cell, ...].
    """
    candidates = [(i, row) for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]) if any(row)]
    if not candidates:
        raise DomainError(_l("The file is empty."), field="file")
    index, header = max(candidates, key=lambda pair: (len(auto_mapping(pair[1], aliases)), -pair[0]))
    if len(auto_mapping(header, aliases)) < 2:
        index, header = candidates[0]
    body = [[line] + row for line, row in enumerate(rows[index + 1:], start=index + 2) if any(row)]
    return header, body
