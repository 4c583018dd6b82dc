"""The domain error that services raise, and the central HTTP error pages."""
import math
import time

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError

from portal.core.extensions import db, limiter


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

    @app.errorhandler(500)
    def internal_error(_error):
        db.session.rollback()
        return error_page(500, _("Something went wrong"), _("The error has been recorded. Please try again later."))
