"""Grouping similar tickets on a fixed set of Vietnamese tickets, known issues, FAQ and ratings."""
import re
from types import SimpleNamespace

from portal.support import feedback, recurring, services
from tests import factories
from tests.support.conftest import file_ticket

TICKETS = [
    ("Không đăng nhập được tài khoản", "Tài khoản quản trị xã báo sai mật khẩu khi đăng nhập."),
    ("Lỗi đăng nhập tài khoản quản trị", "Đăng nhập tài khoản bị báo sai mật khẩu dù đã đổi."),
    ("Tài khoản không đăng nhập được", "Cán bộ không đăng nhập được tài khoản trên hệ thống."),
    ("Không tiếp nhận được hồ sơ", "Một cửa chưa có quyền tiếp nhận hồ sơ trực tuyến."),
    ("Chưa được phân quyền tiếp nhận hồ sơ", "Cán bộ một cửa không tiếp nhận hồ sơ được do chưa phân quyền."),
    ("Phần mềm quản lý văn bản chưa kết nối", "Sở chưa nhận được văn bản từ hệ thống."),
    ("Xin tài liệu tập huấn", "Đề nghị gửi tài liệu hướng dẫn sử dụng."),
]


def fake(number: int, title: str, description: str):
    return SimpleNamespace(id=number, title=title, description=description)


def test_similar_vietnamese_tickets_fall_into_the_same_group():
    groups = recurring.group_tickets([fake(n, t, d) for n, (t, d) in enumerate(TICKETS)])
    members = sorted(sorted(t.id for t in g.tickets) for g in groups)
    assert [0, 1, 2] in members and [3, 4] in members
    assert [5] in members and [6] in members


def test_the_measure_ignores_diacritics_and_function_words():
    assert recurring.syllables("Không đăng nhập được Tài Khoản") == ["dang", "nhap", "tai", "khoan"]
    a = recurring.features("Đăng nhập tài khoản", "")
    b = recurring.features("dang nhap tai khoan", "")
    assert recurring.jaccard(a, b) == 1.0


def test_marking_a_group_as_a_known_issue_links_its_tickets(db, agents):
    reporter = factories.create_user("coordinator")
    tickets = [file_ticket(reporter, title, description) for title, description in TICKETS[:3]]
    issue = feedback.mark_known_issue("Lỗi đăng nhập sau khi đổi mật khẩu", "", [t.id for t in tickets])
    for ticket in tickets:
        db.session.refresh(ticket)
        assert ticket.known_issue_id == issue.id


def test_the_recurring_page_shows_groups_and_counts(client, login_as, db, agents):
    reporter = factories.create_user("coordinator")
    for title, description in TICKETS:
        file_ticket(reporter, title, description)
    login_as("admin")
    page = client.get("/support/recurring").get_data(as_text=True)
    assert page.count('<section class="card">') == 2 and "Nghệ An" in page


def test_a_resolved_ticket_becomes_a_public_faq_entry(client, db, agents):
    ticket = file_ticket(factories.create_user("coordinator"))
    services.respond(agents[0], ticket, "Vào mục Phân quyền, chọn quyền Tiếp nhận.", status="resolved")
    feedback.faq_from_ticket(ticket, "Làm sao để cấp quyền tiếp nhận hồ sơ?", "Vào mục Phân quyền.")
    page = client.get("/support/help").get_data(as_text=True)
    assert "Làm sao để cấp quyền tiếp nhận hồ sơ?" in page


def test_the_reporter_rates_with_one_click_from_the_resolution_mail(client, db, agents, outbox):
    ticket = file_ticket(factories.create_user("commune_admin", email="xa@nghean.gov.vn"))
    outbox().clear()
    services.respond(agents[0], ticket, "Đã xử lý xong.", status="resolved")
    link = re.search(r"https://portal\.test(/support/rate/\S+/4)", outbox()[-1].body).group(1)
    assert client.get(link).status_code == 200
    client.post(link, data={"comment": "Hỗ trợ nhanh"})
    db.session.refresh(ticket)
    assert (ticket.rating, ticket.rating_comment) == (4, "Hỗ trợ nhanh")
    assert [row.average for row in feedback.ratings_per_agent()] == [4.0]
    assert client.get("/support/rate/not-a-token/4").status_code == 404
