"""The retention rules for admins: each rule's setting, what a run now would remove, the next run and the last."""
from flask import Blueprint, render_template

from portal.access import roles_required
from portal.core.extensions import db
from portal.core.models_base import utcnow
from portal.jobs.models import JobState
from portal.jobs.services import JOBS
from portal.privacy import retention

JOB = "privacy_retention"

bp = Blueprint("privacy_retention", __name__, url_prefix="/privacy/retention")


@bp.get("/")
@roles_required("admin")
def index():
    """Read-only: the job runs the rules at night, and the jobs page can run it now."""
    now = utcnow()
    job = JOBS[JOB]
    return render_template("privacy/retention.html", rules=retention.overview(now), job=job,
                           next_run=job.schedule.next_after(now), state=db.session.get(JobState, JOB),
                           kind_labels=retention.KIND_LABELS)
