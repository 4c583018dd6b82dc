"""The periodic sweep of stored files that no row names."""
from datetime import datetime

from flask_babel import lazy_gettext as _l

from portal.core.queue import EveryMinutes
from portal.files import services
from portal.jobs.services import scheduled


@scheduled("storage_sweep", _l("Stored files that no record names: removed after an hour"), EveryMinutes(60))
def storage_sweep(now: datetime) -> str:
    count, size = services.sweep(now)
    return f"removed {count} files ({size} bytes)"
