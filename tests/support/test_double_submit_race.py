"""A ticket, a reply or an account request sent twice (a double click of "Gửi", a retry after a timeout)
is one row, and the second answer shows it.

Each form carries a one-time token; the token is unique per author in the database. "At the same moment" is
played out two ways: inside one transaction, with the first look for the token made to miss the other
request's row (as when both look before either commits), and on PostgreSQL with two real requests held
together after that look.
"""
import io
import re
import threading

import pytest
from sqlalchemy import delete, func, select

from portal.accounts import services as accounts
from portal.accounts.models import AccountRequest
from portal.auth.models import User
from portal.core.extensions import db as database
from portal.mail.models import OutboxMessage
from portal.support import services
from portal.support.models import Ticket, TicketMessage
from portal.util.forms import new_submission_token
from tests import factories
from tests.conftest import start_session
from tests.support.test_accounts import PERSON

TICKET = {"category_id": 1, "title": "Không tiếp nhận được hồ sơ", "description": "Hệ thống báo không có quyền.",
          "priority": "high"}
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def token_on(page: str) -> str:
    return re.search(r'name="submission_token" type="hidden" value="([^"]+)"', page).group(1)


def count(db, column, *where) -> int:
    return db.session.scalar(select(func.count(column)).where(*where))


@pytest.fixture
def miss_next_look(monkeypatch):
    """miss_next_look(module, name): the next call of that lookup finds nothing, as if the other request had
    not committed yet; later calls (the winner's lookup) find what is there."""

    def arm(module, name: str) -> None:
        real, calls = getattr(module, name), []

        def lookup(*args):
            calls.append(args)
            return None if len(calls) == 1 else real(*args)

        monkeypatch.setattr(module, name, lookup)

    return arm


def test_a_ticket_form_sent_twice_files_one_ticket(client, login_as, db, agents, outbox):
    reporter = login_as("commune_admin")
    token = token_on(client.get("/support/new").get_data(as_text=True))
    answers = [client.post("/support/new", data={**TICKET, "submission_token": token,
                                                  "attachments": [(io.BytesIO(PNG), "loi.png")]})
               for _ in range(2)]
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    ticket = db.session.execute(select(Ticket).where(Ticket.reporter_id == reporter.id)).scalar_one()
    page = client.get(answers[1].headers["Location"]).get_data(as_text=True)
    assert ticket.reference in page and "Đã gửi phiếu" in page
    assert len(ticket.attachments) == 1 and len(outbox()) == 1  # one file kept, the agent told once


def test_a_fresh_form_files_a_second_ticket(client, login_as, db, agents):
    reporter = login_as("coordinator")
    for _ in range(2):
        token = token_on(client.get("/support/new").get_data(as_text=True))
        assert client.post("/support/new", data={**TICKET, "submission_token": token}).status_code == 302
    assert count(db, Ticket.id, Ticket.reporter_id == reporter.id) == 2


def test_a_ticket_that_meets_the_constraint_answers_with_the_winner(db, agents, outbox, miss_next_look):
    reporter = factories.create_user("coordinator")
    token = new_submission_token()
    winner = services.create_ticket(reporter, 2, "Lỗi ký số", "Không ký được.", "normal", submission_token=token)
    miss_next_look(services, "submitted_ticket")
    again = services.create_ticket(reporter, 2, "Lỗi ký số", "Không ký được.", "normal", submission_token=token)
    assert again.id == winner.id
    assert count(db, Ticket.id, Ticket.reporter_id == reporter.id) == 1 and len(outbox()) == 1


def test_the_same_token_from_two_people_is_two_tickets(db, agents):
    token = new_submission_token()
    for role in ("coordinator", "commune_admin"):
        services.create_ticket(factories.create_user(role), 2, "Lỗi", "Mô tả.", "normal", submission_token=token)
    assert count(db, Ticket.id) == 2


def reply_page(client, ticket) -> str:
    return token_on(client.get(f"/support/tickets/{ticket.id}").get_data(as_text=True))


def test_a_reply_sent_twice_is_written_and_mailed_once(client, db, agents, outbox):
    ticket = services.create_ticket(factories.create_user("commune_admin"), 2, "Lỗi", "Mô tả.", "normal")
    sent = len(outbox())
    start_session(client, agents[0])
    data = {"body": "Đã cấp quyền, đề nghị thử lại.", "status": "resolved",
            "submission_token": reply_page(client, ticket)}
    for _ in range(2):
        response = client.post(f"/support/tickets/{ticket.id}/reply", data=data)
        assert response.status_code == 302
        assert "Đã gửi trả lời" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert count(db, TicketMessage.id, TicketMessage.ticket_id == ticket.id) == 1
    db.session.refresh(ticket)
    assert ticket.status == "resolved" and len(outbox()) == sent + 1


def test_a_status_change_sent_twice_is_done_once_without_an_error(client, db, agents, outbox):
    ticket = services.create_ticket(factories.create_user("commune_admin"), 2, "Lỗi", "Mô tả.", "normal")
    sent = len(outbox())
    start_session(client, agents[0])
    data = {"status": "in_progress", "submission_token": reply_page(client, ticket)}
    pages = []
    for _ in range(2):
        response = client.post(f"/support/tickets/{ticket.id}/reply", data=data)
        pages.append(client.get(response.headers["Location"]).get_data(as_text=True))
    assert all("Đã chuyển trạng thái" in page and 'class="flash error"' not in page for page in pages)
    assert len(outbox()) == sent + 1


def test_a_reply_that_meets_the_constraint_answers_with_the_winner(db, agents, outbox, miss_next_look):
    ticket = services.create_ticket(factories.create_user("commune_admin"), 2, "Lỗi", "Mô tả.", "normal")
    sent = len(outbox())
    token = new_submission_token()
    first = services.respond(agents[0], ticket, "Đã xử lý.", status="resolved", submission_token=token)
    miss_next_look(services, "submitted_message")
    assert services.respond(agents[0], ticket, "Đã xử lý.", status="resolved", submission_token=token).id == first.id
    assert count(db, TicketMessage.id, TicketMessage.ticket_id == ticket.id) == 1 and len(outbox()) == sent + 1


def test_an_account_request_sent_twice_is_recorded_once(client, login_as, db):
    coordinator = login_as("coordinator")
    token = token_on(client.get("/accounts/").get_data(as_text=True))
    for _ in range(2):
        response = client.post("/accounts/", data={**PERSON, "accept_notice": "y", "submission_token": token})
        assert response.status_code == 302
        assert "Đã ghi nhận đề nghị." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert count(db, AccountRequest.id, AccountRequest.requested_by_id == coordinator.id) == 1


def test_an_account_request_that_meets_the_constraint_answers_with_the_winner(db, miss_next_look):
    coordinator = factories.create_user("coordinator")
    token = new_submission_token()
    winner = accounts.add_request(coordinator, PERSON, submission_token=token)
    miss_next_look(accounts, "submitted_request")
    assert accounts.add_request(coordinator, PERSON, submission_token=token).id == winner.id
    assert count(db, AccountRequest.id) == 1


def test_a_missing_or_forged_token_guards_nothing_and_breaks_nothing(client, login_as, db, agents):
    reporter = login_as("coordinator")
    for token in ("", "x" * 500, "<script>"):
        assert client.post("/support/new", data={**TICKET, "submission_token": token}).status_code == 302
    tickets = db.session.execute(select(Ticket).where(Ticket.reporter_id == reporter.id)).scalars().all()
    assert len(tickets) == 3 and {t.submission_token for t in tickets} == {None}


@pytest.fixture
def race_rows(app):
    yield
    with app.app_context():
        for model in (TicketMessage, Ticket, OutboxMessage):
            database.session.execute(delete(model))
        database.session.execute(delete(User).where(User.email.like("race.%")))
        database.session.commit()
        database.session.remove()


def test_two_requests_past_the_token_check_file_one_ticket(app, race_rows, monkeypatch):
    """On PostgreSQL, both requests look for the token, find nothing, and only then insert: the second insert
    waits for the first to commit and meets the unique index. (SQLite lets one writing request in at a time,
    so there the second request finds the ticket at its first look: skipped there.)"""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite serialises writing requests (BEGIN IMMEDIATE): the interleaving cannot happen there.")
    with app.app_context():
        reporter = factories.create_user("coordinator", email="race.reporter@test.vn")
        clients = [app.test_client() for _ in range(2)]
        for client in clients:
            start_session(client, reporter)
        reporter_id = reporter.id
        database.session.remove()
    token, both_looked = new_submission_token(), threading.Barrier(2)
    real, looked = services.submitted_ticket, threading.local()

    def submitted_ticket(*args):
        found = real(*args)
        if not getattr(looked, "once", False):
            looked.once = True
            both_looked.wait(30)
        return found

    monkeypatch.setattr(services, "submitted_ticket", submitted_ticket)
    answers = [None, None]

    def send(number: int):
        answers[number] = clients[number].post("/support/new", data={**TICKET, "submission_token": token})

    threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    with app.app_context():
        assert database.session.scalar(select(func.count(Ticket.id)).where(Ticket.reporter_id == reporter_id)) == 1
        database.session.remove()


def test_two_requests_resolving_a_ticket_at_once_mail_the_reporter_once(app, race_rows, monkeypatch):
    """On PostgreSQL, both requests read the ticket as "assigned" before either moves it: the conditional UPDATE
    lets one move it and tell the reporter; the other finds it moved and mails nobody. (Skipped on SQLite, which
    lets one writing request in at a time.)"""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite serialises writing requests (BEGIN IMMEDIATE): the interleaving cannot happen there.")
    with app.app_context():
        reporter = factories.create_user("commune_admin", email="race.clerk@test.vn")
        agent = factories.create_user("agent", email="race.agent@test.vn")
        services.set_province_agents(reporter.province_code, agent.id, None)
        ticket = services.create_ticket(reporter, 2, "Lỗi", "Mô tả.", "normal")
        ticket_id, reporter_email = ticket.id, reporter.email
        mailed_before = count(database, OutboxMessage.id, OutboxMessage.recipient == reporter_email)
        clients = [app.test_client() for _ in range(2)]
        for client in clients:
            start_session(client, agent)
        database.session.remove()
    both_read, real = threading.Barrier(2), services.set_status

    def set_status(ticket, status):
        both_read.wait(30)  # each request has read the ticket as it stood before either moves it
        return real(ticket, status)

    monkeypatch.setattr(services, "set_status", set_status)
    answers = [None, None]

    def send(number: int):
        answers[number] = clients[number].post(f"/support/tickets/{ticket_id}/reply", data={"status": "resolved"})

    threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [a.status_code for a in answers] == [302, 302]
    with app.app_context():
        assert database.session.get(Ticket, ticket_id).status == "resolved"
        assert count(database, OutboxMessage.id, OutboxMessage.recipient == reporter_email) == mailed_before + 1
        database.session.remove()
