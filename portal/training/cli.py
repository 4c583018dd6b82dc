"""`flask training ...`: importing a plan from the command line, in the same words as the web preview."""
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import select

from portal.auth.models import User
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.imports.cli import fail, import_or_explain
from portal.training import imports

training_cli = AppGroup("training", help="The training plan.")


@training_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "actor_email", help="E-mail of the admin account the sessions are created under.")
def import_plan(file: Path, actor_email: str | None):
    """Import sessions from .xlsx/.csv: every row is saved, or none when any row has an error or a conflict."""
    query = select(User).where(User.role == "admin", User.is_active.is_(True)).order_by(User.id)
    if actor_email:
        query = query.where(User.email == actor_email.lower())
    actor = db.session.execute(query).scalars().first()
    if actor is None:
        fail(_("No active admin account to record the import under; create one or pass --as."))
    try:
        pending = imports.start_import(actor, file.name, file.read_bytes())
    except DomainError as error:
        fail(str(error.message))
    count = import_or_explain(pending, imports.missing_fields(pending), imports.check_rows,
                              lambda checked: imports.apply_import(actor, checked), headers=imports.column_names())
    click.echo(_("%(count)s sessions imported.", count=count))
