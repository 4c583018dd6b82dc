"""The portal's clock: the one "now" for rules that depend on time (a session has ended, enrolment has closed).

`CLOCK_NOW` (an aware ISO instant or datetime) holds it still, so tests and demonstrations can stand on a
chosen day; without it the clock is the real time.
"""
from datetime import datetime

from flask import current_app, has_app_context

from portal.core.models_base import utcnow


def now() -> datetime:
    """The current instant in UTC, or the instant `CLOCK_NOW` holds."""
    frozen = current_app.config.get("CLOCK_NOW") if has_app_context() else None
    if not frozen:
        return utcnow()
    instant = frozen if isinstance(frozen, datetime) else datetime.fromisoformat(frozen)
    if instant.tzinfo is None:
        raise ValueError("CLOCK_NOW must name its time zone")
    return instant.astimezone(utcnow().tzinfo)
