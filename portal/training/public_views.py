"""Pages for officials without an account: one session's public page and the plan's changelog.

Each is a pure function of the URL, the language and the data (no per-visitor content besides the layout),
so a cache keyed by the data clock can serve them.
"""
from flask import abort, current_app, render_template
from sqlalchemy import select

from portal.core.extensions import db
from portal.core.page_cache import cached_page
from portal.feeds import services as feed_services
from portal.training import bp, changes
from portal.training.models import TrainingSession
from portal.util import query


def public_session_or_404(session_id: int) -> TrainingSession:
    """The session with its provinces, trainers and materials, in one query."""
    found = db.session.execute(feed_services.with_details(
        select(TrainingSession).where(TrainingSession.id == session_id))).unique().scalar_one_or_none()
    if found is None:
        abort(404)
    return found


@bp.get("/public/sessions/<int:session_id>")
@cached_page("plan")
def public_session(session_id: int):
    """A session as the public sees it: time, place, audience, public materials and calendar links."""
    found = public_session_or_404(session_id)
    materials = [m for m in found.materials if m.is_public]
    return render_template("training/public_session.html", session=found, materials=materials,
                           google_link=feed_services.google_calendar_link(found))


@bp.get("/public/changes")
@cached_page("plan", query.PAGE)
def public_changes():
    """What changed in the plan, newest first: new sessions, new times, new places, cancellations."""
    page = db.paginate(changes.recent_changes(), page=query.page(), per_page=current_app.config["PER_PAGE"],
                       error_out=False)
    return render_template("training/public_changes.html", page=page, entries=changes.entries(page.items))
