"""The visitors' landing page: the rollout's key dates, each unit's duties, the next sessions and the hotlines."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.core import clock
from portal.core.extensions import db
from portal.feeds.links import subscribe_links
from portal.milestones import services as milestones
from portal.support import directory
from portal.training.models import TrainingSession
from portal.training.services import local_day

NEXT_SESSIONS = 6

# (who, what they must do): one or two lines each, from letter 001's Appendix 01.
DUTIES = (
    (_l("Department (Sở VHTTDL, Sở VH&TT, Sở DL)"),
     _l("Name 2 cadres to work with the ministry on the rollout; they attend the department-level training.")),
    (_l("Commune, ward or special zone"),
     _l("Name 1 system administrator who keeps the commune's accounts and attends the commune-level training.")),
    (_l("Province coordinator"),
     _l("Register the province's contacts before 16/01/2026, enrol them in sessions and follow up the tickets.")),
)


@dataclass
class Welcome:
    milestones: list  # of milestones.services.Mark
    duties: tuple
    sessions: list
    contacts: list
    milestones_feed: dict  # the key dates' feed: https and webcal addresses


def next_sessions(limit: int = NEXT_SESSIONS) -> list[TrainingSession]:
    """The next sessions that are not cancelled, with their provinces: two queries whatever the plan's size."""
    return db.session.execute(
        select(TrainingSession)
        .where(TrainingSession.status != "cancelled", TrainingSession.starts_at >= clock.now())
        .options(selectinload(TrainingSession.provinces))
        .order_by(TrainingSession.starts_at, TrainingSession.id).limit(limit)
    ).scalars().all()


def welcome() -> Welcome:
    """Everything the page shows; the ministry's support contacts are the public ones of its letters."""
    return Welcome(milestones=milestones.timeline(local_day(clock.now())), duties=DUTIES, sessions=next_sessions(),
                   contacts=directory.contacts(), milestones_feed=subscribe_links("feeds.milestones"))
