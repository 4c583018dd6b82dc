"""Structured request logs: one JSON line per request with a request id (also sent back as X-Request-Id).

Only the path is logged, never the query string or the body, so no personal data reaches the logs.
"""
import json
import logging
import re
import time
import uuid

from flask import Flask, g, request
from flask_login import current_user

log = logging.getLogger("portal.requests")
INCOMING_ID = re.compile(r"[A-Za-z0-9\-]{1,64}")


class JsonFormatter(logging.Formatter):
    FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id")

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

    @app.before_request
    def start_request():
        incoming = request.headers.get("X-Request-Id", "")
        g.request_id = incoming if INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        request_id = getattr(g, "request_id", uuid.uuid4().hex)
        response.headers["X-Request-Id"] = request_id
        duration = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        user_id = current_user.id if current_user and current_user.is_authenticated else None
        log.info("request", extra={"request_id": request_id, "method": request.method, "path": request.path,
                                   "status": response.status_code, "duration_ms": round(duration, 1),
                                   "user_id": user_id})
        return response
