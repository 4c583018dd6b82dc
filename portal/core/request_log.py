"""Structured request logs: one JSON line per request with a request id (also sent back as X-Request-Id).

Only the path is logged, never the query string or the body, so no personal data reaches the logs.
"""
import json
import logging
import re
import time
import uuid

from flask import Flask, g, request
from sqlalchemy import inspect

log = logging.getLogger("portal.requests")
INCOMING_ID = re.compile(r"[A-Za-z0-9\-]{1,64}")


class JsonFormatter(logging.Formatter):
    FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id", "error")

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record), "level": record.levelname, "message": record.getMessage()}
        entry.update({name: getattr(record, name) for name in self.FIELDS if hasattr(record, name)})
        return json.dumps(entry, ensure_ascii=False)


def register_request_logging(app: Flask) -> None:
    if not app.testing and not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False

    def start_request():
        incoming = request.headers.get("X-Request-Id", "")
        g.request_id = incoming if INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    # First of all hooks, so that a request refused by any other (CSRF, the session, the database) has its id.
    app.before_request_funcs.setdefault(None, []).insert(0, start_request)

    @app.after_request
    def log_request(response):
        response.headers["X-Request-Id"] = request_id()
        log_line(response.status_code)
        return response

    @app.teardown_request
    def log_failed_request(error):
        """A request whose after_request hooks never ran (one of them raised) still leaves its line."""
        if "request_started" in g and not g.get("request_logged"):  # not a test_request_context, say
            log_line(500, type(error).__name__ if error else "unfinished")


def request_id() -> str:
    if "request_id" not in g:
        g.request_id = uuid.uuid4().hex
    return g.request_id


def signed_in_user_id() -> int | None:
    """The id of the user Flask-Login loaded for this request, if it loaded one, read without a query: the log must
    not need the database (which may be what failed), so it neither loads the user nor refreshes an expired row."""
    user = g.get("_login_user")
    if user is None or user.is_anonymous:
        return None
    identity = inspect(user, raiseerr=False)
    return identity.identity[0] if identity is not None and identity.identity else None


def log_line(status: int, error: str | None = None) -> None:
    g.request_logged = True
    duration = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
    fields = {"request_id": request_id(), "method": request.method, "path": request.path, "status": status,
              "duration_ms": round(duration, 1), "user_id": signed_in_user_id()}
    error = error or g.get("request_error")  # what an error handler said went wrong
    if error:
        fields["error"] = error
    (log.error if status >= 500 else log.info)("request", extra=fields)
