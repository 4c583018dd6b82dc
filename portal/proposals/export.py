"""The proposals as .xlsx for the official letter: "kiến nghị điều chỉnh tính năng, chức năng, giao diện".

Always in Vietnamese, as the ministry writes to the system's makers. The workbook costs three queries whatever the
number of proposals: the proposals, their tickets, their dated steps.
"""
import io
from collections import defaultdict

from openpyxl import Workbook
from sqlalchemy import select

from portal.audit.services import record
from portal.contacts.spreadsheets import text_cell, today_line, write_form_head
from portal.core.extensions import db
from portal.proposals.models import Proposal, ProposalChange, ProposalTicket
from portal.support.models import Ticket

TITLE = "TỔNG HỢP KIẾN NGHỊ ĐIỀU CHỈNH TÍNH NĂNG, CHỨC NĂNG, GIAO DIỆN HỆ THỐNG"
COLUMNS = ("STT", "Lĩnh vực", "Nội dung đề nghị điều chỉnh", "Lý do", "Phiếu hỗ trợ liên quan", "Trạng thái",
           "Ngày lập", "Ngày gửi", "Ngày tiếp nhận", "Ngày thử nghiệm", "Ngày phát hành", "Ngày từ chối")
COLUMN_WIDTHS = (6, 12, 50, 40, 30, 14, 12, 12, 12, 12, 12, 12)
DATED_STATUSES = ("drafted", "sent", "accepted", "in_test", "released", "declined")
AREAS = {"feature": "Tính năng", "function": "Chức năng", "interface": "Giao diện"}
STATUSES = {"drafted": "Dự thảo", "sent": "Đã gửi", "accepted": "Đã tiếp nhận", "in_test": "Đang thử nghiệm",
            "released": "Đã phát hành", "declined": "Không chấp nhận"}


def reference(ticket_id: int, created_at) -> str:
    return f"HT-{created_at.year}-{ticket_id:06d}"


def row_values(proposal: Proposal, references: list[str], days: dict) -> list:
    tickets = f"{len(references)} phiếu" + (f": {', '.join(references)}" if references else "")
    dates = [days[status].strftime("%d/%m/%Y") if status in days else "" for status in DATED_STATUSES]
    return [AREAS[proposal.area], f"{proposal.title}\n{proposal.change}", proposal.reason, tickets,
            STATUSES[proposal.status], *dates]


def workbook_bytes(ministry_name: str, proposals: list[Proposal]) -> bytes:
    ids = [proposal.id for proposal in proposals]
    references = defaultdict(list)
    for proposal_id, ticket_id, created_at in db.session.execute(
            select(ProposalTicket.proposal_id, Ticket.id, Ticket.created_at)
            .join(Ticket, Ticket.id == ProposalTicket.ticket_id)
            .where(ProposalTicket.proposal_id.in_(ids)).order_by(Ticket.id)):
        references[proposal_id].append(reference(ticket_id, created_at))
    days = defaultdict(dict)
    for change in db.session.execute(select(ProposalChange).where(ProposalChange.proposal_id.in_(ids))).scalars():
        days[change.proposal_id][change.new_status] = change.happened_on
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Kiến nghị")
    write_form_head(sheet, (ministry_name.upper(), TITLE), (today_line(),), COLUMNS, COLUMN_WIDTHS, frozen_column="C")
    for number, proposal in enumerate(proposals, start=1):
        values = row_values(proposal, references[proposal.id], days[proposal.id])
        sheet.append([number] + [text_cell(sheet, value) for value in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export(actor, ministry_name: str, status: str = "") -> bytes:
    """Every proposal (or those of one status), oldest first as a letter numbers them; the download is audited."""
    query = select(Proposal).order_by(Proposal.id)
    proposals = db.session.execute(query.where(Proposal.status == status) if status else query).scalars().all()
    data = workbook_bytes(ministry_name, proposals)
    record(actor, "proposals.export", "proposals", f"format=xlsx proposals={len(proposals)}"
           + (f" status={status}" if status else ""))
    db.session.commit()
    return data
