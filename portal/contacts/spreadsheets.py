"""The ministry's form (Appendix 3) as .xlsx and .csv: exports, and the template provinces fill in.

The files are always in Vietnamese, as the form is. Typed text never becomes a live formula:
xlsx cells are written as strings, and CSV cells that a spreadsheet would read as a formula get a quote.
The template carries every field of the web form (the export keeps the form's columns, never a CCCD),
and both freeze their header row so that it stays in view while a clerk scrolls through 130 communes.
"""
import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from sqlalchemy import select

from portal.contacts.models import Contact
from portal.core.extensions import db
from portal.units.models import Commune, Department, Province
from portal.util.validators import display_phone

COLUMNS = ("STT", "Tỉnh/thành phố", "Đơn vị", "Họ và tên", "Chức vụ", "Số điện thoại", "Email", "Ghi chú")
COLUMN_WIDTHS = (6, 22, 34, 26, 26, 16, 30, 18)
TEMPLATE_COLUMNS = ("STT", "Tỉnh/thành phố", "Đơn vị", "Họ và tên", "Chức vụ", "Phòng, bộ phận", "Số điện thoại",
                    "Email", "Số CCCD", "Ghi chú")
TEMPLATE_COLUMN_WIDTHS = (6, 22, 34, 26, 22, 22, 16, 30, 16, 18)
SHEET_TITLES = {"department": "Cán bộ Sở", "commune": "Quản trị cấp xã"}
FORM_TITLES = {
    "department": "DANH SÁCH CÁN BỘ ĐẦU MỐI CỦA SỞ PHỐI HỢP TRIỂN KHAI HỆ THỐNG THÔNG TIN GIẢI QUYẾT TTHC",
    "commune": "DANH SÁCH CÁN BỘ QUẢN TRỊ HỆ THỐNG CẤP XÃ/PHƯỜNG/ĐẶC KHU",
}
LATE_NOTE = "Đăng ký sau hạn"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def contact_rows(kind: str, province_code: int | None) -> Iterator[tuple]:
    """(province, unit, name, position, phone, e-mail, note) per registered contact, streamed from one query."""
    unit = Commune.name if kind == "commune" else Department.name
    query = select(Province.name, unit, Contact.full_name, Contact.position, Contact.phone, Contact.email,
                   Contact.is_late).join(Province, Province.code == Contact.province_code)
    if kind == "commune":
        query = query.join(Commune, Commune.code == Contact.commune_code).order_by(
            Province.code, Commune.sort_key, Commune.code)
    else:
        query = query.join(Department, Department.id == Contact.department_id).order_by(
            Province.code, Department.id, Contact.seat)
    query = query.where(Contact.kind == kind)
    if province_code is not None:
        query = query.where(Contact.province_code == province_code)
    # Plain columns, not Contact objects: loading 3,389 of them doubled the national export's time (cProfile).
    for province_name, unit_name, full_name, position, phone, email, is_late in db.session.execute(
            query.execution_options(yield_per=500)):
        yield province_name, unit_name, full_name, position, display_phone(phone), email, LATE_NOTE if is_late else ""


def blank_rows(kind: str, province: Province) -> Iterator[tuple]:
    """One empty row per seat of the province, for the template: units filled in, people left blank."""
    empty_person = ("",) * (len(TEMPLATE_COLUMNS) - 3)
    if kind == "commune":
        communes = db.session.execute(
            select(Commune).where(Commune.province_code == province.code).order_by(Commune.sort_key)
        ).scalars()
        for commune in communes:
            yield (province.name, commune.name) + empty_person
    else:
        for department in province.departments:
            for _seat in (1, 2):
                yield (province.name, department.name) + empty_person


def scope_line(province: Province | None) -> str:
    return f"Tỉnh/thành phố: {province.name}" if province else "Phạm vi: toàn quốc (34 tỉnh, thành phố)"


def today_line() -> str:
    vietnam = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return "Ngày xuất: " + datetime.now(vietnam).strftime("%d/%m/%Y")


def text_cell(sheet, value, bold: bool = False) -> WriteOnlyCell:
    """A cell that holds its value as typed: a string is never stored as a formula."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value:
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_form_head(sheet, titles: tuple, lines: tuple, columns: tuple, widths: tuple, frozen_column: str = "A") -> None:
    """The head of a ministry form: column widths, bold titles, plain lines, an empty line and the bold centred
    column header, with the panes frozen below it (and left of `frozen_column`)."""
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = f"{frozen_column}{len(titles) + len(lines) + 3}"
    for title in titles:
        sheet.append([text_cell(sheet, title, bold=True)])
    for line in lines:
        sheet.append([text_cell(sheet, line)])
    sheet.append([])
    header = []
    for title in columns:
        cell = text_cell(sheet, title, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)


def write_sheet(workbook: Workbook, kind: str, province: Province | None, rows: Iterable[tuple],
                columns: tuple = COLUMNS, widths: tuple = COLUMN_WIDTHS) -> None:
    sheet = workbook.create_sheet(SHEET_TITLES[kind])
    write_form_head(sheet, (current_app.config["MINISTRY_NAME"].upper(), FORM_TITLES[kind]),
                    (scope_line(province), today_line()), columns, widths)
    for number, row in enumerate(rows, start=1):
        # openpyxl stores a plain string as text unless it starts with "=": only those need a cell of their own.
        sheet.append([number] + [text_cell(sheet, value) if isinstance(value, str) and value.startswith("=") else value
                                 for value in row])


def workbook_bytes(province: Province | None, template: bool = False) -> bytes:
    """Both sheets of the form: the registered contacts, or for a template the province's empty seats."""
    workbook = Workbook(write_only=True)
    for kind in ("department", "commune"):
        if template:
            write_sheet(workbook, kind, province, blank_rows(kind, province), TEMPLATE_COLUMNS, TEMPLATE_COLUMN_WIDTHS)
        else:
            write_sheet(workbook, kind, province, contact_rows(kind, province.code if province else None))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(kind: str, province: Province | None) -> bytes:
    """One sheet of the form as CSV, UTF-8 with a BOM so that Excel shows the diacritics."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for number, row in enumerate(contact_rows(kind, province.code if province else None), start=1):
        writer.writerow([number] + [csv_safe(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export(actor, province: Province | None, file_format: str, kind: str = "commune") -> bytes:
    """An export of the form for the actor's scope, written to the audit log (who, what scope, which format)."""
    from portal.audit.services import record

    data = csv_bytes(kind, province) if file_format == "csv" else workbook_bytes(province)
    scope = f"province:{province.code}" if province else "national"
    record(actor, "contacts.export", scope, f"format={file_format}" + (f" kind={kind}" if file_format == "csv" else ""))
    db.session.commit()
    return data
