"""Session rules and response headers that apply to every request."""
import re
from datetime import datetime, timezone

from flask import Flask, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Refreshing the idle clock on every request would re-send the cookie every time; once a minute is enough.
IDLE_CLOCK_RESOLUTION_SECONDS = 60

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# The portal needs none of these browser features; denying them all means an injected script or a framed page
# cannot ask for them either. Clipboard (the copy buttons) and fullscreen (training videos) stay allowed.
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "bluetooth", "camera", "display-capture", "geolocation", "gyroscope", "hid", "magnetometer",
    "microphone", "midi", "payment", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
))


def start_session() -> None:
    """Mark the current session as signed in now (called right after login_user)."""
    now = int(datetime.now(timezone.utc).timestamp())
    session["login_at"] = now
    session["seen_at"] = now
    session.permanent = True


def reset_session() -> None:
    """Drop everything from the session but the chosen language (on sign-in, sign-out and expiry)."""
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language


def session_expired(now: int) -> bool:
    idle = current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    login_at = session.get("login_at", 0)
    seen_at = session.get("seen_at", 0)
    return now - seen_at > idle or now - login_at > lifetime


def has_control_characters(values) -> bool:
    """NUL and other C0 controls (tab and newlines aside) are never legitimate in a form or a query."""
    return any(CONTROL_CHARACTERS.search(value) for value in values if isinstance(value, str))


def register_security(app: Flask) -> None:
    @app.before_request
    def refuse_control_characters():
        if has_control_characters(request.args.values()) or (
                request.method == "POST" and has_control_characters(request.form.values())):
            abort(400)

    @app.before_request
    def enforce_session_limits():
        if request.endpoint in ("static", "main.healthz") or not current_user.is_authenticated:
            return None
        now = int(datetime.now(timezone.utc).timestamp())
        if session_expired(now):
            logout_user()
            reset_session()
            flash(_l("Your session has ended. Please sign in again."), "info")
            return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
        if now - session.get("seen_at", 0) >= IDLE_CLOCK_RESOLUTION_SECONDS:
            session["seen_at"] = now
        return None

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # A window the portal opens, or that opens it, gets no handle on the other (no tabnabbing, no leaks).
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint != "static" and "_user_id" in session:
            # Signed-in pages may carry personal data: never keep them in a shared or browser cache. The session
            # decides, not current_user: loading the user needs the database, which may be what just failed.
            response.headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")
        return response
