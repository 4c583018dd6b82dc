"""The queued build of a person's copy of their data, and the daily removal of expired copies."""
from datetime import datetime

from flask_babel import lazy_gettext as _l

from portal.core.queue import EveryMinutes, task
from portal.jobs.services import scheduled
from portal.privacy import export


@task()
def build_export(export_id: int) -> None:
    """Enqueued after the commit that recorded the request."""
    export.build(export_id)


@scheduled("data_exports", _l("Copies of personal data: built if the queue lost them, deleted after 7 days"),
           EveryMinutes(60))
def data_exports(now: datetime) -> str:
    removed = export.remove_expired(now)
    built = 0
    for export_id in export.waiting(now):
        export.build(export_id)
        built += 1
    return f"removed {removed}; built {built}"
