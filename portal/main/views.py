"""Home page, language switch and health check."""
from flask import current_app, jsonify, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

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
    """200 with a small JSON body when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="down"), 503
    return jsonify(status="ok", database="up")
