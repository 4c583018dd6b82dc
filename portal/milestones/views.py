"""The transition calendar's pages: the list for everyone signed in, adding, changing and deleting for admins."""
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.access import roles_required
from portal.core import clock
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.feeds.links import subscribe_links
from portal.milestones import bp, services
from portal.milestones.forms import MilestoneForm
from portal.milestones.models import Milestone
from portal.training.services import local_day
from portal.util import query
from portal.util.forms import ConfirmForm, add_domain_error


@bp.get("/")
@login_required
def index():
    """The key dates in order, the next one highlighted, with the feed's links; admins get the edit links."""
    today = local_day(clock.now())
    page = db.paginate(services.ordered(), page=query.page(), per_page=current_app.config["PER_PAGE"],
                       error_out=False)
    marks = services.marked(page.items, today, services.next_day(today))
    return render_template("milestones/index.html", page=page, marks=marks, feed=subscribe_links("feeds.milestones"),
                           may_edit=current_user.role == "admin")


@bp.route("/new", methods=["GET", "POST"])
@roles_required("admin")
def new():
    return edit_page(None)


@bp.route("/<int:milestone_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def edit(milestone_id: int):
    return edit_page(db.get_or_404(Milestone, milestone_id))


def edit_page(milestone: Milestone | None):
    """One form for a new key date (no milestone) or a change to one."""
    form = MilestoneForm(obj=milestone)
    if form.validate_on_submit():
        try:
            services.save(current_user, milestone, form.details())
        except DomainError as error:
            db.session.rollback()
            add_domain_error(form, error)
        else:
            flash(_("The key date is saved."), "success")
            return redirect(url_for("milestones.index"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("milestones/form.html", form=form, milestone=milestone), status


@bp.route("/<int:milestone_id>/delete", methods=["GET", "POST"])
@roles_required("admin")
def delete(milestone_id: int):
    """Deleting asks first, on a page that names the date and says subscribed calendars lose it."""
    found = db.get_or_404(Milestone, milestone_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.delete(current_user, found)
        flash(_("The key date is deleted."), "success")
        return redirect(url_for("milestones.index"))
    return render_template("milestones/confirm_delete.html", milestone=found, form=form), 422 if form.errors else 200
