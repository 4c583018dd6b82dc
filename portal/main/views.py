"""Home page, language switch and health check."""
import time

from flask import current_app, jsonify, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from portal.core import queue
from portal.core.extensions import db
from portal.main import bp
from portal.util.redirects import safe_next


@bp.get("/")
def index():
    """Everyone lands where their work is: the contact list of their province, commune or the nation."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_user.role in ("admin", "viewer", "coordinator", "commune_admin"):
        return redirect(url_for("contacts.index"))
    return redirect(url_for("units.provinces"))


@bp.post("/language")
def set_language():
    """Remember the chosen language in the session and go back to the page the form was on."""
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
    return redirect(safe_next(request.form.get("next")) or url_for("main.index"))


@bp.get("/healthz")
def healthz():
    """200 when the database and the queue answer, each with its latency in milliseconds; else 503."""
    checks, healthy = {}, True
    for name, probe in (("database", lambda: db.session.execute(text("SELECT 1"))), ("queue", queue.ping)):
        started = time.perf_counter()
        try:
            probe()
            checks[name] = {"status": "up", "ms": round((time.perf_counter() - started) * 1000, 1)}
        except Exception:  # any failure of a dependency is "down", never a 500
            db.session.rollback()
            checks[name], healthy = {"status": "down"}, False
    return jsonify(status="ok" if healthy else "unavailable", **checks), 200 if healthy else 503
