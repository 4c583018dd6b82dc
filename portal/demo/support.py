"""Demo support desk: agents for every province and a few tickets from Nghệ An, once."""
from sqlalchemy import func, select

from portal.auth.models import User
from portal.core.extensions import db
from portal.support.canned import shared_titles
from portal.support.models import CannedReply, Ticket
from portal.support.directory import load_letter_contacts, save_channel, set_work_phones
from portal.support.services import create_ticket, respond, set_province_agents
from portal.units.models import Province

DEMO_TICKETS = (
    ("commune_admin", 1, "Không đăng nhập được tài khoản quản trị", "Tài khoản báo sai mật khẩu dù đã đặt lại.", "high"),
    ("commune_admin", 2, "Không tiếp nhận được hồ sơ", "Cán bộ một cửa chưa có quyền tiếp nhận hồ sơ lĩnh vực văn hóa.", "urgent"),
    ("coordinator", 3, "Phần mềm quản lý văn bản chưa kết nối", "Sở chưa nhận được văn bản từ hệ thống TTHC.", "normal"),
    ("coordinator", 5, "Xin tài liệu tập huấn", "Đề nghị gửi tài liệu hướng dẫn cho cán bộ cấp xã.", "low"),
)

# Shared canned replies as the ministry's support desk writes them; {nguoi_gui} and {ma_phieu} are filled in.
DEMO_CANNED = (
    ("Đã tiếp nhận phiếu", "Kính gửi {nguoi_gui},\n\nBộ phận hỗ trợ đã tiếp nhận phiếu {ma_phieu} và đang kiểm tra. "
     "Chúng tôi sẽ phản hồi trong thời gian sớm nhất.\n\nTrân trọng,\n{can_bo}"),
    ("Đề nghị gửi ảnh chụp màn hình", "Kính gửi {nguoi_gui},\n\nĐể xử lý phiếu {ma_phieu}, đề nghị đồng chí gửi ảnh "
     "chụp màn hình thông báo lỗi (kèm thời điểm xảy ra và mã hồ sơ nếu có) bằng cách trả lời ngay trên phiếu này."),
    ("Hướng dẫn đặt lại mật khẩu", "Đồng chí vào trang đăng nhập Hệ thống thông tin giải quyết TTHC, chọn "
     "\"Quên mật khẩu\", nhập thư điện tử công vụ đã đăng ký và làm theo hướng dẫn trong thư nhận được. "
     "Nếu không nhận được thư sau 15 phút, đề nghị báo lại trên phiếu {ma_phieu}."),
    ("Phân quyền tiếp nhận hồ sơ", "Quản trị hệ thống của xã vào mục Quản trị > Phân quyền, chọn cán bộ một cửa, "
     "tích quyền \"Tiếp nhận hồ sơ\" cho lĩnh vực văn hóa, thể thao và du lịch rồi lưu. Cán bộ đăng xuất, đăng nhập "
     "lại để quyền có hiệu lực."),
    ("Tài liệu hướng dẫn sử dụng", "Tài liệu hướng dẫn sử dụng và video tập huấn được đăng tại mục Tài liệu của cổng "
     "này và trên nền tảng \"Bình dân học vụ số\". Đề nghị đồng chí phổ biến cho cán bộ cấp xã."),
    ("Chờ địa phương xác nhận", "Bộ phận hỗ trợ đã xử lý nội dung của phiếu {ma_phieu}. Đề nghị {nguoi_gui} kiểm "
     "tra lại và trả lời trên phiếu này; phiếu sẽ được đóng nếu sau 3 ngày làm việc không có phản hồi."),
    ("Chuyển bộ phận kỹ thuật", "Nội dung phiếu {ma_phieu} liên quan đến kết nối kỹ thuật, bộ phận hỗ trợ đã chuyển "
     "cho cán bộ kỹ thuật của Trung tâm Chuyển đổi số. Chúng tôi sẽ cập nhật kết quả trên phiếu này."),
)


def load_demo_canned() -> int:
    """The shared canned replies the demo has, each once (0 when already there)."""
    known = shared_titles()
    added = [CannedReply(title=title, body=body, is_shared=True) for title, body in DEMO_CANNED if title not in known]
    db.session.add_all(added)
    db.session.commit()
    return len(added)


def load_demo_support(accounts: list[User]) -> int:
    """Give every province a primary and a backup agent, and file the demo tickets (0 when already there); the
    shared canned replies are loaded on their own, so a database from before them gets them too."""
    load_demo_canned()
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
    load_demo_directory(agents)
    return len(tickets)


# Channels of a few provinces as their departments publish them (numbers kept as typed); the rest show "chưa có".
DEMO_CHANNELS = (
    (1, "024 3825 6789", "https://hop.tthc.gov.vn/ha-noi", "https://zalo.me/g/tthc-hanoi"),
    (40, "0238 3 844 556", "https://hop.tthc.gov.vn/nghe-an", "https://zalo.me/g/tthc-nghean"),
    (79, "028 3829 6052", "https://hop.tthc.gov.vn/tp-ho-chi-minh", ""),
)
DEMO_WORK_PHONES = ("0912 345 601", "024 3943 1188")


def load_demo_directory(agents: list[User]) -> None:
    """The demo agents' work phones and three provinces' hotline, online room and Zalo group."""
    set_work_phones(dict(zip((agent.id for agent in agents), DEMO_WORK_PHONES)))
    for code, hotline, meeting_url, zalo_url in DEMO_CHANNELS:
        save_channel(code, hotline, meeting_url, zalo_url)
