"""`flask units ...`: the official list of administrative units."""
import click
from flask.cli import AppGroup

from portal.units.services import load_official_units

units_cli = AppGroup("units", help="Official provinces and communes.")


@units_cli.command("load")
def load():
    """Load or update the 34 provinces and 3,321 communes from vietnam-provinces (idempotent)."""
    report = load_official_units()
    click.echo(
        f"Provinces: {report.provinces_added} added, {report.provinces_updated} updated. "
        f"Communes: {report.communes_added} added, {report.communes_updated} updated. "
        f"Departments: {report.departments_added} added."
    )
    if not report.changed:
        click.echo("Already up to date.")
