"""`flask privacy retention [--dry-run]`: run every retention rule now, or list what a run would remove."""
import click
from flask.cli import with_appcontext

from portal.core.models_base import utcnow
from portal.privacy import retention


@click.command("retention")
@click.option("--dry-run", "dry", is_flag=True, help="List what a run now would remove; remove nothing.")
@with_appcontext
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
