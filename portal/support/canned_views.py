"""The canned replies page: staff write their own (private or shared), agents change theirs, admins any."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import may_edit_canned_reply, roles_required
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.support import bp, canned
from portal.support.forms import CannedReplyForm
from portal.util import query
from portal.util.forms import add_domain_error, form_integer


@bp.route("/canned", methods=["GET", "POST"], endpoint="canned")
@roles_required("admin", "agent")
def canned_replies():
    """The list (shared first) and one form: empty to write a new reply, or `?edit=<id>` to change one."""
    editing = canned.editable_one(current_user, query.Integer("edit").read())
    form = CannedReplyForm(obj=editing)
    if request.method == "POST":
        canned_id = form_integer("canned_id")
        try:
            if request.form.get("delete"):
                canned.delete(current_user, canned_id)
                flash(_("The canned reply is deleted."), "success")
                return redirect(url_for("support.canned"))
            if form.validate_on_submit():
                canned.save(current_user, canned_id, form.title.data, form.body.data, form.is_shared.data)
                flash(_("The canned reply is saved."), "success")
                return redirect(url_for("support.canned"))
        except DomainError as error:
            db.session.rollback()
            add_domain_error(form, error)
        editing = canned.editable_one(current_user, canned_id)
    page = db.paginate(canned.listed(current_user), page=query.page(), per_page=current_app.config["PER_PAGE"],
                       error_out=False)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("support/canned.html", page=page, form=form, editing=editing,
                           may_edit=lambda reply: may_edit_canned_reply(current_user, reply)), status
