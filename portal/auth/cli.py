"""`flask users ...`: accounts from the command line."""
import sys

import click
from flask.cli import AppGroup

from portal.auth import services
from portal.auth.models import ROLES
from portal.core.errors import DomainError
from portal.core.extensions import db

users_cli = AppGroup("users", help="Manage accounts.")


def read_password() -> str:
    """The password from standard input when it is piped, else from a hidden prompt asked twice."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--province", "province_code", type=int, help="Official province code (coordinators).")
@click.option("--commune", "commune_code", type=int, help="Official commune code (commune administrators).")
@click.option("--name", "full_name", default="", help="Full name.")
def create(email, role, province_code, commune_code, full_name):
    """Create an account with a password read from stdin or a prompt."""
    password = read_password()
    try:
        user = services.create_user(email, role, province_code, commune_code, full_name, password=password)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    click.echo(f"Created {user.email} ({user.role}) with id {user.id}.")
