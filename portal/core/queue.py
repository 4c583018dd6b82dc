"""The job queue: Huey on an SQLite file in instance/ by default, on Redis when REDIS_URL is set.

`huey` exists at import time so that domains can declare their tasks in their tasks.py; create_app
binds it to the storage the configuration names (QUEUE_URL: sqlite:///path, redis://..., memory://)
and to the app whose context every task runs in. Periodic schedules are written in Vietnam time.
"""
import functools
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import click
from flask import Flask, current_app, has_app_context
from huey import Huey
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

log = logging.getLogger(__name__)
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

huey = Huey("portal", results=False, utc=True, storage_class=MemoryStorage)
_bound: dict[str, Flask] = {}


def storage_for(url: str):
    """The Huey storage class and its arguments for a QUEUE_URL."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisStorage, {"url": url}
    if url.startswith("sqlite:///"):
        return SqliteStorage, {"filename": url.removeprefix("sqlite:///")}
    if url == "memory://":
        return MemoryStorage, {}
    raise ValueError(f"QUEUE_URL must be sqlite:///, redis:// or memory://, not {url.split(':')[0]}")


def init_queue(app: Flask) -> None:
    """Point the queue at the configured storage; tasks run in this app's context from now on."""
    storage_class, kwargs = storage_for(app.config["QUEUE_URL"])
    huey.storage_class, huey.storage_kwargs = storage_class, kwargs
    huey.storage.close()  # the storage of an app built before this one (tests build several)
    huey.storage = huey.create_storage()
    _bound["app"] = app
    app.extensions["queue"] = huey


def in_app_context(function):
    """Run the task in a context of its own: of the app that called it (a task run in place, in tests or in
    immediate mode), else of the app the worker was started with."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        app = current_app._get_current_object() if has_app_context() else _bound["app"]
        with app.app_context():
            return function(*args, **kwargs)

    return run


def task(**options):
    """A queued job that runs inside the app's context (the database, the config, the mail backend)."""

    def decorator(function):
        return huey.task(name=function.__name__, **options)(in_app_context(function))

    return decorator


def enqueue(queued_task, *args, **kwargs) -> bool:
    """Enqueue after a commit; if the queue cannot be reached the periodic sweep catches up, so never raise."""
    try:
        queued_task(*args, **kwargs)
        return True
    except Exception as error:  # Redis down or the queue file locked: the change is committed already
        log.warning("could not enqueue %s: %s", queued_task.name, type(error).__name__)
        return False


def ping() -> None:
    """Raise if the queue's storage does not answer (for /healthz)."""
    huey.storage.queue_size()


# Schedules in Vietnam time ----------------------------------------------------------------------

def vietnam_now(now: datetime | None = None) -> datetime:
    return (now or datetime.now(timezone.utc)).astimezone(VIETNAM)


@dataclass(frozen=True)
class Daily:
    """At hh:mm Vietnam time on the given weekdays (0 = Monday)."""

    hour: int
    minute: int = 0
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)

    def matches(self, moment: datetime) -> bool:
        local = vietnam_now(moment)
        return local.weekday() in self.weekdays and (local.hour, local.minute) == (self.hour, self.minute)

    def next_after(self, moment: datetime) -> datetime:
        local = vietnam_now(moment)
        day: date = local.date()
        for _ in range(8):
            candidate = datetime.combine(day, time(self.hour, self.minute), VIETNAM)
            if candidate > local and candidate.weekday() in self.weekdays:
                return candidate.astimezone(timezone.utc)
            day += timedelta(days=1)
        raise ValueError("a Daily schedule with no weekday")


@dataclass(frozen=True)
class EveryMinutes:
    """Every n minutes, on the minute."""

    minutes: int

    def matches(self, moment: datetime) -> bool:
        local = vietnam_now(moment)
        return (local.hour * 60 + local.minute) % self.minutes == 0

    def next_after(self, moment: datetime) -> datetime:
        local = vietnam_now(moment).replace(second=0, microsecond=0)
        step = self.minutes - (local.hour * 60 + local.minute) % self.minutes
        return (local + timedelta(minutes=step)).astimezone(timezone.utc)


def periodic(schedule, name: str):
    """A periodic job: Huey checks it each minute, with a naive UTC timestamp (utc=True)."""

    def validate(timestamp: datetime) -> bool:
        return schedule.matches(timestamp.replace(tzinfo=timezone.utc))

    def decorator(function):
        return huey.periodic_task(validate, name=name)(in_app_context(function))

    return decorator


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Threads that run tasks side by side.")
def worker_command(workers: int) -> None:
    """Run the queue's worker: queued notices and the periodic jobs (Ctrl+C stops it)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # An SQLite queue is polled: wait at most 2 s between looks, so a notice leaves within seconds.
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True, check_worker_health=True,
                                    max_delay=2.0)
    consumer.run()
