"""`flask reports ...`: weekly and monthly reports as .xlsx."""
from pathlib import Path

import click
from flask.cli import AppGroup

from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.reports import period
from portal.units.models import Province

reports_cli = AppGroup("reports", help="Weekly and monthly progress reports.")


def write(report_period, province_code: int | None, out: Path) -> None:
    province = db.session.get(Province, province_code) if province_code else None
    if province_code and province is None:
        raise click.ClickException(f"No province has the code {province_code}.")
    out.write_bytes(period.workbook_bytes(period.build(report_period, province)))
    click.echo(f"Written {out}: {report_period.label}.")


@reports_cli.command("weekly")
@click.option("--week", required=True, help="ISO week, e.g. 2026-W04.")
@click.option("--province", "province_code", type=int, help="One province; national when left out.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def weekly(week: str, province_code: int | None, out: Path):
    """The weekly report as .xlsx."""
    try:
        write(period.week_period(week), province_code, out)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None


@reports_cli.command("monthly")
@click.option("--month", required=True, help="e.g. 2026-01.")
@click.option("--province", "province_code", type=int, help="One province; national when left out.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def monthly(month: str, province_code: int | None, out: Path):
    """The monthly report as .xlsx."""
    try:
        write(period.month_period(month), province_code, out)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
