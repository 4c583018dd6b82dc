"""/healthz's checks: the database, Redis (when REDIS_URL is set), the queue and the file store (a write and read
in the local folder, or the S3 bucket answering), each answering in time or "down".

A check is a function that raises when its dependency does not answer; `register` adds one. Every check runs in its own thread, all side by
side, and a check that has not answered after HEALTH_CHECK_TIMEOUT seconds is down: a PostgreSQL or Redis that
accepts the connection and then says nothing (a frozen host, a full backlog) makes /healthz answer 503 within that
time instead of hanging the proxy's health check. A check still hanging from an earlier call is not started again,
so a dependency that never answers costs one waiting thread per check, not one per call.
"""
import threading
import time
from dataclasses import dataclass
from typing import Callable

from flask import Flask, current_app

from portal.core import queue, storage
from portal.core.extensions import db


@dataclass(frozen=True)
class Check:
    probe: Callable[[], None]  # raises when the dependency does not answer; runs inside an app context
    applies: Callable[[Flask], bool]  # whether this app uses the dependency at all


CHECKS: dict[str, Check] = {}
_running: dict[tuple[int, str], threading.Thread] = {}  # (app, check) -> a probe that has not returned yet
_lock = threading.Lock()


def register(name: str, probe: Callable[[], None], applies: Callable[[Flask], bool] = lambda app: True) -> None:
    """Add a check to /healthz (a later registration under the same name replaces the earlier one)."""
    CHECKS[name] = Check(probe, applies)


def report() -> tuple[dict, int]:
    """{"status": "ok"|"down", "checks": {name: {"ok": bool, "ms": float, ["error": str]}}} and 200 or 503."""
    app = current_app._get_current_object()
    timeout = float(app.config["HEALTH_CHECK_TIMEOUT"])
    started = time.perf_counter()
    results: dict[str, dict] = {}
    threads = {name: start(app, name, check, results) for name, check in CHECKS.items() if check.applies(app)}
    for name, thread in threads.items():
        if thread is not None:
            thread.join(max(0.0, timeout - (time.perf_counter() - started)))
    checks = {}
    for name in threads:
        checks[name] = results.get(name) or {"ok": False, "ms": round(timeout * 1000, 1), "error": "timeout"}
    healthy = all(check["ok"] for check in checks.values())
    return {"status": "ok" if healthy else "down", "checks": checks}, 200 if healthy else 503


def start(app: Flask, name: str, check: Check, results: dict) -> threading.Thread | None:
    """Run one probe in a thread of its own; None (so: timed out) when the previous one is still waiting."""
    key = (id(app), name)
    with _lock:
        previous = _running.get(key)
        if previous is not None and previous.is_alive():
            return None
        thread = threading.Thread(target=run, args=(app, name, check, results, key), daemon=True,
                                  name=f"healthz-{name}")
        _running[key] = thread
    thread.start()
    return thread


def run(app: Flask, name: str, check: Check, results: dict, key: tuple) -> None:
    started = time.perf_counter()
    try:
        with app.app_context():
            check.probe()
        results[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    except Exception as error:  # any failure of a dependency is "down", never a 500
        results[name] = {"ok": False, "ms": round((time.perf_counter() - started) * 1000, 1),
                         "error": type(error).__name__}
    finally:
        with _lock:
            if _running.get(key) is threading.current_thread():
                del _running[key]


def database() -> None:
    """A round trip on a pooled connection of its own, below SQLAlchemy's transactions: on SQLite the portal opens
    those with BEGIN IMMEDIATE outside a request (core/database.py), which would queue the check behind writers."""
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT 1")
        cursor.fetchone()
        cursor.close()
    finally:
        connection.close()


def redis() -> None:
    import redis as client

    timeout = float(current_app.config["HEALTH_CHECK_TIMEOUT"])
    with client.Redis.from_url(current_app.config["REDIS_URL"], socket_timeout=timeout,
                               socket_connect_timeout=timeout) as connection:
        connection.ping()


register("database", database)
register("redis", redis, applies=lambda app: bool(app.config.get("REDIS_URL")))
register("queue", queue.ping)
register("storage", lambda: storage.storage().check())
