"""`flask privacy` for the ministry's data-protection officer: a person's copy, their erasure, the retention run."""
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import select

from portal.audit.services import record
from portal.auth.models import User
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.core.models_base import utcnow
from portal.privacy import erasure, retention
from portal.privacy.export import write_zip
from portal.privacy.mydata import gather

privacy_cli = AppGroup("privacy", help="Personal data: a person's copy, erasure, retention.")


@privacy_cli.command("export")
@click.argument("email")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The ZIP to write (JSON files and the person's attachments).")
def export_command(email: str, out: Path):
    """Write everything the portal holds about EMAIL (with or without an account) to a ZIP; audited."""
    email = erasure.normal_email(email)
    user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    data = gather(user, email)
    if user is None and not data.contacts and not data.account_requests:
        raise click.ClickException(f"Nothing on record for {email}.")
    try:
        with out.open("wb") as target:
            write_zip(data, target)
    except OSError as error:
        raise click.ClickException(f"The copy could not be written: {error}") from None
    record(None, "privacy.cli_export", f"user:{user.id}" if user else "contact", out.name)
    db.session.commit()
    click.echo(f"Wrote the data of {email} to {out}.")


@privacy_cli.command("erase")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Erase without asking for confirmation.")
def erase_command(email: str, yes: bool):
    """Show what an erasure of EMAIL changes, ask, then erase it in one transaction."""
    try:
        plan = erasure.preview(email)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    if plan.is_empty:
        raise click.ClickException(f"Nothing on record for {plan.email}.")
    with force_locale("en"):
        click.echo(f"Erasing the personal data of {plan.email} changes:")
        for label, count in plan.lines:
            if count:
                click.echo(f"  {count:>5}  {label}")
        for name, until in plan.backups:
            click.echo(f"  backup {name} still holds the data until {until:%Y-%m-%d}")
    if not yes:
        click.confirm("Erase it?", abort=True)
    try:
        erasure.erase(plan.email, None)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    click.echo(f"Erased. {plan.email} is kept only as a keyed hash.")


@privacy_cli.command("retention")
@click.option("--dry-run", "dry", is_flag=True, help="List what a run now would remove; remove nothing.")
def retention_command(dry: bool):
    """Remove the personal data whose retention has ended, rule by rule, and print what went (ids, never
    values); with --dry-run, print what would go."""
    verb = "would remove" if dry else "removed"
    for outcome in retention.run_all(utcnow(), dry=dry):
        if not outcome.ids:
            click.echo(f"{outcome.rule.name}: {verb} nothing")
            continue
        click.echo(f"{outcome.rule.name}: {verb} {outcome.run.removed}")
        for kind, ids in outcome.ids.items():
            click.echo(f"  {kind} {len(ids)}: {', '.join(map(str, ids))}")
