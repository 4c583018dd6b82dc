"""The plan import pages: upload a table, match its columns, preview every row, then save all or nothing."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import pending_import_or_404, roles_required
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.training import bp
from portal.training import imports as plan_imports
from portal.training.forms import PlanImportForm
from portal.util.forms import add_domain_error, form_integer


@bp.route("/import", methods=["GET", "POST"])
@roles_required("admin")
def import_upload():
    form = PlanImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            pending = plan_imports.start_import(current_user, upload.filename or "", upload.read())
        except DomainError as error:
            db.session.rollback()
            add_domain_error(form, error)
        else:
            return redirect(url_for("training.import_preview", token=pending.token))
    return render_template("training/import_upload.html", form=form)


@bp.get("/import/<token>")
@roles_required("admin")
def import_preview(token: str):
    pending = pending_import_or_404(current_user, "training", token)
    if plan_imports.missing_fields(pending):
        return render_template("imports/mapping.html", pending=pending, labels=plan_imports.FIELD_LABELS,
                               required=plan_imports.REQUIRED_FIELDS, back_url=url_for("training.import_upload"),
                               action_url=url_for("training.import_mapping", token=token))
    rows = plan_imports.check_rows(pending)
    return render_template("training/import_preview.html", pending=pending, rows=rows,
                           error_count=sum(1 for row in rows if row.errors), skipped=plan_imports.skipped_lines(pending),
                           audience_labels=plan_imports.AUDIENCE_LABELS, mode_labels=plan_imports.MODE_LABELS)


@bp.post("/import/<token>/mapping")
@roles_required("admin")
def import_mapping(token: str):
    pending = pending_import_or_404(current_user, "training", token)
    chosen = {name: form_integer(name, minimum=0) for name in plan_imports.FIELD_LABELS}
    try:
        plan_imports.set_mapping(pending, chosen)
    except DomainError as error:
        flash(str(error.message), "error")
    return redirect(url_for("training.import_preview", token=token))


@bp.post("/import/<token>/confirm")
@roles_required("admin")
def import_confirm(token: str):
    pending = pending_import_or_404(current_user, "training", token)
    try:
        count = plan_imports.apply_import(current_user, pending)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("training.import_preview", token=token))
    flash(_("%(count)s sessions imported.", count=count), "success")
    return redirect(url_for("training.plan"))

