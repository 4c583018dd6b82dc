"""The materials library pages, where each material is also published, and attaching materials to sessions."""
from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import may_manage_session, roles_required
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.core.storage import FileMissing, storage
from portal.util import query
from portal.util.forms import add_domain_error, form_integer
from portal.materials import bp, services
from portal.materials.forms import PLATFORM_LABELS, MaterialForm, PublicationForm
from portal.materials.models import PLATFORMS, Material
from portal.training.models import TrainingSession
from portal.training.services import vietnam

EDITORS = ("admin", "trainer")
NOT_ON = query.Choice("not_on", PLATFORMS)


@bp.context_processor
def material_labels():
    return {"platform_labels": PLATFORM_LABELS, "material_editors": EDITORS}


@bp.get("/")
def library():
    """The guides: public ones for everyone, all of them for signed-in users; each with where else it is published."""
    public_only = not current_user.is_authenticated
    audience = query.Choice("audience", ("department", "commune")).read()
    not_on = NOT_ON.read()
    page = db.paginate(services.listing(public_only, audience, not_on), page=query.page(),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("materials/library.html", page=page, audience=audience, not_on=not_on)


@bp.route("/<int:material_id>/publications", methods=["GET", "POST"])
@roles_required(*EDITORS)
def publications(material_id: int):
    """Where the material is also published: add a platform's link, or change it by adding the platform again."""
    material = db.get_or_404(Material, material_id)
    form = PublicationForm()
    if request.method == "GET":
        form.published_on.data = services.today()
    if form.validate_on_submit():
        try:
            services.publish(current_user, material, form.platform.data, form.url.data, form.published_on.data)
        except DomainError as error:
            db.session.rollback()
            add_domain_error(form, error)
        else:
            flash(_("Saved: the material is on %(platform)s.", platform=PLATFORM_LABELS[form.platform.data]),
                  "success")
            return redirect(url_for("materials.publications", material_id=material.id))
    return render_template("materials/publications.html", material=material, form=form), \
        422 if form.errors or form.form_errors else 200


@bp.post("/<int:material_id>/publications/remove")
@roles_required(*EDITORS)
def unpublish(material_id: int):
    material = db.get_or_404(Material, material_id)
    platform = request.form.get("platform", "")
    if platform not in PLATFORMS:
        abort(400)
    if services.unpublish(current_user, material, platform):
        flash(_("%(platform)s is no longer listed for this material.", platform=PLATFORM_LABELS[platform]), "success")
    return redirect(url_for("materials.publications", material_id=material.id))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new():
    form = MaterialForm()
    if request.method == "GET":
        form.published_on.data = datetime.now(vietnam()).date()
    if form.validate_on_submit():
        details = dict(title=form.title.data, description=form.description.data or "", audience=form.audience.data,
                       version=form.version.data or "", published_on=form.published_on.data,
                       is_public=form.is_public.data)
        upload = form.file.data
        try:
            if upload and upload.filename:
                services.add_file(current_user, **details, file_name=upload.filename, data=upload.stream)
            elif form.link.data:
                services.add_link(current_user, **details, link=form.link.data)
            else:
                raise DomainError(_("Upload a file or give a link."), field="file")
        except DomainError as error:
            db.session.rollback()
            add_domain_error(form, error)
        else:
            flash(_("The material is added."), "success")
            return redirect(url_for("materials.library"))
    return render_template("materials/new.html", form=form), 422 if form.errors or form.form_errors else 200


@bp.get("/<int:material_id>/file")
def file(material_id: int):
    """The stored file, as an attachment named after the upload; non-public ones for signed-in users only."""
    material = db.get_or_404(Material, material_id)
    if material.stored_name is None or (not material.is_public and not current_user.is_authenticated):
        abort(404)
    try:
        return storage().download(services.file_key(material), material.content_type, material.file_name,
                                  max_age=3600)
    except FileMissing:
        abort(404)


@bp.post("/sessions/<int:session_id>")
@roles_required("admin", "trainer")
def attach(session_id: int):
    found = db.get_or_404(TrainingSession, session_id)
    if not may_manage_session(current_user, found):
        abort(403)
    material_id = form_integer("material_id")
    if material_id is None:
        abort(400)
    services.attach(found, db.get_or_404(Material, material_id))
    return redirect(url_for("training.session", session_id=session_id))


@bp.post("/sessions/<int:session_id>/<int:material_id>/remove")
@roles_required("admin", "trainer")
def detach(session_id: int, material_id: int):
    found = db.get_or_404(TrainingSession, session_id)
    if not may_manage_session(current_user, found):
        abort(403)
    services.detach(found, db.get_or_404(Material, material_id))
    return redirect(url_for("training.session", session_id=session_id))
