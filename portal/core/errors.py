"""The domain error that services raise, and the central HTTP error pages.

When the database is down the ordinary pages cannot be drawn (the menu needs the signed-in user, who is loaded
from the database), so a database outage answers 503 with a plain page that needs nothing but the request.
"""
import math
import time

from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from portal.core.extensions import db, limiter, login_manager
from portal.core.request_log import request_id

# The database cannot be reached (refused, dropped, locked, every pooled connection busy): worth a retry, unlike
# an IntegrityError or a ProgrammingError, which stay the 500s they are.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout)
RETRY_AFTER_SECONDS = 30


class DomainError(Exception):
    """A rule of the domain was not met; the message is for the user, already translatable."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_page(status: int, title: str, message: str):
    if wants_json():
        return jsonify(error=title, message=message), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def plain_page(status: int, title: str, message: str):
    """An error page drawn from the request alone: no current_user, no context processors, no query."""
    if wants_json():
        return make_response(jsonify(error=title, message=message), status)
    template = current_app.jinja_env.get_template("errors/plain.html")
    body = template.render(status=status, title=title, message=message, language=str(get_locale()),
                           request_id=request_id())
    return make_response(body, status, {"Content-Type": "text/html; charset=utf-8"})


def database_unavailable(error: Exception):
    """503 with Retry-After: the database does not answer, so nothing that needs it is tried again here."""
    g.request_error = "database unavailable: " + type(getattr(error, "orig", None) or error).__name__  # logged
    if "_login_user" not in g:  # where Flask-Login keeps the request's user: later hooks must not query for it
        g._login_user = login_manager.anonymous_user()
    try:
        db.session.rollback()
    except Exception:  # nosec B110: the connection is gone already; the session is discarded at teardown
        pass
    if g.get("saved_in_request"):
        message = _("Your change was saved before the portal lost its database; do not send it again. "
                    "Reload the page in a moment to see it.")
    else:
        message = _("The portal cannot reach its database right now. What it confirmed as saved is kept; "
                    "please try again in a moment.")
    response = plain_page(503, _("The portal is briefly unavailable"), message)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def too_many_attempts(seconds: int):
    """The 429 page, saying in minutes when to try again, with the same delay in Retry-After."""
    minutes = max(1, math.ceil(seconds / 60))
    response, status = error_page(
        429, _("Too many attempts"),
        ngettext("Please try again in %(num)s minute.", "Please try again in %(num)s minutes.", minutes),
    )
    response = make_response(response, status)
    response.headers["Retry-After"] = str(max(1, seconds))
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(400)
    def bad_request(_error):
        return error_page(400, _("Bad request"), _("The request could not be understood."))

    @app.errorhandler(CSRFError)
    def csrf_failed(_error):
        return error_page(
            400, _("The form has expired"), _("Please go back, reload the page and submit the form again.")
        )

    @app.errorhandler(403)
    def forbidden(_error):
        return error_page(403, _("Access denied"), _("Your account does not have access to this page."))

    @app.errorhandler(404)
    def not_found(_error):
        return error_page(404, _("Page not found"), _("The page does not exist or is not available to you."))

    @app.errorhandler(405)
    def method_not_allowed(error):
        body, status = error_page(405, _("Not allowed"), _("This address does not accept that kind of request."))
        response = make_response(body, status)
        if getattr(error, "valid_methods", None):  # RFC 9110: a 405 names the methods the address does accept
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(429)
    def too_many_requests(_error):
        breached = limiter.current_limit
        return too_many_attempts(int(breached.reset_at - time.time()) if breached else 60)

    for unavailable in DATABASE_UNAVAILABLE:
        app.register_error_handler(unavailable, database_unavailable)

    @app.errorhandler(500)
    def internal_error(error):
        cause = getattr(error, "original_exception", None)
        if isinstance(cause, DATABASE_UNAVAILABLE):  # raised where no handler catches it (an after_request hook)
            return database_unavailable(cause)
        title, message = _("Something went wrong"), _("The error has been recorded. Please try again later.")
        try:
            db.session.rollback()
            return error_page(500, title, message)
        except Exception:  # the page itself failed (its menu, the user): the plain one needs nothing
            current_app.logger.exception("the error page failed (request %s)", request_id())
            return plain_page(500, title, message)
