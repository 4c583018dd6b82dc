"""The outbox's queued delivery and its sweep."""
from datetime import datetime

from flask_babel import lazy_gettext as _l

from portal.core.queue import EveryMinutes, task
from portal.jobs.services import scheduled
from portal.mail import delivery


@task()
def deliver_outbox() -> None:
    """Enqueued after every commit that wrote outbox rows."""
    delivery.deliver_due()


@scheduled("outbox_sweep", _l("Outbox: retries and lost deliveries"), EveryMinutes(1))
def sweep(now: datetime) -> str:
    """Re-queue rows of a worker that died, and send what is due (retries, or a wake-up that was lost)."""
    released = delivery.release_stale_claims()
    report = delivery.deliver_due() if delivery.has_due() else delivery.DeliveryReport()
    return f"released {released}; {report}"
