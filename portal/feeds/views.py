"""Serving the feeds with validators (ETag, Last-Modified, 304), the subscribe page and one-event downloads."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug import Response

from portal.auth.models import User
from portal.core import page_cache
from portal.core.extensions import db
from portal.feeds import bp, clock, services  # noqa: F401 (clock: its hooks tick on writes)
from portal.feeds.links import subscribe_links, webcal_url
from portal.training.models import TrainingSession
from portal.training.services import trainers
from portal.units.models import Province
from portal.util.downloads import content_disposition
from portal.util.query import MAX_INTEGER

CALENDAR_TYPE = "text/calendar; charset=utf-8"
AUDIENCE_NAMES = {"department": "cán bộ Sở", "commune": "cán bộ quản trị cấp xã"}


def serve_feed(key: tuple, name: str, filename: str, query_factory, private: bool = False) -> Response:
    """A feed of the plan's sessions, cached on the plan's data clock."""
    return serve_calendar(key, "plan", filename, lambda: services.feed_bytes(name, query_factory()), private)


def serve_calendar(key: tuple, scope: str, filename: str, make_bytes, private: bool = False) -> Response:
    """The feed from the page cache keyed by its scope's data clock, answered with its validators.

    A subscriber polling an unchanged feed costs no generation, and within the clock's second no query.
    """
    changed_at = page_cache.clock.at(scope)

    def build() -> tuple[bytes, dict]:
        return make_bytes(), {"Content-Type": CALENDAR_TYPE,
                              "Content-Disposition": content_disposition(filename, inline=True)}

    return page_cache.serve(("feed", *key, changed_at), build, changed_at.replace(microsecond=0), private)


@bp.get("/plan.ics")
def plan():
    return serve_feed(("plan",), "Kế hoạch tập huấn TTHC", "ke-hoach-tap-huan.ics", services.plan_sessions)


@bp.get("/milestones.ics")
def milestones():
    """The transition calendar's key dates as all-day events, cached on the milestones' own clock."""
    return serve_calendar(("milestones",), "milestones", "moc-thoi-gian-trien-khai.ics", services.milestones_bytes)


@bp.get("/provinces/<int:code>.ics")
def province(code: int):
    found = db.get_or_404(Province, code)
    return serve_feed(("province", code), f"Tập huấn TTHC - {found.name}", f"tap-huan-{found.codename}.ics",
                      lambda: services.province_sessions(code))


@bp.get("/audiences/<audience>.ics")
def audience(audience: str):
    if audience not in AUDIENCE_NAMES:
        abort(404)
    return serve_feed(("audience", audience), f"Tập huấn TTHC - {AUDIENCE_NAMES[audience]}",
                      f"tap-huan-{audience}.ics", lambda: services.audience_sessions(audience))


@bp.get("/trainers/<int:user_id>.ics")
def trainer(user_id: int):
    found = db.session.get(User, user_id)
    if found is None or found.role != "trainer":
        abort(404)
    return serve_feed(("trainer", user_id), f"Lịch giảng - {found.full_name}", f"lich-giang-{user_id}.ics",
                      lambda: services.trainer_sessions(user_id))


@bp.get("/me/<token>.ics")
def personal(token: str):
    """A person's own feed; an unknown and a revoked token get the same 404."""
    user = services.user_for_token(token)
    if user is None:
        abort(404)
    return serve_feed(services.personal_key(user), "Lịch tập huấn của tôi", "lich-tap-huan-cua-toi.ics",
                      lambda: services.personal_sessions(user), private=True)


bp.add_app_template_filter(webcal_url, "webcal")


@bp.app_template_global()
def province_feed(code) -> dict | None:
    """A province's name and feed links, for the plan filtered by that province (None for no or an unknown code)."""
    found = db.session.get(Province, code) if isinstance(code, int) and 0 < code <= MAX_INTEGER else None
    return {"province": found, "links": subscribe_links("feeds.province", code=found.code)} if found else None


@bp.get("/provinces/<int:code>")
def province_page(code: int):
    """One province's calendar: its links, Google's "add by URL" and a QR code to scan with a phone."""
    found = db.get_or_404(Province, code)
    return render_template("feeds/province.html", province=found)


@bp.get("/")
def subscribe():
    """How to subscribe, with every public feed's https and webcal links, a copy button and a QR code."""
    feeds = [
        (_("The whole plan"), subscribe_links("feeds.plan")),
        (_("Department cadres"), subscribe_links("feeds.audience", audience="department")),
        (_("Commune system administrators"), subscribe_links("feeds.audience", audience="commune")),
        (_("Key dates of the transition"), subscribe_links("feeds.milestones")),
    ]
    provinces = db.session.execute(db.select(Province).order_by(Province.code)).scalars().all()
    personal = None
    if current_user.is_authenticated:
        personal = services.token_created_at(current_user)
    return render_template("feeds/subscribe.html", feeds=feeds, provinces=provinces, trainers=trainers(),
                           personal_since=personal)


@bp.post("/me")
@login_required
def issue_personal():
    raw = services.issue_token(current_user)
    flash(_("Your new personal link is below. Copy it now: it is shown only once."), "success")
    return render_template("feeds/personal.html", links=subscribe_links("feeds.personal", token=raw))


@bp.post("/me/revoke")
@login_required
def revoke_personal():
    services.revoke_token(current_user)
    flash(_("Your personal link no longer works."), "success")
    return redirect(url_for("feeds.subscribe"))


@bp.get("/sessions/<int:session_id>.ics")
def single_event(session_id: int):
    """One session as an .ics file to add to a calendar by hand, cached on the plan's clock like the feeds."""
    changed_at = page_cache.clock.at("plan")

    def build() -> tuple[bytes, dict]:
        found = db.get_or_404(TrainingSession, session_id)
        return services.single_event_bytes(found), {
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": content_disposition(f"buoi-tap-huan-{found.id}.ics")}

    return page_cache.serve(("event", session_id, changed_at), build, changed_at.replace(microsecond=0))
