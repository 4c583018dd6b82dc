"""Back up a populated database, restore it into an empty one, and compare every table."""
import hashlib
import os

from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.demo import load_all
from portal.core.extensions import db
from tests.conftest import config_for_tests, empty_postgresql


def fingerprint(app) -> dict:
    """Every table's row count and a hash of its rows in primary-key order."""
    result = {}
    with app.app_context():
        with db.engine.connect() as connection:
            for table in db.metadata.sorted_tables:
                rows = connection.execute(table.select().order_by(*table.primary_key.columns)).all()
                result[table.name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
        db.engine.dispose()
    return result


def second_database(tmp_path, name: str) -> str:
    """Another empty database of the kind the suite runs on."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / name}.sqlite3"
    server = make_url(url).set(drivername="postgresql+psycopg")
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def test_backup_restores_every_table(tmp_path):
    source = create_app(config_for_tests(second_database(tmp_path, "portal_backup_source")))
    with source.app_context():
        upgrade()
        load_all()
        db.session.remove()
    archive = tmp_path / "portal.core.backup"
    result = source.test_cli_runner().invoke(args=["backup", "--out", str(archive)])
    assert result.exit_code == 0, result.output
    target_url = second_database(tmp_path, "portal_backup_target")
    if target_url.startswith("postgresql"):
        empty_postgresql(target_url)
    target = create_app(config_for_tests(target_url))
    result = target.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    before, after = fingerprint(source), fingerprint(target)
    assert before == after and before["communes"][0] == 3321 and before["tickets"][0] == 4
