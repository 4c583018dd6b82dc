"""The national matrix as .xlsx: one row per province, one column per kind, the counts per kind at the foot."""
import io
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from openpyxl import Workbook

from portal.contacts.spreadsheets import text_cell
from portal.integrations.models import INTEGRATION_STATUSES
from portal.integrations.services import STATUS_LABELS, Matrix

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def status_words() -> dict[str, str]:
    """The statuses in the current language, as plain text for a sheet."""
    return {status: str(label) for status, label in STATUS_LABELS.items()}


def matrix_workbook(matrix: Matrix, language: str = "vi") -> bytes:
    """Status and date of the last change per cell; a blocked cell carries its reason. No personal data."""
    english = language == "en"
    with force_locale("en" if english else "vi"):
        words = status_words()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Tich hop" if english else "Tích hợp")
    title = "PROGRESS OF INTEGRATIONS BY PROVINCE" if english else "TIẾN ĐỘ TÍCH HỢP, CẤU HÌNH TIỆN ÍCH THEO TỈNH"
    sheet.append([text_cell(sheet, title, bold=True)])
    sheet.append([])
    names = [(k.name_en or k.name) if english else k.name for k in matrix.kinds]
    sheet.append([text_cell(sheet, "Code" if english else "Mã", bold=True),
                  text_cell(sheet, "Province" if english else "Tỉnh/thành phố", bold=True)]
                 + [text_cell(sheet, name, bold=True) for name in names])
    for row in matrix.rows:
        cells = []
        for kind in matrix.kinds:
            item = row.cells.get(kind.id)
            if item is None:
                cells.append(text_cell(sheet, words["not_started"]))
                continue
            text = f"{words[item.status]} ({item.status_changed_at.astimezone(VIETNAM):%d/%m/%Y})"
            if item.status == "blocked":
                text += f": {item.blocked_reason}"
            cells.append(text_cell(sheet, text))
        sheet.append([row.province.code, text_cell(sheet, row.province.name)] + cells)
    sheet.append([])
    for status in INTEGRATION_STATUSES:
        sheet.append([None, text_cell(sheet, words[status], bold=True)]
                     + [matrix.counts[kind.id][status] for kind in matrix.kinds])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
