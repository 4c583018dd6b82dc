"""The national matrix as .xlsx: one row per province, one column per kind, the counts per kind at the foot."""
import io
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from portal.contacts.spreadsheets import text_cell
from portal.integrations.models import INTEGRATION_STATUSES
from portal.integrations.services import Matrix

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
STATUS_WORDS = {"vi": {"not_started": "Chưa bắt đầu", "info_sent": "Đã gửi thông tin", "configuring": "Đang cấu hình",
                       "testing": "Đang thử nghiệm", "live": "Đã vận hành", "blocked": "Vướng mắc"},
                "en": {"not_started": "Not started", "info_sent": "Information sent", "configuring": "Configuring",
                       "testing": "Testing", "live": "Live", "blocked": "Blocked"}}


def matrix_workbook(matrix: Matrix, language: str = "vi") -> bytes:
    """Status and date of the last change per cell; a blocked cell carries its reason. No personal data."""
    words = STATUS_WORDS.get(language, STATUS_WORDS["vi"])
    english = language == "en"
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
