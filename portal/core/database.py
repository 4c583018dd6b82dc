"""SQLite connection settings: WAL, a busy timeout, foreign keys, and BEGIN IMMEDIATE for writes.

With the driver's default (a deferred BEGIN), a transaction that reads and then writes cannot wait for
another writer: SQLite answers "database is locked" at once. Opening write transactions with BEGIN
IMMEDIATE takes the write lock up front, so concurrent writers queue on busy_timeout instead.
Requests that cannot write (GET, HEAD, OPTIONS) keep a deferred BEGIN so readers never queue; the few
GET views that do write (downloads recorded in the audit log) say so with @writes_on_get.
"""
from flask import current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BUSY_TIMEOUT_MS = 15_000


def writes_on_get(view):
    """Mark a GET view that writes (an audited download), so its transaction takes the write lock first."""
    view.writes_on_get = True
    return view


def opens_for_write() -> bool:
    """Whether a transaction begun now may write: every one outside a read-only request."""
    if not has_request_context() or request.method not in READ_ONLY_METHODS:
        return True
    return getattr(current_app.view_functions.get(request.endpoint), "writes_on_get", False)


def configure_sqlite(engine: Engine) -> None:
    """Attach the pragmas and the BEGIN policy to an SQLite engine; other engines are left alone."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def set_pragmas(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # the driver must not BEGIN on its own; on_begin does
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if opens_for_write() else "BEGIN")
