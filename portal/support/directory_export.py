"""The directory as .xlsx for letter 002: "đầu mối và hình thức hỗ trợ cho từng địa phương", one row per province.

Always in Vietnamese, as the ministry reports it upward. The agents' names, work phones and work e-mails are
personal data of identifiable people (Decree 13/2023), so the export is for admins and written to the audit log.
"""
import io

from openpyxl import Workbook

from portal.audit.services import record
from portal.contacts.spreadsheets import text_cell, today_line, write_form_head
from portal.core.extensions import db
from portal.support.directory import DirectoryRow, province_rows
from portal.util.validators import shown_phone

TITLE = "ĐẦU MỐI VÀ HÌNH THỨC HỖ TRỢ CHO TỪNG ĐỊA PHƯƠNG"
COLUMNS = ("STT", "Tỉnh/thành phố", "Cán bộ hỗ trợ chính", "Điện thoại", "Email", "Cán bộ hỗ trợ dự phòng",
           "Điện thoại", "Email", "Đường dây nóng", "Phòng họp trực tuyến", "Nhóm Zalo")
COLUMN_WIDTHS = (6, 22, 24, 16, 30, 24, 16, 30, 18, 40, 36)
EMPTY = "chưa có"


def agent_cells(agent) -> list[str]:
    return [agent.name, shown_phone(agent.work_phone) or EMPTY, agent.email] if agent else [EMPTY, "", ""]


def row_values(row: DirectoryRow) -> list[str]:
    """A province's cells as the directory shows them, "chưa có" where a channel or an agent is missing."""
    channel = row.channel
    channels = (shown_phone(channel.hotline), channel.meeting_url, channel.zalo_url) if channel else ("", "", "")
    return [row.province.name, *agent_cells(row.agents.get("primary")), *agent_cells(row.agents.get("backup")),
            *(value or EMPTY for value in channels)]


def workbook_bytes(ministry_name: str, rows: list[DirectoryRow]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Đầu mối hỗ trợ")
    write_form_head(sheet, (ministry_name.upper(), TITLE), (today_line(),), COLUMNS, COLUMN_WIDTHS,
                    frozen_column="C")  # the header and the province stay in view
    for number, row in enumerate(rows, start=1):
        sheet.append([number] + [text_cell(sheet, value) for value in row_values(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export(actor, ministry_name: str) -> bytes:
    """The workbook of all 34 provinces, its download written to the audit log in the same transaction."""
    rows = province_rows()
    data = workbook_bytes(ministry_name, rows)
    record(actor, "support.directory_export", "national", f"format=xlsx provinces={len(rows)}")
    db.session.commit()
    return data
