"""The registry of scheduled jobs and the record of their runs.

A domain declares a job in its tasks.py with @scheduled: the same function is then a Huey periodic task,
a CLI command (`flask jobs run NAME`) and a row on the admin page. A job returns a one-line summary.
"""
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from flask_babel import LazyString

from sqlalchemy import or_, update

from portal.core.database import existing_or_insert
from portal.core.extensions import db
from portal.core.models_base import utcnow
from portal.core.queue import periodic, task
from portal.jobs.models import JobState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    label: LazyString
    schedule: object  # core.queue.Daily or EveryMinutes
    function: Callable[[datetime], str]


JOBS: dict[str, Job] = {}


def scheduled(name: str, label: LazyString, schedule):
    """Register a job that takes the current instant and returns a summary of what it did."""

    def decorator(function):
        JOBS[name] = Job(name, label, schedule, function)
        periodic(schedule, name=f"job.{name}")(lambda: run_scheduled(name))
        return function

    return decorator


def state_of(name: str) -> JobState:
    state = db.session.get(JobState, name)
    if state is None:
        state = JobState(name=name, outcome="", detail="")
        db.session.add(state)
    return state


def run_job(name: str, now: datetime | None = None) -> JobState:
    """Run a job now and record when it ran and how it went; a failure is recorded, then re-raised."""
    job = JOBS[name]
    now = now or utcnow()
    try:
        detail = job.function(now)
        db.session.commit()
        outcome = "ok"
    except Exception as error:
        db.session.rollback()
        log.exception("job %s failed", name)
        detail, outcome = f"{type(error).__name__}: {error}", "failed"
    state = state_of(name)
    state.started_at, state.finished_at, state.outcome, state.detail = now, utcnow(), outcome, str(detail)[:500]
    db.session.commit()
    return state


def run_scheduled(name: str) -> JobState | None:
    """The schedule's run of this minute, by whichever worker claims it first: every worker's scheduler (two
    hosts may each run one) enqueues the same periodic job, and only one of them runs it."""
    now = utcnow()
    minute = now.replace(second=0, microsecond=0)
    existing_or_insert(lambda: db.session.get(JobState, name), lambda: JobState(name=name, outcome="", detail=""))
    db.session.commit()
    claimed = db.session.execute(
        update(JobState).where(JobState.name == name,
                               or_(JobState.started_at.is_(None), JobState.started_at < minute))
        .values(started_at=now, outcome="running")).rowcount
    db.session.commit()
    if not claimed:
        log.info("job %s of %s already taken by another worker", name, minute.isoformat())
        return None
    return run_job(name, now)


@task()
def run_job_now(name: str) -> None:
    """An admin's "run now", done by the worker rather than in the request."""
    run_job(name)


def job_table(now: datetime | None = None) -> list[tuple[Job, JobState | None, datetime]]:
    """Every job with its last run (if any) and its next run, in name order (one query)."""
    now = now or utcnow()
    states = {s.name: s for s in db.session.execute(db.select(JobState)).scalars()}
    return [(job, states.get(job.name), job.schedule.next_after(now)) for job in sorted(JOBS.values(), key=lambda j: j.name)]
