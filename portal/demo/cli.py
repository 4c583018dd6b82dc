"""`flask demo load`: demo accounts, contacts, the January 2026 plan, tickets, integrations and dossiers waiting."""
import click
from flask import current_app
from flask.cli import AppGroup

from portal.demo import load_all
from portal.demo.services import DEMO_PASSWORD

demo_cli = AppGroup("demo", help="Demo data for development and training.")


@demo_cli.command("load")
@click.option("--force", is_flag=True, help="Load even when PORTAL_ENV=production.")
def load(force):
    """Load the official units if missing and every kind of demo data (idempotent), and print the logins."""
    if current_app.config.get("PORTAL_ENV") == "production" and not force:
        raise click.ClickException("Refusing to load demo accounts in production (use --force).")
    mailer = current_app.extensions["mailman"]
    backend, mailer.backend = mailer.backend, "locmem"  # demo notices go to the outbox table, not the console
    try:
        accounts, added = load_all()
    finally:
        mailer.backend = backend
    if added["contacts"]:
        click.echo(f"Registered {added['contacts']} demo focal contacts (January 2026).")
    if added["sessions"]:
        click.echo(f"Planned {added['sessions']} training sessions from 19/01/2026.")
    if added["tickets"]:
        click.echo(f"Filed {added['tickets']} support tickets from Nghệ An; every province has two agents.")
    if added["backlog"]:
        click.echo("Recorded the dossiers waiting for an account of letter 003 (Hà Nội, Phú Thọ, Nghệ An).")
    if added["privacy_requests"]:
        click.echo(f"Filed {added['privacy_requests']} requests about personal data (one near its deadline).")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for user in accounts:
        scope = user.commune.name if user.commune else (user.province.name if user.province else "")
        click.echo(f"  {user.email:<36} {user.role:<14} {scope}")
