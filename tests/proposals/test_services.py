"""The rules of proposals: steps along the allowed transitions, their dates, and the release notices."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.core.errors import DomainError
from portal.core.queue import huey
from portal.mail.models import OutboxMessage
from portal.proposals import services
from portal.proposals.models import Proposal, ProposalTicket
from portal.support.models import TicketMessage
from tests import factories
from tests.support.conftest import file_ticket

TODAY = date(2026, 1, 12)  # the tests' clock: Monday 12/01/2026 in Vietnam
WORDING = services.ProposalInput("Cho phép đặt lại mật khẩu quản trị xã", "function",
                                 "Thêm chức năng tự đặt lại mật khẩu qua email.",
                                 "Nhiều xã không đăng nhập được sau khi đổi mật khẩu.")


@pytest.fixture
def reporters(db):
    """Two commune administrators and a coordinator, each with an e-mail address."""
    return [factories.create_user("commune_admin", email="xa1@nghean.gov.vn", full_name="Quản Trị Xã Một"),
            factories.create_user("coordinator", email="tinh@nghean.gov.vn", full_name="Điều Phối Tỉnh"),
            factories.create_user("coordinator", email="tinh2@nghean.gov.vn")]


def drafted(actor, tickets=(), day=None):
    return services.create(actor, WORDING, [ticket.id for ticket in tickets], day=day)


def step(actor, proposal, *statuses, day=TODAY):
    for status in statuses:
        services.move(actor, proposal, status, day)


def test_a_proposal_is_drafted_with_its_tickets_a_dated_step_and_an_audit_event(db, admin, reporters):
    tickets = [file_ticket(reporters[0]), file_ticket(reporters[1])]
    proposal = drafted(admin, tickets)
    assert (proposal.status, proposal.status_on) == ("drafted", TODAY)
    assert [t.id for t in services.tickets_of(proposal.id)] == [t.id for t in tickets]
    assert [(c.old_status, c.new_status, c.happened_on) for c in services.history(proposal.id)] == [
        (None, "drafted", TODAY)]
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "proposal.create")).scalar_one()
    assert event.target == f"proposal:{proposal.id}" and event.detail == "tickets=2"


@pytest.mark.parametrize("field, wording", [
    ("title", services.ProposalInput("  ", "feature", "x", "y")),
    ("area", services.ProposalInput("Tên", "colour", "x", "y")),
    ("change", services.ProposalInput("Tên", "feature", " ", "y")),
    ("reason", services.ProposalInput("Tên", "feature", "x", "")),
])
def test_a_proposal_without_a_title_area_change_or_reason_is_refused_and_nothing_written(db, admin, field, wording):
    with pytest.raises(DomainError) as refused:
        services.create(admin, wording, [])
    assert refused.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(func.count(Proposal.id))) == 0


def test_ticket_numbers_are_read_in_every_form_and_an_unknown_one_is_refused(db, admin, reporters):
    ticket = file_ticket(reporters[0])
    assert services.ticket_numbers(f"{ticket.reference}, {ticket.id:06d}\n{ticket.id}") == [ticket.id] * 3
    with pytest.raises(DomainError, match="abc"):
        services.ticket_numbers(f"{ticket.id} abc")
    with pytest.raises(DomainError, match=str(ticket.id + 1000)):
        services.create(admin, WORDING, [ticket.id, ticket.id + 1000])
    db.session.rollback()
    assert db.session.scalar(select(func.count(Proposal.id))) == 0


def test_the_steps_follow_the_allowed_transitions_each_dated(db, admin):
    proposal = drafted(admin, day=TODAY - timedelta(days=10))
    with pytest.raises(DomainError, match="không thể chuyển từ"):
        services.move(admin, proposal, "accepted", TODAY)
    with pytest.raises(DomainError):
        services.move(admin, proposal, "declined", TODAY)
    services.move(admin, proposal, "sent", TODAY - timedelta(days=9))
    services.move(admin, proposal, "accepted", TODAY - timedelta(days=5))
    services.move(admin, proposal, "in_test", TODAY - timedelta(days=5))
    services.move(admin, proposal, "released", TODAY)
    assert [(c.new_status, (TODAY - c.happened_on).days) for c in services.history(proposal.id)] == [
        ("drafted", 10), ("sent", 9), ("accepted", 5), ("in_test", 5), ("released", 0)]
    for status in ("released", "declined", "drafted", "sent"):
        with pytest.raises(DomainError):
            services.move(admin, proposal, status, TODAY)
    with pytest.raises(DomainError):
        services.move(admin, proposal, "unknown", TODAY)


@pytest.mark.parametrize("path", [("sent",), ("sent", "accepted"), ("sent", "accepted", "in_test")])
def test_a_sent_accepted_or_tested_proposal_may_be_declined_and_then_stays_declined(db, admin, path):
    proposal = drafted(admin)
    step(admin, proposal, *path, "declined")
    assert proposal.status == "declined"
    with pytest.raises(DomainError):
        services.move(admin, proposal, "released", TODAY)
    with pytest.raises(DomainError, match="không sửa được nữa"):
        services.edit(admin, proposal, WORDING, [])


def test_a_step_cannot_be_dated_in_the_future_or_before_the_previous_step(db, admin):
    proposal = drafted(admin, day=TODAY - timedelta(days=3))
    with pytest.raises(DomainError, match="tương lai") as future:
        services.move(admin, proposal, "sent", TODAY + timedelta(days=1))
    assert future.value.field == "happened_on"
    with pytest.raises(DomainError, match="03/01/2026|09/01/2026"):
        services.move(admin, proposal, "sent", TODAY - timedelta(days=4))
    with pytest.raises(DomainError, match="tương lai"):
        drafted(admin, day=TODAY + timedelta(days=1))
    services.move(admin, proposal, "sent")  # no date: today
    assert proposal.status_on == TODAY


def test_editing_replaces_the_wording_and_the_tickets(db, admin, reporters):
    first, second, third = (file_ticket(reporters[0], title=f"Phiếu {n}") for n in range(3))
    proposal = drafted(admin, [first, second])
    services.edit(admin, proposal, services.ProposalInput("Tên mới", "interface", "Sửa giao diện.", "Khó dùng."),
                  [second.id, third.id])
    db.session.refresh(proposal)
    assert (proposal.title, proposal.area) == ("Tên mới", "interface")
    assert [t.id for t in services.tickets_of(proposal.id)] == [second.id, third.id]


def released(admin, proposal):
    step(admin, proposal, "sent", "accepted", "in_test", "released")


def test_on_release_each_reporter_is_told_once_with_their_tickets_and_links(db, admin, reporters, outbox):
    first, second = file_ticket(reporters[0], title="Không đăng nhập được"), file_ticket(reporters[0], title="Lỗi mật khẩu")
    third = file_ticket(reporters[1])
    silent = file_ticket(reporters[2])
    db.session.execute(update(User).where(User.id == reporters[2].id).values(email=""))
    same_person = factories.create_user("coordinator", email="cu@nghean.gov.vn")
    fourth = file_ticket(same_person)
    # An address written before addresses were lower-cased: the first reporter's, in capitals.
    db.session.execute(update(User).where(User.id == same_person.id).values(email="XA1@nghean.gov.vn"))
    proposal = drafted(admin, [first, second, third, silent, fourth])
    step(admin, proposal, "sent", "accepted", "in_test")
    outbox().clear()
    told = services.move(admin, proposal, "released", TODAY, "Phiên bản 2.3")
    assert told == 2
    sent = {message.to[0]: message for message in outbox()}
    assert sorted(sent) == ["tinh@nghean.gov.vn", "xa1@nghean.gov.vn"]
    body = sent["xa1@nghean.gov.vn"].body
    for ticket in (first, second, fourth):
        assert ticket.reference in body and f"https://portal.test/support/tickets/{ticket.id}" in body
    assert third.reference not in body and WORDING.change in body and "12/01/2026" in body
    assert WORDING.title in sent["tinh@nghean.gov.vn"].subject
    notes = db.session.execute(select(TicketMessage).where(TicketMessage.is_internal.is_(True),
                                                           TicketMessage.author_id == admin.id)).scalars().all()
    assert sorted(note.ticket_id for note in notes) == sorted(t.id for t in (first, second, third, silent, fourth))


def test_a_release_is_told_once_even_if_the_notices_are_written_again(db, admin, reporters):
    proposal = drafted(admin, [file_ticket(reporters[0]), file_ticket(reporters[1])])
    released(admin, proposal)
    keys = select(func.count(OutboxMessage.id)).where(OutboxMessage.dedupe_key.like(f"proposal-released:{proposal.id}:%"))
    assert db.session.scalar(keys) == 2
    assert services.tell_reporters(admin, proposal) == 0
    assert db.session.scalar(keys) == 2
    with pytest.raises(DomainError):
        services.move(admin, proposal, "released", TODAY)


def test_a_release_rolled_back_sends_nothing(db, admin, reporters, outbox, monkeypatch):
    proposal = drafted(admin, [file_ticket(reporters[0])])
    step(admin, proposal, "sent", "accepted", "in_test")
    outbox().clear()
    pending = huey.pending_count()

    def fail(*args, **kwargs):
        raise RuntimeError("the audit write failed")

    monkeypatch.setattr(services, "record", fail)
    with pytest.raises(RuntimeError):
        services.move(admin, proposal, "released", TODAY)
    db.session.rollback()
    db.session.refresh(proposal)
    assert proposal.status == "in_test"
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.dedupe_key.like("proposal-released:%"))) == 0
    assert outbox() == [] and huey.pending_count() == pending


def test_a_proposal_with_no_ticket_or_no_reporter_address_is_released_telling_nobody(db, admin, outbox):
    proposal = drafted(admin)
    step(admin, proposal, "sent", "accepted", "in_test")
    outbox().clear()
    assert services.move(admin, proposal, "released", TODAY) == 0
    assert outbox() == []


def test_the_list_counts_each_status_and_the_tickets_of_each_proposal(db, admin, reporters):
    one = drafted(admin, [file_ticket(reporters[0]), file_ticket(reporters[1])])
    other = drafted(admin)
    step(admin, other, "sent")
    assert services.status_counts() == {"drafted": 1, "sent": 1}
    rows = db.session.execute(services.list_query()).all()
    assert [(row[0].id, row.ticket_count) for row in rows] == [(other.id, 0), (one.id, 2)]
    assert [row[0].id for row in db.session.execute(services.list_query("sent")).all()] == [other.id]
    assert db.session.scalar(select(func.count(ProposalTicket.id))) == 2
