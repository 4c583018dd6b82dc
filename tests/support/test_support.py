"""The support desk: routing, service levels in working hours, isolation, attachments, replies and the inbox."""
import io
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from portal.core.errors import DomainError
from portal.support import services, sla
from portal.support.models import Ticket
from tests import factories
from tests.conftest import start_session
from tests.support.conftest import file_ticket
from tests.factories import HA_NOI, NGHE_AN

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def test_a_ticket_gets_its_reference_and_the_primary_agent(db, agents, outbox):
    reporter = factories.create_user("commune_admin")
    ticket = file_ticket(reporter)
    assert ticket.reference == f"HT-{ticket.created_at.year}-{ticket.id:06d}"
    assert ticket.assignee_id == agents[0].id and ticket.status == "assigned"
    assert (ticket.province_code, ticket.commune_code) == (NGHE_AN, reporter.commune_code)
    assert [m.to for m in outbox()] == [[agents[0].email]]


def test_the_backup_takes_new_tickets_while_the_primary_is_away(db, agents):
    services.set_away(agents[0], True)
    assert file_ticket(factories.create_user("coordinator")).assignee_id == agents[1].id
    services.set_away(agents[0], False)
    assert file_ticket(factories.create_user("coordinator")).assignee_id == agents[0].id


def test_a_province_without_agents_leaves_the_ticket_new(db):
    ticket = file_ticket(factories.create_user("coordinator", province_code=HA_NOI))
    assert ticket.assignee_id is None and ticket.status == "new"


def test_service_levels_count_working_hours_across_a_weekend(app):
    with app.app_context():
        friday_4pm = datetime(2026, 1, 23, 9, 0, tzinfo=timezone.utc)  # 16:00 in Vietnam
        due = sla.add_working_hours(friday_4pm, 2)
        assert due == datetime(2026, 1, 26, 1, 30, tzinfo=timezone.utc)  # Monday 08:30 in Vietnam
        assert sla.working_time_between(friday_4pm, due).total_seconds() == 2 * 3600
        tet_eve = datetime(2026, 2, 13, 9, 0, tzinfo=timezone.utc)  # Friday 16:00 before the Tết holiday
        assert sla.add_working_hours(tet_eve, 2) == datetime(2026, 2, 23, 1, 30, tzinfo=timezone.utc)


def test_attachments_are_checked_by_content_and_size(app, db, agents, attachment_folder):
    reporter = factories.create_user("coordinator")
    with pytest.raises(DomainError):
        file_ticket(reporter, files=[("anh.png", b"MZ\x90\x00 not an image")])
    with pytest.raises(DomainError):
        file_ticket(reporter, files=[("virus.exe", PNG)])
    db.session.rollback()
    app.config["ATTACHMENT_MAX_BYTES"] = 10
    try:
        with pytest.raises(DomainError):
            file_ticket(reporter, files=[("anh.png", PNG)])
    finally:
        app.config["ATTACHMENT_MAX_BYTES"] = 10 * 1024 * 1024
    db.session.rollback()
    ticket = file_ticket(reporter, files=[("ảnh chụp.png", PNG)])
    stored = list(attachment_folder.iterdir())
    assert len(stored) == 1 and stored[0].read_bytes() == PNG and ticket.attachments[0].file_name == "ảnh chụp.png"


def test_replies_notes_and_status_changes(db, agents, outbox):
    reporter = factories.create_user("commune_admin", email="xa@nghean.gov.vn")
    ticket = file_ticket(reporter)
    outbox().clear()
    services.respond(agents[0], ticket, "Ghi chú nội bộ: cần kiểm tra quyền.", internal=True)
    assert outbox() == [] and ticket.first_response_at is None
    services.respond(agents[0], ticket, "Đã cấp quyền, đề nghị xã thử lại.", status="waiting")
    assert ticket.status == "waiting" and ticket.first_response_at is not None
    assert outbox()[-1].to == ["xa@nghean.gov.vn"] and "Đã cấp quyền" in outbox()[-1].body
    services.respond(reporter, ticket, "Đã tiếp nhận được hồ sơ, cảm ơn.")
    assert ticket.status == "in_progress"  # the locality answered
    with pytest.raises(DomainError):
        services.respond(reporter, ticket, "ghi chú", internal=True)
    services.respond(agents[0], ticket, "", status="resolved")
    assert ticket.status == "resolved" and ticket.resolved_at is not None
    with pytest.raises(DomainError):
        services.respond(agents[0], ticket, "", status="waiting")
    services.respond(agents[0], ticket, "", status="in_progress")  # reopen
    assert ticket.resolved_at is None


def test_the_inbox_search_ignores_diacritics_and_filters(db, agents):
    reporter = factories.create_user("coordinator")
    file_ticket(reporter, title="Lỗi đăng nhập tài khoản", priority="urgent")
    file_ticket(reporter, title="Cấu hình thủ tục sai")
    found = db.session.execute(services.inbox(agents[0], services.InboxFilters(search="tai khoan"))).scalars().all()
    assert [t.title for t in found] == ["Lỗi đăng nhập tài khoản"]
    urgent = db.session.execute(services.inbox(agents[0], services.InboxFilters(priority="urgent"))).scalars().all()
    assert len(urgent) == 1


def test_the_overdue_queue(db, agents):
    ticket = file_ticket(factories.create_user("coordinator"))
    ticket.first_response_due = datetime(2026, 1, 1, tzinfo=timezone.utc)
    db.session.commit()
    overdue = db.session.execute(services.inbox(agents[0], services.InboxFilters(overdue=True))).scalars().all()
    assert overdue == [ticket]


def test_localities_and_agents_see_only_their_provinces(client, login_as, db, agents):
    nghe_an = file_ticket(factories.create_user("coordinator"), description="Nội dung của Nghệ An")
    hanoi = file_ticket(factories.create_user("coordinator", province_code=HA_NOI), description="Nội dung của Hà Nội")
    login_as("coordinator", province_code=HA_NOI)
    assert client.get(f"/support/tickets/{nghe_an.id}").status_code == 404
    assert client.get(f"/support/tickets/{hanoi.id}").status_code == 200
    start_session(client, agents[0])
    assert client.get(f"/support/tickets/{hanoi.id}").status_code == 404
    page = client.get("/support/").get_data(as_text=True)
    assert nghe_an.reference in page and hanoi.reference not in page


def test_a_commune_admin_files_a_ticket_and_sees_the_reply(client, login_as, db, agents):
    user = login_as("commune_admin")
    response = client.post("/support/new", data={
        "category_id": 1, "title": "Không tiếp nhận được hồ sơ", "description": "Hệ thống báo không có quyền.",
        "priority": "high", "attachments": [(io.BytesIO(PNG), "loi.png")]})
    assert response.status_code == 302
    ticket = db.session.execute(select(Ticket)).scalar_one()
    services.respond(agents[0], ticket, "Đã cấp quyền tiếp nhận.")
    page = client.get(f"/support/tickets/{ticket.id}").get_data(as_text=True)
    assert "Đã cấp quyền tiếp nhận." in page and ticket.reference in page and "loi.png" in page
    assert ticket.reporter_id == user.id


def test_internal_notes_stay_internal(client, login_as, db, agents):
    reporter = login_as("coordinator")
    ticket = file_ticket(reporter)
    services.respond(agents[0], ticket, "Chỉ cán bộ hỗ trợ được đọc ghi chú này.", internal=True)
    assert "Chỉ cán bộ hỗ trợ" not in client.get(f"/support/tickets/{ticket.id}").get_data(as_text=True)


def test_the_inbox_costs_a_constant_number_of_queries(client, db, agents, count_queries):
    reporter = factories.create_user("coordinator")
    start_session(client, agents[0])
    file_ticket(reporter)
    with count_queries() as few:
        client.get("/support/")
    for number in range(10):
        file_ticket(reporter, title=f"Vấn đề {number}")
    with count_queries() as more:
        client.get("/support/")
    assert len(more) == len(few) <= 9


def test_admins_edit_categories_and_old_tickets_keep_theirs(client, login_as, db, agents):
    ticket = file_ticket(factories.create_user("coordinator"))
    login_as("admin")
    client.post("/support/categories", data={"category_id": ticket.category_id, "name": "Tiếp nhận, xử lý hồ sơ"})
    client.post("/support/categories", data={"name": "Thanh toán trực tuyến", "is_active": "1"})
    db.session.refresh(ticket)
    assert ticket.category.name == "Tiếp nhận, xử lý hồ sơ" and ticket.category.is_active is False
    assert "Thanh toán trực tuyến" in [c.name for c in services.categories()]
    assert client.post("/support/categories", data={"name": "Tập huấn", "is_active": "1"}).status_code == 302
    assert [c.name for c in services.categories(False)].count("Tập huấn") == 1
