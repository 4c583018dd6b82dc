"""`flask backup` writes one tar archive: a manifest, the database (SQLite file or pg_dump custom format) and every
file a record names, read from the store; `flask restore` brings all of it back into an empty portal.

A restore checks the whole archive before it changes anything, refuses a database that already holds people's
data unless told to replace it, puts the files in the store (a file already there with the same size is
skipped), then restores the database in one step. Orphaned files of a restore that failed are swept later.
"""
import io
import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from sqlalchemy import func, inspect, select, table

from portal.core import backup as database
from portal.core.extensions import db
from portal.core.models_base import utcnow
from portal.core.storage import FileMissing, split_key, storage
from portal.files.services import named_keys

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
DATABASE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# The first bytes of a database-only backup of earlier versions: an SQLite file, or pg_dump's custom format.
DATABASE_SIGNATURES = {"sqlite": b"SQLite format 3\x00", "postgresql": b"PGDMP"}
# The tables whose rows a restore would replace that people wrote (the official units come with every portal).
PEOPLES_TABLES = {"users": "accounts", "contacts": "focal contacts", "tickets": "tickets",
                  "account_requests": "account requests", "training_sessions": "training sessions",
                  "materials": "materials"}


class ArchiveError(Exception):
    """An archive that cannot be written or restored, in one plain sentence."""


@dataclass
class BackupReport:
    files: int
    missing: list[str]


def write_backup(out: Path) -> BackupReport:
    """The database first, then the files the database names (never fewer than it named at the dump)."""
    with tempfile.TemporaryDirectory(dir=out.parent) as scratch:
        dump = Path(scratch) / "database"
        database.backup(dump)
        kind = database.dialect()
        keys = list(named_keys())
        missing: list[str] = []
        with tarfile.open(out, "w") as archive:
            archive.add(dump, DATABASE_MEMBERS[kind])
            stored = 0
            for key in keys:
                try:
                    size = storage().size(key)
                    with storage().open(key) as stream:
                        info = tarfile.TarInfo(f"files/{key}")
                        info.size, info.mtime = size, int(utcnow().timestamp())
                        archive.addfile(info, stream)
                    stored += 1
                except FileMissing:
                    missing.append(key)
            manifest = json.dumps({"format": FORMAT, "database": kind, "files": stored,
                                   "created_at": utcnow().isoformat()}).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(manifest)
            archive.addfile(info, io.BytesIO(manifest))
    return BackupReport(stored, missing)


def peoples_rows() -> dict[str, int]:
    """Rows people wrote in the database now, by what they are (tables that do not exist yet count none)."""
    present = set(inspect(db.engine).get_table_names())
    counts = {label: db.session.scalar(select(func.count()).select_from(table(name)))
              for name, label in PEOPLES_TABLES.items() if name in present}
    db.session.remove()
    return {label: count for label, count in counts.items() if count}


def describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{count:,} {label}" for label, count in counts.items())


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, ValueError, TypeError):
        raise ArchiveError("The archive has no readable manifest: it was not made by `flask backup`.") from None
    if manifest.get("format") != FORMAT or manifest.get("database") not in DATABASE_MEMBERS:
        raise ArchiveError("This archive is of a format this version of the portal does not know.")
    return manifest


def checked_members(archive: tarfile.TarFile, kind: str) -> tuple[tarfile.TarInfo, list[tarfile.TarInfo]]:
    """The database member and the file members, each a plain file under a valid key (nothing else allowed)."""
    try:
        dump = archive.getmember(DATABASE_MEMBERS[kind])
    except KeyError:
        raise ArchiveError("The archive holds no database.") from None
    files = []
    for member in archive.getmembers():
        if member.name in (MANIFEST, dump.name):
            continue
        key = member.name.removeprefix("files/")
        try:
            if member.name == key or not member.isreg():
                raise ValueError(member.name)
            split_key(key)
        except ValueError:
            raise ArchiveError(f"The archive holds an unexpected entry, {member.name!r}: nothing was restored.") \
                from None
        files.append(member)
    return dump, files


def restore_backup(source: Path, replace: bool, say: Callable[[str], None]) -> int:
    """Restore the archive (or a database-only backup of earlier versions); return how many files were put back."""
    if not source.is_file():
        raise ArchiveError(f"There is no file {source}.")
    kind = database.dialect()
    if not tarfile.is_tarfile(source):
        with source.open("rb") as head:
            signature = head.read(16)
        if not signature.startswith(DATABASE_SIGNATURES[kind]):
            raise ArchiveError(f"{source} is not a backup made by `flask backup` for {DATABASE_NAMES[kind]}: "
                               "nothing was changed.")
        check_target(replace, say)
        say("This backup holds the database only (made before files were backed up): the files stay as they are.")
        database.restore(source)
        return 0
    with tarfile.open(source) as archive:
        manifest = read_manifest(archive)
        if manifest["database"] != kind:
            raise ArchiveError(f"This backup is of a {DATABASE_NAMES[manifest['database']]} database; "
                               f"the portal here uses {DATABASE_NAMES[kind]}.")
        dump_member, file_members = checked_members(archive, kind)
        check_target(replace, say)
        with tempfile.TemporaryDirectory() as scratch:
            dump = Path(scratch) / "database"
            with archive.extractfile(dump_member) as stream, dump.open("wb") as out:
                shutil.copyfileobj(stream, out)
            for member in file_members:
                key = member.name.removeprefix("files/")
                if not (storage().exists(key) and storage().size(key) == member.size):
                    with archive.extractfile(member) as stream:
                        storage().save(key, stream)
            database.restore(dump)
    return len(file_members)


def check_target(replace: bool, say: Callable[[str], None]) -> None:
    counts = peoples_rows()
    if counts and not replace:
        raise ArchiveError(f"The database already holds {describe(counts)}; restoring would replace them. "
                           "Run again with --replace to do so.")
    if counts:
        say(f"Replacing {describe(counts)}.")
