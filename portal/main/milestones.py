"""The rollout's key dates and what each kind of unit must do, from the ministry's letters (seeds 001-004).

Kept as data in one module so an admin-edited table can replace it without touching the landing page.
"""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Milestone:
    day: date
    label: object  # a lazy string, read in the visitor's language


MILESTONES = (
    Milestone(date(2026, 1, 1), _l("The ministry's centralized TTHC system goes live for all 34 provinces.")),
    Milestone(date(2026, 1, 16), _l("Last day to send the list of focal contacts (Appendix 3) to the ministry.")),
    Milestone(date(2026, 1, 19), _l("Training of department cadres and commune administrators starts.")),
    Milestone(date(2026, 2, 8), _l("The ministry's rollout tasks are due.")),
    Milestone(date(2026, 2, 17), _l("Lunar New Year (Tết): no sessions during the holiday.")),
    Milestone(date(2026, 6, 30), _l("Provincial systems stop: every procedure is handled in the centralized system.")),
)

# (who, what they must do): one or two lines each, from letter 001's Appendix 01.
DUTIES = (
    (_l("Department (Sở VHTTDL, Sở VH&TT, Sở DL)"),
     _l("Name 2 cadres to work with the ministry on the rollout; they attend the department-level training.")),
    (_l("Commune, ward or special zone"),
     _l("Name 1 system administrator who keeps the commune's accounts and attends the commune-level training.")),
    (_l("Province coordinator"),
     _l("Register the province's contacts before 16/01/2026, enrol them in sessions and follow up the tickets.")),
)
