"""SQLite connection settings (WAL, a busy timeout, foreign keys, BEGIN IMMEDIATE for writes), and inserts
that answer a unique-constraint race with the row that won.

With the driver's default (a deferred BEGIN), a transaction that reads and then writes cannot wait for
another writer: SQLite answers "database is locked" at once. Opening write transactions with BEGIN
IMMEDIATE takes the write lock up front, so concurrent writers queue on busy_timeout instead.
Requests that cannot write (GET, HEAD, OPTIONS) keep a deferred BEGIN so readers never queue; the few
GET views that do write (downloads recorded in the audit log) say so with @writes_on_get.
"""
from typing import Callable, TypeVar

from flask import current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.core.extensions import db

T = TypeVar("T")

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


@event.listens_for(Session, "after_commit")
def remember_a_save(_session) -> None:
    """Mark the request as having saved something: if the database fails later in the same request, the error page
    says the change was kept (core/errors.py) rather than invite the person to send it twice."""
    if has_request_context():
        g.saved_in_request = True


def insert_or_winner(create: Callable[[], T], winner: Callable[[], T | None]) -> tuple[T, bool]:
    """Write a new row inside a SAVEPOINT; when a unique constraint says another transaction got there first,
    undo just this write and return the row that won. Returns (row, created).

    Two identical requests at the same moment (a double click, a retry after a timeout) both pass any check
    made before the insert; the constraint is the only judge, and the loser answers with the winner's row
    instead of an error. Everything `create` writes (a seat counter, say) is undone with the clash.
    :param create: returns the new row (it may write what goes with it); it is added and flushed here.
    :param winner: finds the row that holds the unique key; None if the clash was about something else.
    """
    try:
        with db.session.begin_nested():
            row = create()
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        found = winner()
        if found is None:
            raise
        return found, False
    return row, True


def commit_written(write: Callable[[], T]) -> T:
    """Run `write` (find the row or add it, then set its values) and commit. When another request inserted the
    same row first (a unique constraint), roll back and run it once more: it then finds that row and updates it,
    so of two first writers the later wins."""
    try:
        written = write()
        db.session.commit()
        return written
    except IntegrityError:
        db.session.rollback()
    written = write()
    db.session.commit()
    return written


def existing_or_insert(existing: Callable[[], T | None], create: Callable[[], T]) -> tuple[T, bool]:
    """The row `existing` finds (the same submission came before), else a new one from `create` as in
    insert_or_winner. Returns (row, created)."""
    found = existing()
    if found is not None:
        return found, False
    return insert_or_winner(create, existing)
