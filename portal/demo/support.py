"""Demo support desk: agents for every province and a few tickets from Nghệ An, once."""
from sqlalchemy import func, select

from portal.auth.models import User
from portal.core.extensions import db
from portal.support.models import Ticket
from portal.support.directory import load_letter_contacts
from portal.support.services import create_ticket, respond, set_province_agents
from portal.units.models import Province

DEMO_TICKETS = (
    ("commune_admin", 1, "Không đăng nhập được tài khoản quản trị", "Tài khoản báo sai mật khẩu dù đã đặt lại.", "high"),
    ("commune_admin", 2, "Không tiếp nhận được hồ sơ", "Cán bộ một cửa chưa có quyền tiếp nhận hồ sơ lĩnh vực văn hóa.", "urgent"),
    ("coordinator", 3, "Phần mềm quản lý văn bản chưa kết nối", "Sở chưa nhận được văn bản từ hệ thống TTHC.", "normal"),
    ("coordinator", 5, "Xin tài liệu tập huấn", "Đề nghị gửi tài liệu hướng dẫn cho cán bộ cấp xã.", "low"),
)


def load_demo_support(accounts: list[User]) -> int:
    """Give every province a primary and a backup agent, and file the demo tickets (0 when already there)."""
    if db.session.scalar(select(func.count(Ticket.id))):
        return 0
    agents = [user for user in accounts if user.role == "agent"]
    for province in db.session.execute(select(Province).order_by(Province.code)).scalars():
        primary, backup = (agents[0], agents[1]) if province.code % 2 == 0 else (agents[1], agents[0])
        set_province_agents(province.code, primary.id, backup.id)
    reporters = {user.role: user for user in accounts if user.province_code == 40}
    tickets = [create_ticket(reporters[role], category, title, description, priority)
               for role, category, title, description, priority in DEMO_TICKETS]
    respond(tickets[0].assignee, tickets[0], "Đã đặt lại mật khẩu, đề nghị đăng nhập lại và báo kết quả.",
            status="waiting")
    load_letter_contacts()
    return len(tickets)
