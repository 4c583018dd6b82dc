"""The reply side of a ticket: canned replies (own and shared, inserted and edited), attachments on replies with
image thumbnails, who may download what, the waiting ticket coming back, and the confirmations."""
import io
import struct

import pytest
from sqlalchemy import func, select

from portal.core import uploads
from portal.core.errors import DomainError
from portal.demo.support import DEMO_CANNED, load_demo_canned
from portal.support import canned, services
from portal.support.models import CannedReply, TicketAttachment, TicketMessage
from tests import factories
from tests.conftest import start_session
from tests.factories import HA_NOI
from tests.factories import png_image as png
from tests.support.conftest import file_ticket

HUGE = "99999999999999999999"


def write_canned(owner, title="Đã tiếp nhận", body="Kính gửi {nguoi_gui}, phiếu {ma_phieu} đã được tiếp nhận.",
                 shared=False) -> CannedReply:
    return canned.save(owner, None, title, body, shared)


def test_image_sizes_are_read_from_headers_and_garbage_is_not_believed():
    assert uploads.image_size(png(32, 20)) == (32, 20)
    assert uploads.image_size(b"GIF89a" + struct.pack("<HH", 10, 20) + b"\x00" * 8) == (10, 20)
    jpeg = (b"\xff\xd8\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + b"\x00" * 9
            + b"\xff\xc0" + struct.pack(">HBHH", 17, 8, 300, 400) + b"\x00" * 12)
    assert uploads.image_size(jpeg) == (400, 300)
    webp = b"RIFF" + b"\x00" * 4 + b"WEBPVP8X" + b"\x00" * 8 + (99).to_bytes(3, "little") + (49).to_bytes(3, "little")
    assert uploads.image_size(webp) == (100, 50)
    assert uploads.image_size(b"\x89PNG\r\n\x1a\n" + b"0" * 64) is None  # no IHDR: no size
    assert uploads.image_size(b"\xff\xd8\xff") is None and uploads.image_size(b"GIF89a") is None
    assert uploads.fit_within(1920, 1080) == (240, 135) and uploads.fit_within(100, 50) == (100, 50)
    assert uploads.fit_within(None, None) == (240, 180)


def test_agents_keep_private_replies_and_share_others(db, agents):
    other = factories.create_user("agent", full_name="Hỗ Trợ Hà Nội")
    services.set_province_agents(HA_NOI, other.id, None)
    private = write_canned(agents[0], "Riêng tôi")
    shared = write_canned(agents[0], "Dùng chung", shared=True)
    assert {r.id for r in canned.usable(agents[0])} == {private.id, shared.id}
    assert [r.id for r in canned.usable(other)] == [shared.id]
    assert canned.usable_one(other, private.id) is None
    assert canned.usable(factories.create_user("coordinator")) == []
    with pytest.raises(DomainError):
        canned.save(other, shared.id, "Đổi", "Đổi nội dung", True)  # shared, but not theirs
    with pytest.raises(DomainError):
        canned.delete(other, private.id)
    with pytest.raises(DomainError):
        canned.save(factories.create_user("coordinator"), None, "Mẫu", "Nội dung", True)
    admin = factories.create_user("admin")
    canned.save(admin, private.id, "Sửa bởi quản trị", "Nội dung mới", False)
    assert db.session.get(CannedReply, private.id).title == "Sửa bởi quản trị"
    canned.delete(agents[0], shared.id)
    assert db.session.get(CannedReply, shared.id) is None


def test_fields_are_filled_and_typed_text_is_kept(db, agents):
    reporter = factories.create_user("commune_admin", full_name="Nguyễn Văn Xã")
    ticket = file_ticket(reporter)
    text = canned.filled(write_canned(agents[0]), ticket, agents[0])
    assert text == f"Kính gửi Nguyễn Văn Xã, phiếu {ticket.reference} đã được tiếp nhận."
    assert canned.appended("Chào anh,  \n", text) == f"Chào anh,\n\n{text}"
    assert canned.appended("  ", text) == text


def test_insert_puts_the_canned_text_after_the_typed_text_and_sends_nothing(client, db, agents, outbox):
    ticket = file_ticket(factories.create_user("commune_admin", full_name="Trần Thị Xã"))
    reply = write_canned(agents[0])
    sent = len(outbox())
    start_session(client, agents[0])
    response = client.post(f"/support/tickets/{ticket.id}/reply", data={
        "body": "Chào chị,", "canned_id": reply.id, "insert": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Chào chị,\n\nKính gửi Trần Thị Xã, phiếu {ticket.reference} đã được tiếp nhận.</textarea>" in page
    assert "Câu trả lời mẫu đã được chèn" in page
    assert db.session.scalar(select(func.count(TicketMessage.id))) == 0 and len(outbox()) == sent


def test_someone_elses_private_reply_and_hostile_ids_insert_nothing(client, db, agents):
    other = factories.create_user("agent")
    services.set_province_agents(HA_NOI, other.id, None)
    private = write_canned(agents[0], body="BÍ MẬT CỦA NGHỆ AN")
    ticket = file_ticket(factories.create_user("coordinator", province_code=HA_NOI))
    start_session(client, other)
    for value in (private.id, "abc", HUGE, "-1", "0", "1e3", "%00"):
        response = client.get(f"/support/tickets/{ticket.id}?canned={value}")
        assert response.status_code in (200, 400) and "BÍ MẬT" not in response.get_data(as_text=True)
        response = client.post(f"/support/tickets/{ticket.id}/reply", data={
            "body": "Nội dung đã gõ", "canned_id": value, "insert": "1"})
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "BÍ MẬT" not in page and "Nội dung đã gõ</textarea>" in page
    assert db.session.scalar(select(func.count(TicketMessage.id))) == 0


def test_the_ticket_page_opens_with_a_canned_reply_in_the_box(client, db, agents):
    ticket = file_ticket(factories.create_user("commune_admin"))
    reply = write_canned(agents[1], shared=True, body="Đề nghị gửi ảnh chụp màn hình cho phiếu {ma_phieu}.")
    start_session(client, agents[0])
    page = client.get(f"/support/tickets/{ticket.id}?canned={reply.id}").get_data(as_text=True)
    assert f"Đề nghị gửi ảnh chụp màn hình cho phiếu {ticket.reference}.</textarea>" in page
    assert 'src="/static/canned.js"' in page and "Chèn câu trả lời mẫu" in page


def test_a_reply_with_a_screenshot_shows_a_thumbnail_to_the_reporter(client, db, agents, outbox):
    reporter = factories.create_user("commune_admin")
    ticket = file_ticket(reporter)
    start_session(client, agents[0])
    response = client.post(f"/support/tickets/{ticket.id}/reply", data={
        "body": "Xem ảnh hướng dẫn.", "attachments": [(io.BytesIO(png(1200, 600)), "huong-dan.png")]},
        content_type="multipart/form-data")
    assert response.status_code == 302
    assert "Đã gửi trả lời cho" in client.get(response.headers["Location"]).get_data(as_text=True)
    file = db.session.execute(select(TicketAttachment)).scalar_one()
    message = db.session.execute(select(TicketMessage)).scalar_one()
    assert (file.message_id, file.width, file.height) == (message.id, 1200, 600)
    start_session(client, reporter)
    page = client.get(f"/support/tickets/{ticket.id}").get_data(as_text=True)
    assert (f'<img src="/support/attachments/{file.id}" loading="lazy" width="240" height="120" '
            'alt="Ảnh: huong-dan.png">') in page
    image = client.get(f"/support/attachments/{file.id}")
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert image.headers["Content-Disposition"].startswith("inline")
    assert "sandbox" in image.headers["Content-Security-Policy"]
    image.close()


def test_a_refused_file_keeps_the_typed_reply_and_writes_nothing(client, db, agents):
    ticket = file_ticket(factories.create_user("commune_admin"))
    start_session(client, agents[0])
    response = client.post(f"/support/tickets/{ticket.id}/reply", data={
        "body": "Nội dung dài đã gõ", "attachments": [(io.BytesIO(b"<svg onload=alert(1)>"), "anh.png")]},
        content_type="multipart/form-data")
    assert response.status_code == 422 and "Nội dung dài đã gõ</textarea>" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(TicketMessage.id))) == 0


def test_the_reporter_never_sees_the_files_of_an_internal_note(client, db, agents):
    reporter = factories.create_user("commune_admin")
    ticket = file_ticket(reporter)
    note = services.respond(agents[0], ticket, "Nhật ký lỗi nội bộ", internal=True,
                            files=[("nhat-ky.pdf", b"%PDF-1.4 noi bo")])
    pdf = note.attachments[0]
    start_session(client, reporter)
    page = client.get(f"/support/tickets/{ticket.id}").get_data(as_text=True)
    assert "nhat-ky.pdf" not in page and "Nhật ký lỗi nội bộ" not in page
    assert client.get(f"/support/attachments/{pdf.id}").status_code == 404
    start_session(client, factories.create_user("coordinator", province_code=HA_NOI))
    assert client.get(f"/support/attachments/{pdf.id}").status_code == 404
    start_session(client, agents[0])
    download = client.get(f"/support/attachments/{pdf.id}")
    assert download.status_code == 200 and download.headers["Content-Disposition"].startswith("attachment")
    download.close()


def test_a_reporter_reply_brings_a_waiting_ticket_back_and_tells_the_assignee(client, db, agents, outbox):
    reporter = factories.create_user("commune_admin")
    ticket = file_ticket(reporter)
    services.respond(agents[0], ticket, "Đề nghị xã thử lại.", status="waiting")
    sent = len(outbox())
    start_session(client, reporter)
    response = client.post(f"/support/tickets/{ticket.id}/reply", data={
        "body": "Vẫn lỗi, gửi ảnh.", "attachments": [(io.BytesIO(png(8, 8)), "loi.png")]},
        content_type="multipart/form-data")
    assert "Đã gửi trả lời của bạn cho cán bộ hỗ trợ." in client.get(response.headers["Location"]).get_data(
        as_text=True)
    db.session.refresh(ticket)
    assert ticket.status == "in_progress"
    mails = outbox()[sent:]
    assert [m.to for m in mails] == [[agents[0].email]]
    assert "Vẫn lỗi, gửi ảnh." in mails[0].body and "Chờ địa phương phản hồi → Đang xử lý" in mails[0].body


def test_a_note_and_a_reply_are_confirmed_differently(client, db, agents):
    ticket = file_ticket(factories.create_user("commune_admin", full_name="Lê Văn Xã"))
    start_session(client, agents[0])
    note = client.post(f"/support/tickets/{ticket.id}/reply", data={"body": "Kiểm tra quyền.", "is_internal": "y"})
    assert "Đã lưu ghi chú nội bộ" in client.get(note.headers["Location"]).get_data(as_text=True)
    sent = client.post(f"/support/tickets/{ticket.id}/reply", data={"body": "Đã cấp quyền."})
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Đã gửi trả lời cho Lê Văn Xã" in page and "Đã lưu ghi chú nội bộ" not in page


def test_the_ticket_page_costs_the_same_queries_with_many_replies_and_files(client, db, agents, count_queries):
    ticket = file_ticket(factories.create_user("commune_admin"))
    start_session(client, agents[0])

    def cost() -> int:
        with count_queries() as statements:
            assert client.get(f"/support/tickets/{ticket.id}").status_code == 200
        return len(statements)

    services.respond(agents[0], ticket, "Trả lời 1", files=[("a.png", png(4, 4))])
    few = cost()
    for number in range(12):
        author = agents[number % 2]
        services.respond(author, ticket, f"Trả lời {number}", internal=number % 3 == 0,
                         files=[(f"anh-{number}.png", png(4, 4)), (f"tep-{number}.pdf", b"%PDF-1.4")])
        write_canned(author, f"Mẫu {number}", shared=True)
    assert cost() == few


def test_the_canned_page_lets_agents_write_and_edit_their_own(client, db, agents):
    admin_reply = canned.save(factories.create_user("admin"), None, "Của quản trị", "Nội dung chung", True)
    start_session(client, agents[0])
    response = client.post("/support/canned", data={"title": "Mẫu của tôi", "body": "Chào {nguoi_gui}"})
    assert response.status_code == 302
    mine = db.session.execute(select(CannedReply).where(CannedReply.owner_id == agents[0].id)).scalar_one()
    assert not mine.is_shared
    page = client.get(f"/support/canned?edit={mine.id}").get_data(as_text=True)
    assert "Sửa “Mẫu của tôi”" in page and "Của quản trị" in page
    assert f"?edit={admin_reply.id}" not in page  # listed, not editable by an agent
    client.post("/support/canned", data={"canned_id": mine.id, "title": "Mẫu đã sửa", "body": "Mới",
                                         "is_shared": "y"})
    db.session.refresh(mine)
    assert (mine.title, mine.is_shared) == ("Mẫu đã sửa", True)
    refused = client.post("/support/canned", data={"canned_id": admin_reply.id, "title": "Chiếm", "body": "X"})
    assert refused.status_code == 422 and db.session.get(CannedReply, admin_reply.id).title == "Của quản trị"
    for value in ("abc", HUGE, "-5", str(admin_reply.id)):
        assert client.get(f"/support/canned?edit={value}&page={value}").status_code == 200
        assert client.post("/support/canned", data={"canned_id": value, "delete": "1"}).status_code == 422
    mine_id = mine.id
    assert client.post("/support/canned", data={"canned_id": mine_id, "delete": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(CannedReply, mine_id) is None
    start_session(client, factories.create_user("coordinator"))
    assert client.get("/support/canned").status_code in (403, 404)


def test_the_demo_shares_canned_replies_once(db):
    assert load_demo_canned() == len(DEMO_CANNED) >= 5
    assert load_demo_canned() == 0
    assert all(reply.is_shared for reply in db.session.execute(select(CannedReply)).scalars())
