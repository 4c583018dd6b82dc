"""Scheduled jobs of the focal-contact list."""
from flask_babel import lazy_gettext as _l

from portal.contacts.reminders import deadline_reminders
from portal.core.queue import Daily
from portal.jobs.services import scheduled

scheduled("deadline_reminders", _l("Deadline reminders to coordinators (7, 3 and 1 working days before)"),
          Daily(8, 0))(deadline_reminders)
