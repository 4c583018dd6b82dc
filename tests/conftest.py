"""Test fixtures: one migrated database per run, each test in a transaction rolled back after it.

The database is SQLite in a temporary folder, or PostgreSQL when TEST_DATABASE_URL is set
(`make test` runs the suite once for each).
"""
import os
from contextlib import contextmanager
from datetime import datetime, timezone

import flask_sqlalchemy.session
import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, text

from portal import create_app
from portal.config import DEFAULTS, database_url
from portal.extensions import db as _db
from portal.units.services import load_official_units
from tests import factories


def test_config(url: str) -> dict:
    return {
        **DEFAULTS,
        "TESTING": True,
        "PORTAL_ENV": "testing",
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MAIL_BACKEND": "locmem",
        "MAIL_DEFAULT_SENDER": "portal@test.local",
        "PUBLIC_URL": "https://portal.test",
    }


def empty_postgresql(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = database_url(url)
        empty_postgresql(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


class RequestContextClient(FlaskClient):
    """Each request runs in an app context of its own, as in production, even while a test holds one.

    Without this Flask reuses the test's app context, and with it `g` (Flask-Login's cached user)
    and the database session, so one request's state would leak into the next.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(database_uri):
    """The app on a database built by the migrations once, with the official units loaded."""
    app = create_app(test_config(database_uri))
    app.test_client_class = RequestContextClient
    with app.app_context():
        upgrade()
        load_official_units()
        _db.session.remove()
    yield app
    with app.app_context():
        _db.engine.dispose()  # close pooled connections before the interpreter does, noisily


class BoundSession(flask_sqlalchemy.session.Session):
    """A session that uses the connection it was given, so every test shares one outer transaction."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@pytest.fixture
def db(app):
    """The database inside a transaction that is rolled back after the test; commits become savepoints."""
    with app.app_context():
        connection = _db.engine.connect()
        transaction = connection.begin()
        original = _db.session
        _db.session = _db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": BoundSession}
        )
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


def start_session(client, user) -> None:
    """Put a signed-in session for the user into the client's cookie, as a login would."""
    now = int(datetime.now(timezone.utc).timestamp())
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["login_at"] = now
        session["seen_at"] = now


@pytest.fixture
def login_as(client, db):
    """Sign the test client in as a new user of the role (scoped to Nghệ An for local roles)."""

    def sign_in(role: str = "admin", **scope):
        user = factories.create_user(role=role, **scope)
        start_session(client, user)
        return user

    return sign_in


@pytest.fixture
def count_queries(app, db):
    """Count the SQL statements run inside a `with count_queries() as counter:` block."""
    @contextmanager
    def counting():
        statements: list[str] = []

        def record(conn, cursor, statement, parameters, context, executemany):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                statements.append(statement)

        event.listen(_db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(_db.engine, "before_cursor_execute", record)

    return counting


@pytest.fixture
def outbox(app):
    """The e-mails Flask-Mailman's in-memory backend has sent during the test."""
    state = app.extensions["mailman"]
    state.outbox = []
    yield state.outbox
    state.outbox = []
