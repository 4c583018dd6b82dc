"""`flask storage migrate` copies every file from the local folders to the S3 store STORAGE_URL names;
`flask backup` and `flask restore` carry the database and the files."""
import subprocess  # nosec B404 (only its CalledProcessError, raised by pg_dump's run)
import tarfile
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from portal.audit.services import record
from portal.core.backup import RestoreFailed
from portal.core.extensions import db
from portal.files import archive, services

storage_cli = AppGroup("storage", help="The file store (local folders or S3).")


@storage_cli.command("migrate")
def migrate():
    """Copy every file a record names from instance/ to STORAGE_URL; run it again to resume or check."""
    keys = list(services.named_keys())
    try:
        with click.progressbar(length=len(keys), label="Copying files", show_pos=True) as bar:
            report = services.copy_local_to_store(keys, lambda key: bar.update(1))
    except RuntimeError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{report.copied} copied, {report.already} already in the store, {len(report.missing)} missing "
               f"from the local folders, of {len(keys)} files.")
    for key in report.missing:
        click.echo(f"  missing: {key}")
    if report.missing:
        raise SystemExit(1)


@click.command("backup")
@with_appcontext
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def backup_command(out: Path):
    """Back up the database and every stored file to one archive, FILE (a tar file)."""
    try:
        report = archive.write_backup(out)
    except (OSError, subprocess.CalledProcessError) as error:
        raise click.ClickException(f"The backup could not be written: {error}") from None
    # Recorded after the archive is written, so that an erasure can list the backups still holding the data.
    record(None, "backup.write", out.name, f"{report.files} files")
    db.session.commit()
    click.echo(f"Backed up the database and {report.files} files to {out}.")
    if report.missing:
        click.echo(f"Warning: {len(report.missing)} files that records name are not in the store:", err=True)
        for key in report.missing:
            click.echo(f"  missing: {key}", err=True)


@click.command("restore")
@with_appcontext
@click.argument("source_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace what the database already holds.")
def restore_command(source_file: Path, replace: bool):
    """Bring back FILE, an archive made by `flask backup`, into an empty portal (or with --replace, over it)."""
    try:
        files = archive.restore_backup(source_file, replace, click.echo)
    except (archive.ArchiveError, RestoreFailed) as error:
        raise click.ClickException(str(error)) from None
    except (OSError, tarfile.TarError) as error:
        raise click.ClickException(f"The restore could not read {source_file}: {error}; nothing was changed.") \
            from None
    click.echo(f"Restored the database and {files} files from {source_file}.")
