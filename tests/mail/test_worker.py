"""The real worker process (`flask worker`) killed in the middle of a batch: no message is lost."""
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

FLASK = [sys.executable, "-m", "flask", "--app", "portal"]
QUEUE_MAIL = """
from portal import create_app
from portal.core.extensions import db
from portal.mail.services import send_mail
app = create_app()
with app.app_context():
    for number in range(30):
        send_mail(f"nguoi{number}@xa.gov.vn", f"Thông báo {number}", "Nội dung")
    db.session.commit()
"""


def wait_for(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_killed_worker_loses_nothing_and_a_resend_keeps_its_message_id(tmp_path: Path, smtp_server):
    database = tmp_path / "portal.sqlite3"
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DATABASE_URL")}
    env.update(DATABASE_URL=f"sqlite:///{database}", QUEUE_URL=f"sqlite:///{tmp_path / 'queue.sqlite3'}",
               MAIL_URL=smtp_server.url, SECRET_KEY="worker-test", PORTAL_ENV="development")
    root = Path(__file__).resolve().parents[2]
    run = lambda *args: subprocess.run([*FLASK, *args], env=env, cwd=root, check=True, capture_output=True, text=True)
    run("db", "upgrade")
    subprocess.run([sys.executable, "-c", QUEUE_MAIL], env=env, cwd=root, check=True)
    smtp_server.recorder.delay = 0.1
    worker = subprocess.Popen([*FLASK, "worker", "--workers", "1"], env=env, cwd=root,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: len(smtp_server.recorder.messages) >= 8, 60)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    with closing(sqlite3.connect(database)) as connection:
        statuses = dict(connection.execute("SELECT status, count(*) FROM outbox_messages GROUP BY status").fetchall())
        assert statuses.get("sending", 0) > 0 and statuses.get("sent", 0) >= 7  # the 8th may be in flight
        # Time passes beyond the claim timeout (10 minutes) for the dead worker's rows.
        connection.execute("UPDATE outbox_messages SET claimed_at = '2000-01-01 00:00:00.000000' WHERE status = 'sending'")
        connection.commit()
    smtp_server.recorder.delay = 0
    assert "outbox_sweep: ok" in run("jobs", "run", "outbox_sweep").stdout
    with closing(sqlite3.connect(database)) as connection:
        stored = dict(connection.execute("SELECT message_id, status FROM outbox_messages").fetchall())
    received = smtp_server.recorder.message_ids()
    assert set(stored.values()) == {"sent"} and set(received) == set(stored)
    assert len(received) - len(set(received)) <= 1  # at most the message in flight went twice, under one id
