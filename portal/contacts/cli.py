"""`flask contacts ...`: export, import and reminders for the focal-contact list."""
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from portal.auth.models import User
from portal.contacts import imports, reminders, spreadsheets
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.imports.cli import import_or_explain
from portal.privacy import notices
from portal.units.models import Province

contacts_cli = AppGroup("contacts", help="Focal contacts: export, import, reminders.")


def province_option(code: int | None) -> Province | None:
    if code is None:
        return None
    province = db.session.get(Province, code)
    if province is None:
        raise click.ClickException(f"No province has the code {code}.")
    return province


@contacts_cli.command("export")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--province", "province_code", type=int, help="One province; all of them when left out.")
def export(out_path: Path, province_code: int | None):
    """Write the ministry's form (.xlsx, or .csv of commune administrators when FILE ends in .csv)."""
    province = province_option(province_code)
    file_format = "csv" if out_path.suffix.lower() == ".csv" else "xlsx"
    out_path.write_bytes(spreadsheets.export(None, province, file_format))
    click.echo(f"Written {out_path} ({province.name if province else 'national'}).")


@contacts_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--province", "province_code", type=int, required=True)
@click.option("--kind", type=click.Choice(["commune", "department"]), default="commune", show_default=True)
@click.option("--as", "actor_email", help="E-mail of the account the changes are recorded under.")
@click.option("--notice-accepted", is_flag=True,
              help="Confirm that everyone on the list was told the current focal-contact notice and agrees.")
def import_file(file: Path, province_code: int, kind: str, actor_email: str | None, notice_accepted: bool):
    """Import a filled-in form: every row is written, or none when any row has an error."""
    if not notice_accepted:  # silence is not consent: the web form asks the same with its checkbox
        raise click.ClickException(f"Pass --notice-accepted to confirm that everyone on the list was told the "
                                   f"focal-contact notice {notices.current('contact').version} and agrees.")
    province = province_option(province_code)
    actor = db.session.execute(select(User).where(User.email == (actor_email or "").lower())).scalar_one_or_none()
    if actor is None:
        actor = db.session.execute(select(User).where(User.role == "admin").order_by(User.id)).scalars().first()
    if actor is None:
        raise click.ClickException("No admin account to record the import under; create one or pass --as.")
    try:
        pending = imports.start_import(actor, province, kind, file.name, file.read_bytes())
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    applied = import_or_explain(pending, imports.missing_fields(pending), imports.check_rows,
                                lambda checked: imports.apply_import(actor, checked))
    click.echo(f"Imported {applied.saved} rows for {province.name}; {applied.skipped} blank rows skipped.")


@contacts_cli.command("remind")
def remind():
    """E-mail each coordinator the empty seats of their province (communes and departments), now."""
    sent = reminders.send_reminders()
    db.session.commit()
    click.echo(f"Reminders queued: {sent}.")
