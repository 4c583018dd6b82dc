"""The command-line side of every import: refuse with the per-row errors, or save everything."""
import click

from portal.imports.models import PendingImport
from portal.imports.services import discard


def import_or_explain(pending: PendingImport, missing: list[str], check_rows, apply) -> int:
    """Apply the pending import, or print what stops it (unknown columns, rows with errors) and exit 1."""
    if missing:
        discard(pending)
        raise click.ClickException(f"Columns not recognised: {', '.join(missing)}. Use the template's headers.")
    failed = [row for row in check_rows(pending) if row.errors]
    if failed:
        for row in failed:
            click.echo(f"line {row.line}: " + "; ".join(str(error) for error in row.errors), err=True)
        discard(pending)
        raise click.ClickException(f"{len(failed)} rows have errors; nothing was imported.")
    return apply(pending)
