"""The command-line side of every import: refuse with the per-row errors, or save everything.

It answers in the portal's language like the web preview (the CLI has no session: BABEL_DEFAULT_LOCALE, "vi"
unless configured otherwise), through the same translated messages.
"""
import click
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.imports.models import PendingImport
from portal.imports.services import discard


def fail(message: str):
    """Print the message on stderr and exit 1, without click's English "Error:" in front."""
    click.echo(message, err=True)
    raise click.exceptions.Exit(1)


def import_or_explain(pending: PendingImport, missing: list[str], check_rows, apply,
                      headers: dict[str, str] | None = None) -> int:
    """Apply the pending import, or print what stops it (missing columns, rows with errors) and exit 1.

    :param headers: field -> how to name its column to a person (the template's header, quoted).
    """
    if missing:
        discard(pending)
        columns = ", ".join(str((headers or {}).get(name, f"“{name}”")) for name in missing)
        fail(_("Columns not found: %(columns)s. Write these headers above the table's columns.", columns=columns))
    rows = check_rows(pending)
    failed = [row for row in rows if row.errors]
    if failed:
        for row in failed:
            click.echo(_("Line %(line)s: %(errors)s", line=row.line,
                         errors=" ".join(str(error) for error in row.errors)), err=True)
        discard(pending)
        fail(ngettext("%(num)s row has errors. Correct the file and run the import again; nothing has been saved.",
                      "%(num)s rows have errors. Correct the file and run the import again; nothing has been saved.",
                      len(failed)))
    return apply(pending)
