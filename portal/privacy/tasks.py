"""The queued build of a person's copy of their data, the daily removal of expired copies, and the nightly
retention run."""
from datetime import datetime

from flask_babel import lazy_gettext as _l

from portal.core.queue import Daily, EveryMinutes, task
from portal.jobs.services import scheduled
from portal.privacy import export, retention


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


@scheduled("privacy_retention", _l("Retention: CCCD of decided account requests, focal contacts after the "
                                   "transition, closed tickets' attachments"), Daily(2, 30))
def privacy_retention(now: datetime) -> str:
    """Every rule, each in its own transaction; the summary gives what each removed."""
    return retention.summary(retention.run_all(now))
