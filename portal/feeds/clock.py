"""The data clock: when the data each public scope shows last changed, one row of feed_clock per scope.

One clock per scope rather than one for all: the registration rush ticks the plan's clock with every enrolment,
and with a single clock each of those would also throw away the cached directory and Q&A; scopes also keep
those writers from queuing on one row. The scopes and what moves them:

- plan (row 1): sessions, enrolments, materials, and people's names (a trainer's name is on every session);
- directory (row 2): the ministry's contacts, provinces' channels, agent assignments and availability, people;
- help (row 3): FAQ entries and their categories;
- milestones (row 4): the transition calendar's key dates (the landing page, the dashboard and their feed).

The clock is read through `portal.core.page_cache.clock` (one query for all scopes, at most once a second per
process); a flush that ticks makes this process forget that reading once its transaction commits.
"""
from datetime import timedelta

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from portal.auth.models import User
from portal.core import page_cache
from portal.core.extensions import db
from portal.core.models_base import utcnow
from portal.feeds.models import FeedClock
from portal.materials.models import Material
from portal.milestones.models import Milestone
from portal.support.models import (FaqEntry, ProvinceAgent, ProvinceChannel, SupportAgent, SupportContact,
                                   TicketCategory)
from portal.training.models import Enrolment, TrainingSession

SCOPES = {"plan": 1, "directory": 2, "help": 3, "milestones": 4}
# Contacts are not watched: the registration rush must not queue on the clock's row. A personal feed
# adds the person's contact ids to its cache key instead (feeds.services.personal_key).
WATCHED = {
    "plan": (TrainingSession, Enrolment, Material, User),
    "directory": (SupportContact, ProvinceChannel, ProvinceAgent, SupportAgent, User),
    "help": (FaqEntry, TicketCategory),
    "milestones": (Milestone,),
}
# A person's sign-in and password bookkeeping is shown nowhere public: it moves no clock.
QUIET_USER_COLUMNS = {"last_login_at", "session_version", "password_hash", "updated_at"}
TICKED = "data_clock_ticked"


def read_clocks() -> dict:
    """Every scope's instant in one query."""
    names = {row: scope for scope, row in SCOPES.items()}
    rows = db.session.execute(select(FeedClock.id, FeedClock.changed_at)).all()
    return {names[row]: changed_at for row, changed_at in rows if row in names}


page_cache.clock.use(read_clocks)


def shows(obj, session: Session) -> bool:
    """Whether a change to this object can show on a public page (a user's sign-in cannot)."""
    if not isinstance(obj, User) or obj in session.new or obj in session.deleted:
        return True
    state = inspect(obj)
    return any(state.attrs[key].history.has_changes() for key in state.mapper.column_attrs.keys()
               if key not in QUIET_USER_COLUMNS)


@event.listens_for(Session, "before_flush")
def tick_on_changes(session, _context, _instances) -> None:
    """Move each touched scope's clock forward; stamp edited sessions as changed."""
    touched = [obj for obj in (*session.new, *session.dirty, *session.deleted) if shows(obj, session)]
    scopes = [scope for scope, models in WATCHED.items() if any(isinstance(obj, models) for obj in touched)]
    if not scopes:
        return
    now = utcnow()
    for obj in session.dirty:
        if isinstance(obj, TrainingSession) and session.is_modified(obj):
            obj.updated_at = now  # relationship changes (trainers, materials) leave no column behind
    for scope in scopes:
        clock = session.get(FeedClock, SCOPES[scope])
        if clock is None:
            session.add(FeedClock(id=SCOPES[scope], changed_at=now))
        else:
            clock.changed_at = max(now, clock.changed_at + timedelta(microseconds=1))
    session.info[TICKED] = True


@event.listens_for(Session, "after_commit")
def forget_after_tick(session) -> None:
    """This process's next reading of the clock is fresh once a tick is committed."""
    if session.info.pop(TICKED, False):
        page_cache.clock.forget()


@event.listens_for(Session, "after_rollback")
def drop_tick(session) -> None:
    session.info.pop(TICKED, None)
