"""The database's part of `flask backup` and `flask restore` (portal/files/archive.py adds the files): SQLite
through its online backup API, PostgreSQL through pg_dump/pg_restore."""
import os
import shutil
import sqlite3
import subprocess  # nosec B404 (runs pg_dump/pg_restore with an argument list, never a shell)
from contextlib import closing
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.engine import make_url

from portal.core.extensions import db


def libpq_url() -> str:
    """The database URL as libpq tools read it (no "+psycopg" driver part)."""
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql").render_as_string(
        hide_password=False)


def tool(name: str) -> str:
    found = shutil.which(name) or next(
        (str(path) for path in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)), None)
    if found is None:
        raise click.ClickException(f"{name} is not installed (apt-get install postgresql-client).")
    return found


def backup(out: Path) -> None:
    """A consistent copy of the whole database taken while the portal keeps running."""
    if db.engine.dialect.name == "sqlite":
        source = db.engine.raw_connection()
        try:
            with closing(sqlite3.connect(out)) as target:  # sqlite3's own `with` commits but never closes
                source.driver_connection.backup(target)
        finally:
            source.close()
        return
    subprocess.run([tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(out), libpq_url()],  # nosec B603
                   check=True)


def dialect() -> str:
    return db.engine.dialect.name


def restore(source_file: Path) -> None:
    """Replace the database's content with a copy made by `backup`, all of it or nothing: pg_restore in one
    transaction, SQLite's backup API copying the whole file. A failure raises RestoreFailed."""
    db.session.remove()
    db.engine.dispose()
    if dialect() == "sqlite":
        target = db.engine.raw_connection()
        try:
            with closing(sqlite3.connect(source_file)) as source:
                source.backup(target.driver_connection)
        except sqlite3.DatabaseError as error:
            raise RestoreFailed(f"SQLite could not read the database in the backup ({error}); nothing was changed.") \
                from None
        finally:
            target.close()
        return
    done = subprocess.run([tool("pg_restore"), "--clean", "--if-exists", "--no-owner",  # nosec B603
                           "--single-transaction", "--exit-on-error", "--dbname", libpq_url(), str(source_file)],
                          env={**os.environ}, capture_output=True, text=True)
    if done.returncode:
        said = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise RestoreFailed(f"pg_restore stopped ({said}); nothing was changed.")


class RestoreFailed(Exception):
    """A restore that could not be done, in one plain sentence."""
