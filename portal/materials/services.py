"""The library: uploads checked by their content and size, links, attaching them to sessions, and where else
each material is published."""
import re
from datetime import date
from typing import BinaryIO
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from portal.audit.services import record
from portal.core import clock, uploads
from portal.core.database import commit_written
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.core.storage import key_for, storage
from portal.materials.models import PLATFORMS, Material, MaterialPublication
from portal.training.models import AUDIENCES, TrainingSession
from portal.training.services import vietnam

ALLOWED = ("pdf", "docx", "xlsx", "mp4")
LINK_LENGTH = 500
# Spaces, control characters and backslashes: browsers and servers disagree on what such a link points at.
UNSAFE_IN_LINK = re.compile(r"[\s\x00-\x1f\x7f\\]")
HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def check_details(title: str, audience: str) -> None:
    if not title.strip():
        raise DomainError(_l("Enter the title of the material."), field="title")
    if len(title.strip()) > 200:
        raise DomainError(_l("The title is too long."), field="title")
    if audience not in AUDIENCES:
        raise DomainError(_l("Choose the audience."), field="audience")


def add_file(actor, title: str, description: str, audience: str, version: str, published_on: date,
             is_public: bool, file_name: str, data: bytes | BinaryIO) -> Material:
    """Store an uploaded guide after checking that its bytes match its extension and its size is allowed; the
    file is in the store before its row commits."""
    check_details(title, audience)
    upload = uploads.opened(file_name, data)
    extension = uploads.extension_of(upload.name)
    if extension not in ALLOWED:
        raise DomainError(_l("Upload a PDF, Word (.docx), Excel (.xlsx) or MP4 file."), field="file")
    if upload.size > current_app.config["MATERIAL_MAX_BYTES"]:
        raise DomainError(_l("The file is larger than %(mb)s MB.",
                             mb=current_app.config["MATERIAL_MAX_BYTES"] // (1024 * 1024)), field="file")
    if upload.kind != extension:
        raise DomainError(_l("The file's content is not a .%(ext)s file.", ext=extension), field="file")
    stored_name = uploads.stored_name(extension)
    content_type = uploads.CONTENT_TYPES[extension]
    size = storage().save(key_for("materials", stored_name), upload.stream, content_type)
    material = Material(title=title.strip(), description=description.strip(), audience=audience,
                        version=version.strip(), published_on=published_on, is_public=is_public,
                        stored_name=stored_name, file_name=upload.name, content_type=content_type,
                        size=size, created_by_id=actor.id)
    db.session.add(material)
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


def file_key(material: Material) -> str:
    return key_for("materials", material.stored_name)


def library(public_only: bool, audience: str = "") -> Select:
    query = select(Material).order_by(Material.published_on.desc(), Material.id.desc())
    if public_only:
        query = query.where(Material.is_public.is_(True))
    if audience in ("department", "commune"):
        query = query.where(Material.audience.in_([audience, "both"]))
    return query


def listing(public_only: bool, audience: str = "", not_on: str = "") -> Select:
    """The library's page: each material with its publications (one more query per page), optionally only those
    not yet published on one platform."""
    query = library(public_only, audience).options(selectinload(Material.publications))
    if not_on in PLATFORMS:
        query = query.where(~Material.publications.any(MaterialPublication.platform == not_on))
    return query


def well_formed_link(text: str) -> str:
    """The link, trimmed, when it is a whole https:// address of a named host without user name or password."""
    link = text.strip()
    if not link:
        raise DomainError(_l("Give the link to the material on that platform."), field="url")
    if len(link) > LINK_LENGTH:
        raise DomainError(_l("The link is longer than %(count)s characters.", count=LINK_LENGTH), field="url")
    if not link.lower().startswith("https://"):
        raise DomainError(_l("Give an https:// link."), field="url")
    parts = urlsplit(link)
    if "@" in parts.netloc:
        raise DomainError(_l("Give the link without a user name or password."), field="url")
    if UNSAFE_IN_LINK.search(link) or not host_is_named(parts):
        raise DomainError(_l("This is not a well-formed link: check the address after https://."), field="url")
    return link


def host_is_named(parts) -> bool:
    """Whether the link names a host by a domain name (Vietnamese letters allowed), with a valid port if any."""
    try:
        port = parts.port  # ValueError for a port that is not a number from 0 to 65535
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        return False
    labels = host.split(".")
    return port != 0 and len(labels) >= 2 and all(HOST_LABEL.fullmatch(label) for label in labels) and not labels[-1].isdigit()


def today() -> date:
    """The day in Vietnam by the portal's clock (a publication's date may not be after it)."""
    return clock.now().astimezone(vietnam()).date()


def publish(actor, material: Material, platform: str, url: str, published_on: date | None) -> MaterialPublication:
    """Record where a material is also published; a platform it is already on gets the new link and date."""
    if platform not in PLATFORMS:
        raise DomainError(_l("Choose the platform."), field="platform")
    link = well_formed_link(url)
    if published_on is None:
        raise DomainError(_l("Enter the date."), field="published_on")
    if published_on > today():
        raise DomainError(_l("The date of publication cannot be in the future."), field="published_on")
    def write() -> MaterialPublication:
        found = db.session.execute(select(MaterialPublication).where(
            MaterialPublication.material_id == material.id, MaterialPublication.platform == platform)).scalar()
        created = found is None
        if created:
            found = MaterialPublication(material_id=material.id, platform=platform, added_by_id=actor.id)
            db.session.add(found)
        found.url, found.published_on = link, published_on
        record(actor, "material.publication_add" if created else "material.publication_update",
               f"material:{material.id}", f"{platform} {link}")
        return found

    return commit_written(write)  # two first writers for one platform: the later one updates


def unpublish(actor, material: Material, platform: str) -> bool:
    """Forget where a material was published; False when it was not recorded there (a second click)."""
    found = db.session.execute(select(MaterialPublication).where(
        MaterialPublication.material_id == material.id, MaterialPublication.platform == platform)).scalar()
    if found is None:
        return False
    db.session.delete(found)
    record(actor, "material.publication_remove", f"material:{material.id}", f"{platform} {found.url}")
    db.session.commit()
    return True


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
