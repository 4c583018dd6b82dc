"""The library: uploads checked by their content and size, links, and attaching them to sessions."""
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from portal.core import uploads
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.materials.models import Material
from portal.training.models import AUDIENCES, TrainingSession

ALLOWED = ("pdf", "docx", "xlsx", "mp4")


def storage_dir():
    """Where uploaded materials are kept: instance/materials unless MATERIALS_DIR says otherwise."""
    return uploads.storage_dir("MATERIALS_DIR", "materials")


def check_details(title: str, audience: str) -> None:
    if not title.strip():
        raise DomainError(_l("Enter the title of the material."), field="title")
    if len(title.strip()) > 200:
        raise DomainError(_l("The title is too long."), field="title")
    if audience not in AUDIENCES:
        raise DomainError(_l("Choose the audience."), field="audience")


def add_file(actor, title: str, description: str, audience: str, version: str, published_on: date,
             is_public: bool, file_name: str, data: bytes) -> Material:
    """Store an uploaded guide after checking that its bytes match its extension and its size is allowed."""
    check_details(title, audience)
    extension = uploads.extension_of(file_name)
    if extension not in ALLOWED:
        raise DomainError(_l("Upload a PDF, Word (.docx), Excel (.xlsx) or MP4 file."), field="file")
    if len(data) > current_app.config["MATERIAL_MAX_BYTES"]:
        raise DomainError(_l("The file is larger than %(mb)s MB.",
                             mb=current_app.config["MATERIAL_MAX_BYTES"] // (1024 * 1024)), field="file")
    if uploads.detect_type(data) != extension:
        raise DomainError(_l("The file's content is not a .%(ext)s file.", ext=extension), field="file")
    stored_name = uploads.stored_name(extension)
    material = Material(title=title.strip(), description=description.strip(), audience=audience,
                        version=version.strip(), published_on=published_on, is_public=is_public,
                        stored_name=stored_name, file_name=file_name[-200:], content_type=uploads.CONTENT_TYPES[extension],
                        size=len(data), created_by_id=actor.id)
    db.session.add(material)
    db.session.flush()
    (storage_dir() / stored_name).write_bytes(data)
    db.session.commit()
    return material


def add_link(actor, title: str, description: str, audience: str, version: str, published_on: date,
             is_public: bool, link: str) -> Material:
    check_details(title, audience)
    if not link.strip().startswith("https://") or len(link.strip()) > 500:
        raise DomainError(_l("Give an https:// link."), field="link")
    material = Material(title=title.strip(), description=description.strip(), audience=audience,
                        version=version.strip(), published_on=published_on, is_public=is_public,
                        link=link.strip(), created_by_id=actor.id)
    db.session.add(material)
    db.session.commit()
    return material


def file_path(material: Material):
    return storage_dir() / material.stored_name


def library(public_only: bool, audience: str = "") -> Select:
    query = select(Material).order_by(Material.published_on.desc(), Material.id.desc())
    if public_only:
        query = query.where(Material.is_public.is_(True))
    if audience in ("department", "commune"):
        query = query.where(Material.audience.in_([audience, "both"]))
    return query


def attach(session: TrainingSession, material: Material) -> None:
    if material not in session.materials:
        session.materials.append(material)
    db.session.commit()


def detach(session: TrainingSession, material: Material) -> None:
    if material in session.materials:
        session.materials.remove(material)
    db.session.commit()


def attach_form(session: TrainingSession):
    """The form that offers every material not yet attached to the session."""
    from portal.materials.forms import AttachForm

    form = AttachForm()
    attached = {m.id for m in session.materials}
    form.material_id.choices = [(m.id, m.title) for m in db.session.execute(library(public_only=False)).scalars()
                                if m.id not in attached]
    return form
