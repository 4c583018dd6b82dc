"""Which stored files the rows name, the sweep of the others, and copying the local folders to S3."""
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterable

from flask import current_app
from sqlalchemy import select

from portal.core.extensions import db
from portal.core.storage import AREAS, ORPHAN_GRACE, FileMissing, LocalStorage, StoredObject, split_key, storage
from portal.materials.models import Material
from portal.privacy.export import DataExport
from portal.support.models import TicketAttachment

NAMED_BY = {"attachments": TicketAttachment.stored_name, "materials": Material.stored_name,
            "exports": DataExport.stored_name}
BATCH = 500


def named(area: str, names: list[str]) -> set[str]:
    """The names of the list that a row of the area names (one query)."""
    column = NAMED_BY[area]
    return set(db.session.execute(select(column).where(column.in_(names))).scalars())


def batches(objects: Iterable[StoredObject]) -> Iterable[list[StoredObject]]:
    batch: list[StoredObject] = []
    for item in objects:
        batch.append(item)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def orphans(now: datetime) -> Iterable[StoredObject]:
    """Stored files no row names, older than the grace a request has to commit the row after writing its file."""
    for area in AREAS:
        old = (item for item in storage().objects(area) if now - item.modified > ORPHAN_GRACE)
        for batch in batches(old):
            kept = named(area, [split_key(item.key)[1] for item in batch])
            yield from (item for item in batch if split_key(item.key)[1] not in kept)


def sweep(now: datetime) -> tuple[int, int]:
    """Delete the orphans; return how many files and bytes went."""
    count = size = 0
    for item in orphans(now):
        storage().delete(item.key)
        count, size = count + 1, size + item.size
    return count, size


def named_keys() -> Iterable[str]:
    """Every key a row names, area by area, read in pages."""
    for area, column in NAMED_BY.items():
        last = ""
        while True:
            names = db.session.execute(select(column).where(column.is_not(None), column > last)
                                       .order_by(column).limit(BATCH)).scalars().all()
            if not names:
                break
            yield from (f"{area}/{name}" for name in names)
            last = names[-1]


@dataclass
class CopyReport:
    copied: int = 0
    already: int = 0
    missing: list[str] = field(default_factory=list)  # keys a row names that the local folder lacks


def copy_local_to_store(keys: list[str], progress: Callable[[str], None] = lambda key: None) -> CopyReport:
    """Copy each named file from the local folders to the configured store; one already there with the same size
    is skipped, so a run that stopped half-way is resumed by running it again."""
    source, target = LocalStorage(current_app), storage()
    if isinstance(target, LocalStorage):
        raise RuntimeError("STORAGE_URL is not set: there is no other store to copy to.")
    report = CopyReport()
    for key in keys:
        try:
            size = source.size(key)
        except FileMissing:
            report.missing.append(key)
        else:
            if target.exists(key) and target.size(key) == size:
                report.already += 1
            else:
                with source.open(key) as stream:
                    target.save(key, stream)
                report.copied += 1
        progress(key)
    return report
