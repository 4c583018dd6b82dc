"""The scheduled jobs, for admins: last run, outcome, next run, and "run now" (done by the worker)."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from portal.access import roles_required
from portal.core.queue import enqueue
from portal.jobs import bp
from portal.jobs.services import JOBS, job_table, run_job_now


@bp.get("/")
@roles_required("admin")
def index():
    return render_template("jobs/index.html", rows=job_table())


@bp.post("/<name>/run")
@roles_required("admin")
def run(name: str):
    if name not in JOBS:
        abort(404)
    if enqueue(run_job_now, name):
        flash(_("The job is queued; the worker runs it in a moment."), "success")
    else:
        flash(_("The queue does not answer; try again later."), "error")
    return redirect(url_for("jobs.index"))
