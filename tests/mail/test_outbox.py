"""The outbox as a queue: written with the change, woken after commit, delivered over real SMTP."""
import os
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select, update

from portal.core.config import mail_settings
from portal.core.models_base import utcnow
from portal.core import queue as queue_module
from portal.core.queue import huey, storage_for
from portal.mail import delivery
from portal.mail.models import OutboxMessage
from portal.mail.services import send_again, send_mail
from portal.training.enrolment import enrol, withdraw
from portal.training.models import Enrolment
from portal.training.notices import details, notify_change
from portal.training.services import cancel_session
from tests.conftest import start_session

REDIS_URL = os.environ.get("TEST_REDIS_URL")


@pytest.fixture(params=["sqlite", "redis"])
def queue(request, app, tmp_path, monkeypatch):
    """The real queue storage the worker reads: an SQLite file, then Redis (required when CI=true).

    Tasks run in the context of this test's app (another test may have built an app since).
    """
    monkeypatch.setitem(queue_module._bound, "app", app)
    if request.param == "redis" and not REDIS_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but TEST_REDIS_URL is not set: the Redis queue tests are required")
        pytest.skip("set TEST_REDIS_URL=redis://... to run the queue tests on Redis")
    url = REDIS_URL if request.param == "redis" else f"sqlite:///{tmp_path / 'queue.sqlite3'}"
    storage_class, kwargs = storage_for(url)
    previous = huey.storage
    huey.storage = storage_class(huey.name, **kwargs)
    huey.storage.flush_queue()
    yield huey
    huey.storage.flush_queue()
    huey.storage.close()
    huey.storage = previous


def run_queued_tasks(queue) -> list[str]:
    """Do what the worker does: take each queued task and run it."""
    names = []
    while (task := queue.dequeue()) is not None:
        names.append(task.name)
        queue.execute(task)
    return names


def calendar_of(message):
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    return part.get_param("method"), Calendar.from_ical(part.get_payload(decode=True))


def test_a_commit_wakes_the_worker_which_delivers_over_smtp(db, queue, smtp, make_session, commune_contacts):
    session = make_session()
    enrol(None, session, commune_contacts(3))
    assert smtp.recorder.messages == []  # the request itself sent nothing
    assert run_queued_tasks(queue) == ["deliver_outbox"]
    assert len(smtp.recorder.messages) == 3
    statuses = db.session.execute(select(OutboxMessage.status)).scalars().all()
    assert statuses == ["sent"] * 3


def test_a_rolled_back_change_sends_nothing(db, queue, make_session, commune_contacts, outbox):
    session = make_session()
    enrol(None, session, commune_contacts(2))
    run_queued_tasks(queue)
    outbox().clear()
    before = details(session)
    session.venue = "Hội trường tầng 3"
    notify_change(session, before)
    db.session.rollback()
    assert queue.pending_count() == 0 and outbox() == []
    assert db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.status == "queued")) is None


def test_cancelling_with_118_enrolled_answers_without_smtp_then_every_calendar_drops_the_event(
        app, db, client, admin, smtp, make_session, commune_contacts):
    session = make_session(capacity=120)
    people = commune_contacts(118)
    enrol(admin, session, people)
    delivery.deliver_due()
    smtp.recorder.messages.clear()
    start_session(client, admin)
    response = client.post(f"/training/sessions/{session.id}/cancel", data={"reason": "Đổi lịch toàn quốc", "confirmed": "yes"})
    assert response.status_code == 302 and smtp.recorder.messages == []
    delivery.deliver_due()
    cancellations = {m["To"]: m for m in smtp.recorder.messages}
    assert set(cancellations) == {p.email for p in people}
    method, calendar = calendar_of(cancellations[people[0].email])
    event = calendar.walk("VEVENT")[0]
    assert method == "CANCEL" and calendar["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
    assert str(event["UID"]) == f"session-{session.id}@portal.test" and event["SEQUENCE"] == 1
    assert str(event["ATTENDEE"]) == f"mailto:{people[0].email}"


def test_confirmation_update_and_withdrawal_carry_one_event(db, admin, trainer, make_session, commune_contacts, smtp):
    from tests.factories import session_input
    from portal.training.services import save_session

    session = make_session()
    person = commune_contacts(1)[0]
    enrol(admin, session, [person])
    save_session(admin, session, session_input([trainer.id], starts="13:30", ends="17:00"))
    withdraw(db.session.execute(select(Enrolment)).scalar_one())
    delivery.deliver_due()
    parts = [calendar_of(m) for m in smtp.recorder.messages]
    assert [method for method, _ in parts] == ["REQUEST", "REQUEST", "CANCEL"]
    events = [calendar.walk("VEVENT")[0] for _, calendar in parts]
    assert len({str(e["UID"]) for e in events}) == 1
    assert [e["SEQUENCE"] for e in events] == [0, 1, 1]
    assert events[1].decoded("DTSTART").hour == 13 and str(events[1]["ORGANIZER"]) == "mailto:portal@test.local"
    assert all(c.walk("VTIMEZONE") for _, c in parts)
    import vobject
    for message in smtp.recorder.messages:
        part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
        assert vobject.readOne(part.get_payload(decode=True).decode()).vevent.uid.value == str(events[0]["UID"])


def test_smtp_down_in_the_middle_of_a_batch_delivers_each_message_once(app, db, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_RETRY_DELAYS", [0, 0, 0])
    for number in range(10):
        send_mail(f"nguoi{number}@xa.gov.vn", f"Thư {number}", "Nội dung")
    db.session.commit()
    smtp.recorder.go_down_after = 4
    first = delivery.deliver_due()
    assert first.sent == 4 and first.retrying == 6
    smtp.start()  # the server is back
    second = delivery.deliver_due()
    assert second.sent == 6
    ids = smtp.recorder.message_ids()
    assert len(ids) == 10 and len(set(ids)) == 10
    stored = set(db.session.execute(select(OutboxMessage.message_id)).scalars())
    assert stored == set(ids)


def test_failures_back_off_then_fail_and_can_be_sent_again(app, db, smtp, client, admin):
    smtp.stop()
    message = send_mail("xa@nghean.gov.vn", "Thư", "Nội dung")
    db.session.commit()
    delivery.deliver_due()
    db.session.refresh(message)
    wait = message.next_attempt_at - utcnow()
    assert message.status == "queued" and message.attempts == 1 and timedelta(seconds=50) < wait <= timedelta(seconds=60)
    assert "ConnectionRefusedError" in message.error
    for _ in range(5):
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        delivery.deliver_due()
    db.session.refresh(message)
    assert message.status == "failed" and message.attempts == 6
    start_session(client, admin)
    page = client.get("/mail/outbox?status=failed").get_data(as_text=True)
    assert "ConnectionRefusedError" in page and "/send-again" in page
    assert client.post(f"/mail/outbox/{message.id}/send-again").status_code == 302
    smtp.start()
    delivery.deliver_due()
    db.session.refresh(message)
    assert message.status == "sent" and len(smtp.recorder.messages) == 1


def test_two_workers_never_claim_the_same_row(db):
    for number in range(5):
        send_mail(f"nguoi{number}@xa.gov.vn", "Thư", "Nội dung")
    db.session.commit()
    first, second = delivery.claim_batch("worker-a", 3), delivery.claim_batch("worker-b", 3)
    assert len(first) == 3 and len(second) == 2 and not set(first) & set(second)
    assert delivery.claim_batch("worker-c", 3) == []


def test_a_dedupe_key_queues_a_scheduled_notice_once(db):
    assert send_mail("a@xa.gov.vn", "Nhắc", "…", dedupe_key="reminder:1") is not None
    db.session.flush()
    assert send_mail("a@xa.gov.vn", "Nhắc", "…", dedupe_key="reminder:1") is None


@pytest.mark.parametrize("url, port, starttls, tls", [
    ("smtp://localhost", 25, False, False),
    ("smtp+tls://user:p%40ss@mail.gov.vn", 587, True, False),
    ("smtps://mail.gov.vn", 465, False, True),
    ("smtp://relay:2525", 2525, False, False),
])
def test_mail_url_as_the_ecosystem_writes_it(url, port, starttls, tls):
    settings = mail_settings(url)
    assert (settings["MAIL_PORT"], settings["MAIL_USE_TLS"], settings["MAIL_USE_SSL"]) == (port, starttls, tls)
    if "p%40ss" in url:
        assert settings["MAIL_PASSWORD"] == "p@ss"


def test_an_unknown_mail_scheme_is_refused():
    with pytest.raises(RuntimeError):
        mail_settings("http://mail.gov.vn")


def test_the_outbox_page_filters_and_survives_a_hostile_page_number(client, login_as, db):
    send_mail("loc@xa.gov.vn", "Thư lọc", "Nội dung")
    db.session.commit()
    login_as("admin")
    assert "Thư lọc" in client.get("/mail/outbox?status=queued&recipient=loc@").get_data(as_text=True)
    assert "Thư lọc" not in client.get("/mail/outbox?status=sent").get_data(as_text=True)
    assert client.get("/mail/outbox?page=99999999999999999999").status_code == 200


def test_every_calendar_part_parses_in_ical_js(db, admin, trainer, make_session, commune_contacts, smtp):
    """ical.js (Thunderbird's parser) reads the REQUEST, the updated REQUEST and the CANCEL alike."""
    import json
    import shutil
    import subprocess
    from pathlib import Path

    folder = os.environ.get("ICALJS")
    if not (folder and shutil.which("node")):
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but node or ICALJS (a folder with ical.js installed) is missing")
        pytest.skip("set ICALJS to a folder where `npm install ical.js` ran, and have node")
    from tests.factories import session_input
    from portal.training.services import save_session

    session = make_session()
    person = commune_contacts(1)[0]
    enrol(admin, session, [person])
    save_session(admin, session, session_input([trainer.id], starts="13:30", ends="17:00"))
    cancel_session(admin, session, "Đổi lịch")
    texts = db.session.execute(select(OutboxMessage.calendar).where(OutboxMessage.calendar.is_not(None))
                               .order_by(OutboxMessage.id)).scalars().all()
    script = Path(__file__).with_name("parse_ical.cjs")
    parsed = json.loads(subprocess.run(["node", str(script)], input=json.dumps(texts), capture_output=True,
                                       text=True, check=True, env={**os.environ, "ICALJS": folder}).stdout)
    assert [(p["method"], p["sequence"], p["status"]) for p in parsed] == [
        ("REQUEST", 0, "CONFIRMED"), ("REQUEST", 1, "CONFIRMED"), ("CANCEL", 2, "CANCELLED")]
    assert {p["uid"] for p in parsed} == {f"session-{session.id}@portal.test"}
    assert all(p["attendee"] == f"mailto:{person.email}" and p["tzid"] == "Asia/Ho_Chi_Minh" and p["timezones"] == 1
               for p in parsed)
    assert parsed[1]["start"] == "2026-01-20T13:30:00"
