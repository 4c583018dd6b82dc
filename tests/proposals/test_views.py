"""The proposal pages as admin, viewer and the roles they are closed to; the export read back with openpyxl."""
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.proposals import services
from portal.proposals.models import Proposal
from portal.support import feedback
from tests import factories
from tests.conftest import start_session
from tests.support.conftest import file_ticket
from tests.support.test_recurring import TICKETS

WORDING = services.ProposalInput("Đăng nhập một lần cho cán bộ xã", "feature", "Thêm đăng nhập bằng VNeID.",
                                 "Cán bộ quên mật khẩu.")
FORM = {"title": "Sửa màn hình tiếp nhận", "area": "interface", "change": "Nút Tiếp nhận đặt ở đầu trang.",
        "reason": "Cán bộ không tìm thấy nút."}


@pytest.fixture
def reporter(db):
    return factories.create_user("commune_admin", email="xa@nghean.gov.vn")


@pytest.fixture
def proposal(db, admin, reporter):
    return services.create(admin, WORDING, [file_ticket(reporter).id, file_ticket(reporter, title="Quên mật khẩu").id])


@pytest.mark.parametrize("role", ["coordinator", "commune_admin", "agent", "trainer"])
def test_the_proposals_are_closed_to_other_roles(client, login_as, proposal, role):
    login_as(role)
    for path in ("/proposals/", f"/proposals/{proposal.id}", "/proposals/new", "/proposals/export.xlsx",
                 f"/proposals/{proposal.id}/edit"):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/proposals/{proposal.id}/status", data={"status": "sent"}).status_code == 403


def test_a_viewer_reads_the_list_and_a_proposal_but_changes_nothing(client, login_as, proposal, db):
    login_as("viewer")
    page = client.get("/proposals/").get_data(as_text=True)
    assert WORDING.title in page and "/proposals/new" not in page and "export.xlsx" not in page
    detail = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    ticket = services.tickets_of(proposal.id)[0]
    assert ticket.reference in detail and f"/support/tickets/{ticket.id}" not in detail  # no ticket page for them
    assert "xa@nghean.gov.vn" not in detail and 'name="status"' not in detail
    assert client.post(f"/proposals/{proposal.id}/status", data={"status": "sent"}).status_code == 403
    assert client.get("/proposals/new").status_code == 403
    assert client.get("/proposals/export.xlsx").status_code == 403


def test_the_recurring_page_offers_a_proposal_from_each_group_with_its_tickets_ticked(client, login_as, db):
    reporter = factories.create_user("coordinator")
    tickets = [file_ticket(reporter, title, description) for title, description in TICKETS]
    feedback.mark_known_issue("Lỗi tiếp nhận hồ sơ", "Chưa phân quyền tiếp nhận.", [tickets[3].id, tickets[4].id])
    login_as("admin")
    recurring = client.get("/support/recurring").get_data(as_text=True)
    assert recurring.count(f'action="/proposals/new"') == 2
    group = [t.id for t in tickets[:3]]
    form = client.get("/proposals/new", query_string=[("ticket_ids", i) for i in group]).get_data(as_text=True)
    for ticket_id in group:
        assert f'id="ticket-{ticket_id}" name="ticket_ids" value="{ticket_id}" checked' in form
    assert f'value="{tickets[5].id}"' not in form
    issue = tickets[3].known_issue_id
    assert f"/proposals/new?known_issue={issue}" in recurring
    from_issue = client.get(f"/proposals/new?known_issue={issue}").get_data(as_text=True)
    assert "Lỗi tiếp nhận hồ sơ" in from_issue and "Chưa phân quyền tiếp nhận." in from_issue
    assert f'value="{tickets[3].id}" checked' in from_issue and f'value="{tickets[4].id}" checked' in from_issue
    response = client.post("/proposals/new", data={**FORM, "known_issue_id": issue, "ticket_ids": [tickets[3].id],
                                                   "candidate_ids": [tickets[3].id, tickets[4].id],
                                                   "ticket_numbers": tickets[6].reference})
    created = db.session.execute(select(Proposal)).scalar_one()
    assert response.headers["Location"].endswith(f"/proposals/{created.id}")
    assert created.source_known_issue_id == issue
    assert [t.id for t in services.tickets_of(created.id)] == [tickets[3].id, tickets[6].id]


def test_a_form_with_a_wrong_ticket_number_comes_back_with_the_error_and_writes_nothing(client, login_as, db, reporter):
    ticket = file_ticket(reporter)
    login_as("admin")
    page = client.post("/proposals/new", data={**FORM, "ticket_ids": [ticket.id], "candidate_ids": [ticket.id],
                                               "ticket_numbers": "99999"}).get_data(as_text=True)
    assert "99999" in page and 'aria-invalid="true"' in page
    assert f'value="{ticket.id}" checked' in page  # the ticks are kept
    assert db.session.scalar(select(Proposal.id)) is None
    empty = client.post("/proposals/new", data={**FORM, "title": ""})
    assert empty.status_code == 200 and db.session.scalar(select(Proposal.id)) is None


def test_an_admin_edits_the_tickets_and_moves_the_proposal_to_release(client, login_as, db, proposal, outbox):
    login_as("admin")
    first, second = services.tickets_of(proposal.id)
    page = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert f'value="{first.id}" checked' in page and f'value="{second.id}" checked' in page
    client.post(f"/proposals/{proposal.id}/edit", data={**FORM, "ticket_ids": [second.id]})
    assert [t.id for t in services.tickets_of(proposal.id)] == [second.id]
    today = "2026-01-12"
    for status in ("sent", "accepted", "in_test"):
        client.post(f"/proposals/{proposal.id}/status", data={"status": status, "happened_on": today})
    outbox().clear()
    page = client.post(f"/proposals/{proposal.id}/status", data={"status": "released", "happened_on": today,
                                                                 "note": "Phiên bản 2.3"}, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "Phiên bản 2.3" in text and 'name="status"' not in text  # released: no further step
    assert [m.to for m in outbox()] == [["xa@nghean.gov.vn"]]
    assert second.reference in outbox()[0].body and first.reference not in outbox()[0].body
    assert client.get(f"/proposals/{proposal.id}/edit").status_code == 302
    actions = db.session.execute(select(AuditEvent.action).where(AuditEvent.target == f"proposal:{proposal.id}")
                                 .order_by(AuditEvent.id)).scalars().all()
    assert actions == ["proposal.create", "proposal.edit"] + ["proposal.status"] * 4


def test_a_refused_step_is_said_and_changes_nothing(client, login_as, db, proposal):
    login_as("admin")
    page = client.post(f"/proposals/{proposal.id}/status", data={"status": "released", "happened_on": "2026-01-12"},
                       follow_redirects=True).get_data(as_text=True)
    assert 'class="flash error"' in page or "flash error" in page
    future = client.post(f"/proposals/{proposal.id}/status", data={"status": "sent", "happened_on": "2026-02-01"},
                         follow_redirects=True).get_data(as_text=True)
    assert "flash error" in future
    for status in ("", "nonsense"):
        client.post(f"/proposals/{proposal.id}/status", data={"status": status, "happened_on": "2026-01-12"})
    client.post(f"/proposals/{proposal.id}/status", data={"status": "sent", "happened_on": "not a date"})
    db.session.refresh(proposal)
    assert proposal.status == "drafted"


@pytest.mark.parametrize("path", ["/proposals/?page=abc", "/proposals/?status=nonsense", "/proposals/?page=99999999999",
                                  "/proposals/new?known_issue=abc", "/proposals/new?ticket_ids=x&ticket_ids=-1"])
def test_bad_addresses_are_answered_never_failed(client, login_as, proposal, path):
    login_as("admin")
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/proposals/999999", "/proposals/99999999999999999999", "/proposals/999999/edit",
                                  "/proposals/new?known_issue=999999"])
def test_unknown_ids_are_404(client, login_as, db, path):
    login_as("admin")
    assert client.get(path).status_code == 404


def test_the_list_filters_by_status_and_shows_the_counts(client, login_as, db, admin, proposal):
    other = services.create(admin, services.ProposalInput("Giao diện di động", "interface", "x", "y"), [])
    services.move(admin, other, "sent", date(2026, 1, 12))
    login_as("admin")
    sent = client.get("/proposals/?status=sent").get_data(as_text=True)
    assert "Giao diện di động" in sent and WORDING.title not in sent
    assert sent.count('<span class="count">1</span>') == 2  # drafted 1, sent 1
    assert '<span class="count">2</span>' in sent  # all


def test_the_list_costs_the_same_queries_for_2_or_20_proposals(client, login_as, db, admin, count_queries):
    reporter = factories.create_user("coordinator")
    ticket = file_ticket(reporter)
    for _ in range(2):
        services.create(admin, WORDING, [ticket.id])
    start_session(client, admin)
    with count_queries() as few:
        assert client.get("/proposals/").status_code == 200
    for _ in range(18):
        services.create(admin, WORDING, [ticket.id])
    with count_queries() as more:
        assert client.get("/proposals/").status_code == 200
    assert len(more) == len(few) <= 6


def test_the_export_holds_each_proposal_with_its_tickets_and_dates_and_is_audited(client, login_as, db, admin, reporter):
    proposal = services.create(admin, WORDING, [file_ticket(reporter).id, file_ticket(reporter).id],
                               day=date(2026, 1, 9))
    services.move(admin, proposal, "sent", date(2026, 1, 10))
    services.move(admin, proposal, "accepted", date(2026, 1, 11))
    services.create(admin, services.ProposalInput("=SUM(A1)", "function", "Sửa báo cáo.", "Số liệu sai."), [])
    user = login_as("admin")
    response = client.get("/proposals/export.xlsx")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = list(load_workbook(io.BytesIO(response.data))["Kiến nghị"].iter_rows(values_only=True))
    assert rows[4][:6] == ("STT", "Lĩnh vực", "Nội dung đề nghị điều chỉnh", "Lý do", "Phiếu hỗ trợ liên quan",
                           "Trạng thái")
    first, second = rows[5], rows[6]
    references = [t.reference for t in services.tickets_of(proposal.id)]
    assert first[:6] == (1, "Tính năng", f"{WORDING.title}\n{WORDING.change}", WORDING.reason,
                         f"2 phiếu: {', '.join(references)}", "Đã tiếp nhận")
    assert first[6:] == ("09/01/2026", "10/01/2026", "11/01/2026", None, None, None)
    assert second[1:3] == ("Chức năng", "=SUM(A1)\nSửa báo cáo.") and second[4] == "0 phiếu"
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "proposals.export")).scalar_one()
    assert (event.actor_id, event.target, event.detail) == (user.id, "proposals", "format=xlsx proposals=2")
    accepted = client.get("/proposals/export.xlsx?status=accepted")
    rows = list(load_workbook(io.BytesIO(accepted.data)).active.iter_rows(values_only=True))
    assert [row[2] for row in rows[5:]] == [f"{WORDING.title}\n{WORDING.change}"]


def test_the_audit_log_names_and_links_the_proposal_events(client, login_as, db, proposal):
    login_as("admin")
    page = client.get("/audit/").get_data(as_text=True)
    assert f'href="/proposals/{proposal.id}"' in page
