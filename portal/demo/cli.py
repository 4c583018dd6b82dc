"""`flask demo load`: demo accounts (and, as the portal grows, demo plans, contacts and tickets)."""
import click
from flask import current_app
from flask.cli import AppGroup

from portal.demo.connections import load_demo_connections
from portal.demo.plan import load_demo_plan
from portal.demo.support import load_demo_support
from portal.demo.services import DEMO_PASSWORD, load_demo_accounts, load_demo_contacts
from portal.units.services import load_official_units

demo_cli = AppGroup("demo", help="Demo data for development and training.")


@demo_cli.command("load")
@click.option("--force", is_flag=True, help="Load even when PORTAL_ENV=production.")
def load(force):
    """Load the official units if missing, the demo accounts and contacts (idempotent), and print the logins."""
    if current_app.config.get("PORTAL_ENV") == "production" and not force:
        raise click.ClickException("Refusing to load demo accounts in production (use --force).")
    load_official_units()
    accounts = load_demo_accounts()
    contacts = load_demo_contacts()
    if contacts:
        click.echo(f"Registered {contacts} demo focal contacts (January 2026).")
    sessions = load_demo_plan([user for user in accounts if user.role == "trainer"])
    if sessions:
        click.echo(f"Planned {sessions} training sessions from 19/01/2026.")
    mailer = current_app.extensions["mailman"]
    backend, mailer.backend = mailer.backend, "locmem"  # demo notices go to the outbox table, not the console
    try:
        tickets = load_demo_support(accounts)
    finally:
        mailer.backend = backend
    load_demo_connections()
    if tickets:
        click.echo(f"Filed {tickets} support tickets from Nghệ An; every province has two agents.")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for user in accounts:
        scope = user.commune.name if user.commune else (user.province.name if user.province else "")
        click.echo(f"  {user.email:<36} {user.role:<14} {scope}")
