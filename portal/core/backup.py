"""`flask backup` and `flask restore`: SQLite through its online backup API, PostgreSQL through pg_dump/pg_restore."""
import os
import shutil
import sqlite3
import subprocess  # nosec B404 (runs pg_dump/pg_restore with an argument list, never a shell)
from contextlib import closing
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
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


def restore(source_file: Path) -> None:
    """Replace the database's content with a backup made by `backup`."""
    if not source_file.exists():
        raise click.ClickException(f"No such file: {source_file}")
    db.session.remove()
    if db.engine.dialect.name == "sqlite":
        db.engine.dispose()
        target = db.engine.raw_connection()
        try:
            with closing(sqlite3.connect(source_file)) as source:
                source.backup(target.driver_connection)
        finally:
            target.close()
        return
    db.engine.dispose()
    subprocess.run([tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",  # nosec B603
                    "--dbname", libpq_url(), str(source_file)], check=True, env={**os.environ})


@click.command("backup")
@with_appcontext
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def backup_command(out: Path):
    """Back up the whole database to FILE (SQLite file or pg_dump custom format)."""
    backup(out)
    click.echo(f"Backed up to {out}.")


@click.command("restore")
@with_appcontext
@click.argument("source_file", type=click.Path(dir_okay=False, path_type=Path))
def restore_command(source_file: Path):
    """Replace the database's content with FILE, a backup made by `flask backup`."""
    restore(source_file)
    click.echo(f"Restored from {source_file}.")
