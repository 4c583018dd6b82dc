"""The library: uploads checked by their content and size, links, and attaching them to sessions."""
import io
import secrets
import zipfile
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from portal.errors import DomainError
from portal.extensions import db
from portal.materials.models import Material
from portal.training.models import AUDIENCES, TrainingSession

# What each accepted extension must look like inside: the type is decided by the bytes, not the name.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "mp4": "video/mp4",
}
OFFICE_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def storage_dir() -> Path:
    path = Path(current_app.config.get("MATERIALS_DIR") or Path(current_app.instance_path) / "materials")
    path.mkdir(parents=True, exist_ok=True)
    return path


def detect_type(data: bytes) -> str | None:
    """pdf, docx, xlsx or mp4 from the file's own bytes, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data[4:8] == b"ftyp":
        return "mp4"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        return next((kind for kind, part in OFFICE_PART.items() if part in names), None)
    return None


def check_details(title: str, audience: str) -> None:
    if not title.strip():
        raise DomainError(_l("Enter a title."), field="title")
    if audience not in AUDIENCES:
        raise DomainError(_l("Choose the audience."), field="audience")


def add_file(actor, title: str, description: str, audience: str, version: str, published_on: date,
             is_public: bool, file_name: str, data: bytes) -> Material:
    """Store an uploaded guide after checking that its bytes match its extension and its size is allowed."""
    check_details(title, audience)
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension not in CONTENT_TYPES:
        raise DomainError(_l("Upload a PDF, Word (.docx), Excel (.xlsx) or MP4 file."), field="file")
    if len(data) > current_app.config["MATERIAL_MAX_BYTES"]:
        raise DomainError(_l("The file is larger than %(mb)s MB.",
                             mb=current_app.config["MATERIAL_MAX_BYTES"] // (1024 * 1024)), field="file")
    if detect_type(data) != extension:
        raise DomainError(_l("The file's content is not a .%(ext)s file.", ext=extension), field="file")
    stored_name = secrets.token_hex(16) + "." + extension
    material = Material(title=title.strip(), description=description.strip(), audience=audience,
                        version=version.strip(), published_on=published_on, is_public=is_public,
                        stored_name=stored_name, file_name=file_name[-200:], content_type=CONTENT_TYPES[extension],
                        size=len(data), created_by_id=actor.id)
    db.session.add(material)
    db.session.flush()
    (storage_dir() / stored_name).write_bytes(data)
    db.session.commit()
    return material


def add_link(actor, title: str, description: str, audience: str, version: str, published_on: date,
             is_public: bool, link: str) -> Material:
    check_details(title, audience)
    if not link.strip().startswith("https://"):
        raise DomainError(_l("Give an https:// link."), field="link")
    material = Material(title=title.strip(), description=description.strip(), audience=audience,
                        version=version.strip(), published_on=published_on, is_public=is_public,
                        link=link.strip(), created_by_id=actor.id)
    db.session.add(material)
    db.session.commit()
    return material


def file_path(material: Material) -> Path:
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
