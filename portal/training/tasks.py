"""Scheduled jobs of the training plan."""
from flask_babel import lazy_gettext as _l

from portal.core.queue import Daily
from portal.jobs.services import scheduled
from portal.training.notices import session_reminders

scheduled("session_reminders", _l("Reminders the working day before a session"),
          Daily(14, 0, weekdays=(0, 1, 2, 3, 4)))(session_reminders)
