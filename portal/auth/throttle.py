"""The sign-in throttle: only failed sign-ins count, per account and per address.

A success clears the account's count, so an official who signs in every day is never refused, and the address
limit is sized for a training room of officials behind one office address. The counts live in the limiter's
storage (Redis when REDIS_URL is set), so every worker and host sees the same numbers.
"""
import math
import time

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import parse

from portal.core.extensions import limiter


def _counters(email: str) -> list[tuple]:
    account = (email or "").strip().lower()
    return [
        (parse(current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]), "login-failures-account", account),
        (parse(current_app.config["LOGIN_LIMIT_PER_ADDRESS"]), "login-failures-address", get_remote_address()),
    ]


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True)) and limiter.enabled


def seconds_to_wait(email: str) -> int:
    """0 when this account may try from this address now; otherwise the seconds until the oldest failure expires."""
    if not _enabled():
        return 0
    waits = []
    for item, *identifiers in _counters(email):
        if not limiter.limiter.test(item, *identifiers):
            reset_time = limiter.limiter.get_window_stats(item, *identifiers).reset_time
            waits.append(max(1, math.ceil(reset_time - time.time())))
    return max(waits, default=0)


def record_failure(email: str) -> None:
    if _enabled():
        for item, *identifiers in _counters(email):
            limiter.limiter.hit(item, *identifiers)


def record_success(email: str) -> None:
    """The account's failures are forgiven; the address keeps its count (a success proves nothing about others)."""
    if _enabled():
        item, *identifiers = _counters(email)[0]
        limiter.limiter.clear(item, *identifiers)
