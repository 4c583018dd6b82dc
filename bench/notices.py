"""Benchmark of notices leaving the request, against a real SMTP server (aiosmtpd) on 127.0.0.1.

1. Cancelling a session with 118 people enrolled while the mail server takes 0.2 s per message, as a ratio to
   cancelling one with nobody enrolled (target: within 2x; the request only writes outbox rows).
2. The worker's delivery of 1,000 queued notices to the same server answering at once (target: >= 50 messages/s),
   and how many SMTP connections it used.
"""
import asyncio
import socket
import statistics
import time
from datetime import datetime

from aiosmtpd.controller import Controller

from common import bench_app, save_results
from portal.auth.models import User
from portal.contacts.services import Seat, save_seat
from portal.core.extensions import db
from portal.mail.delivery import deliver_due
from portal.mail.services import send_mail
from portal.training.enrolment import enrol
from portal.training.services import SessionInput, save_session
from portal.units.models import Commune

ENROLLED, NOTICES, PAIRS = 118, 1000, 6


class SlowServer:
    def __init__(self):
        self.delay, self.received, self.peers = 0.0, 0, set()

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        self.received += 1
        self.peers.add(session.peer)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> dict:
    handler, port = SlowServer(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with bench_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                       WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False) as app:
            return measure(app, handler)
    finally:
        controller.stop()


def measure(app, handler: SlowServer) -> dict:
    admin = User(email="admin@bench.vn", role="admin", full_name="Quản trị")
    trainer = User(email="gv@bench.vn", role="trainer", full_name="Giảng viên")
    db.session.add_all([admin, trainer])
    db.session.commit()
    communes = db.session.execute(db.select(Commune).where(Commune.province_code == 40).order_by(Commune.code)
                                  .limit(ENROLLED)).scalars().all()
    people = [save_seat(None, Seat.of_commune(c), {"full_name": f"Người {n}", "position": "", "unit_name": "",
                                                   "phone": f"09{n:08d}", "email": f"nguoi{n}@xa.vn", "cccd": ""}, None)
              for n, c in enumerate(communes)]

    def new_session(day: int, with_people: bool) -> int:
        session = save_session(admin, None, SessionInput(
            title="Tập huấn", audience="commune", mode="online", meeting_url="https://hop.vn/1",
            starts_at=datetime(2026, 1, day, 8), ends_at=datetime(2026, 1, day, 11), capacity=ENROLLED + 2,
            province_codes=[40], trainer_ids=[trainer.id]), override_reason="bench")
        if with_people:
            enrol(admin, session, people)
        return session.id

    pairs = [(new_session(19 + n % 5, True), new_session(19 + n % 5, False)) for n in range(PAIRS + 1)]
    deliver_due()  # the confirmations, out of the way
    client = app.test_client()
    with client.session_transaction() as cookie:
        now = int(time.time())
        cookie.update({"_user_id": admin.get_id(), "_fresh": True, "login_at": now, "seen_at": now})

    def cancel(session_id: int) -> float:
        start = time.perf_counter()
        response = client.post(f"/training/sessions/{session_id}/cancel",
                               data={"reason": "Đổi lịch", "confirmed": "yes"})  # as from the confirmation page
        assert response.status_code == 302, response.status_code
        return time.perf_counter() - start

    warm_up = pairs.pop()  # the first request of each kind compiles its SQL
    cancel(warm_up[0]), cancel(warm_up[1])
    deliver_due()
    received_before, handler.delay = handler.received, 0.2
    timings = [(cancel(full_id), cancel(empty_id)) for full_id, empty_id in pairs]
    full = statistics.median(pair[0] for pair in timings)
    empty = statistics.median(pair[1] for pair in timings)
    assert handler.received == received_before, "a request talked to SMTP"

    handler.delay = 0
    deliver_due()  # the cancellations of the runs above
    for number in range(NOTICES):
        send_mail(f"nguoi{number}@xa.vn", f"Thông báo {number}", "Nội dung thông báo thay đổi lịch tập huấn.")
    db.session.commit()
    handler.peers, received_before = set(), handler.received
    start = time.perf_counter()
    report = deliver_due()
    seconds = time.perf_counter() - start
    assert report.sent == NOTICES and handler.received - received_before == NOTICES
    return {"cancel_118_seconds": full, "cancel_empty_seconds": empty, "cancel_ratio": full / empty,
            "delivery_seconds": seconds, "messages_per_second": NOTICES / seconds, "connections": len(handler.peers)}


if __name__ == "__main__":
    results = main()
    print("notices:")
    print(f"  cancel with {ENROLLED} enrolled, SMTP at 0.2 s/message: {results['cancel_118_seconds'] * 1000:.0f} ms "
          f"= {results['cancel_ratio']:.2f} x the same with nobody enrolled ({results['cancel_empty_seconds'] * 1000:.0f} ms)")
    print(f"  worker delivers {NOTICES} notices: {results['messages_per_second']:.0f} messages/s "
          f"over {results['connections']} SMTP connections")
    save_results("notices", results)
