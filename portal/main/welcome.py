"""The visitors' landing page: the rollout's key dates, each unit's duties, the next sessions and the hotlines."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.core import clock
from portal.core.extensions import db
from portal.main.milestones import DUTIES, MILESTONES
from portal.support import directory
from portal.training.models import TrainingSession
from portal.training.services import local_day

NEXT_SESSIONS = 6


@dataclass
class Welcome:
    milestones: tuple
    duties: tuple
    sessions: list
    contacts: list
    today: date


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
    return Welcome(milestones=MILESTONES, duties=DUTIES, sessions=next_sessions(), contacts=directory.contacts(),
                   today=local_day(clock.now()))
