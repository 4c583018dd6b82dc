"""Home page, language switch and health check."""
from urllib.parse import urlsplit

from flask import abort, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user

from portal.access import roles_required
from portal.core import health
from portal.core.extensions import csrf
from portal.core.page_cache import cached_page
from portal.main import bp, services, welcome
from portal.util.redirects import safe_next


LANDING_PAGES = {
    "admin": lambda user: url_for("reports.dashboard"),
    "viewer": lambda user: url_for("reports.dashboard"),
    "coordinator": lambda user: url_for("reports.province", code=user.province_code),
    "commune_admin": lambda user: url_for("main.my_commune"),
    "trainer": lambda user: url_for("training.plan", trainer=user.id),
    "agent": lambda user: url_for("support.inbox", view="mine"),
}


@bp.get("/")
@cached_page(("plan", "directory", "milestones"))  # a visitor's page; signed-in users are redirected, never cached
def index():
    """Everyone lands on their own work: the nation, their province's status, their commune, week or inbox;
    visitors without an account on the rollout's public summary."""
    if not current_user.is_authenticated:
        return render_template("main/welcome.html", welcome=welcome.welcome())
    return redirect(LANDING_PAGES[current_user.role](current_user))


@bp.get("/my-commune")
@roles_required("commune_admin")
def my_commune():
    """"Xã của tôi": the commune's registered administrator, their coming sessions and the commune's tickets."""
    return render_template("main/my_commune.html", home=services.commune_home(current_user))


@bp.post("/language")
@csrf.exempt
def set_language():
    """Remember the chosen language in the session and go back to the page the form was on.

    The switch carries no CSRF token: it sits on every page, and public pages are cached and served to every
    anonymous visitor, so a per-session token would hand one visitor's token to all (and give each visitor a
    session cookie). All a forged switch could do is change the reader's language, and a cross-site one is
    refused anyway by the browser's own Origin and Sec-Fetch-Site headers (a cross-site post would otherwise
    replace the session cookie, the SameSite one not being sent, and sign the person out).
    """
    if cross_site():
        abort(403)
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
    return redirect(safe_next(request.form.get("next")) or url_for("main.index"))


def cross_site() -> bool:
    """Whether the browser says the request comes from another site (requests without these headers pass)."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    return bool(origin) and urlsplit(origin).netloc != request.host


@bp.get("/healthz")
def healthz():
    """200 when the database and every configured service answer, each with its latency in milliseconds; else 503.

    Nothing here needs the request's user or session, so the proxy's health check works while the database is down.
    """
    body, status = health.report()
    return jsonify(body), status, {"Cache-Control": "no-store"}
