"""A person's copy of their data: a ZIP of JSON files (one per kind) and their tickets' attachments.

The queue builds it (a request never waits on it), streams it through a temporary file into the store's
"exports" area, and e-mails the owner a link; the file and its row are removed 7 days later.
"""
import json
import shutil
import tempfile
import zipfile
from datetime import datetime, timedelta

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.audit.services import record
from portal.auth.models import User
from portal.core.extensions import db
from portal.core.models_base import UTCDateTime, utcnow
from portal.core.storage import FileMissing, key_for, storage
from portal.core.uploads import stored_name
from portal.mail.services import send_mail
from portal.util.urls import public_url
from portal.util.validators import display_phone, mask_cccd

KEPT_FOR = timedelta(days=7)
STATUSES = ("queued", "ready", "failed")
ZIP = "application/zip"


class DataExport(db.Model):
    """One requested copy; stored_name is set once the ZIP is in the store."""

    __tablename__ = "data_exports"
    __table_args__ = (CheckConstraint(f"status IN {STATUSES}", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    def __repr__(self) -> str:
        return f"<DataExport {self.id} {self.status}>"

    @property
    def key(self) -> str:
        return key_for("exports", self.stored_name or "")

    def is_available(self, now: datetime) -> bool:
        return self.status == "ready" and self.stored_name is not None and now < self.expires_at


def request_export(user: User) -> DataExport:
    """Record the request (the caller enqueues the build after this commit); while one is still being
    prepared, a second click gets that one rather than a second copy."""
    now = utcnow()
    pending = db.session.execute(select(DataExport).where(DataExport.user_id == user.id,
                                                          DataExport.status == "queued")
                                 .order_by(DataExport.id).limit(1)).scalar_one_or_none()
    if pending is not None:
        return pending
    export = DataExport(user_id=user.id, status="queued", created_at=now, expires_at=now + KEPT_FOR)
    db.session.add(export)
    db.session.flush()
    record(user, "mydata.export_request", f"export:{export.id}")
    db.session.commit()
    return export


def user_exports(user: User, now: datetime) -> list[DataExport]:
    """The person's copies that have not expired, newest first."""
    return list(db.session.execute(select(DataExport).where(DataExport.user_id == user.id, DataExport.expires_at > now)
                                   .order_by(DataExport.id.desc())).scalars())


def owned_export(user: User, export_id: int, now: datetime) -> DataExport | None:
    """The copy if it is the person's own, built and not expired; else None (the view answers 404)."""
    export = db.session.get(DataExport, export_id)
    if export is None or export.user_id != user.id or not export.is_available(now):
        return None
    return export


def member_name(ticket, attachment) -> str:
    """The attachment's path in the ZIP: the name as uploaded, with no folder in it (no path out of the archive)."""
    safe = attachment.file_name.replace("/", "_").replace("\\", "_").lstrip(".") or "file"
    return f"attachments/{ticket.reference}/{attachment.id}-{safe}"


def instant(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def documents(data) -> dict[str, object]:
    """The JSON documents of the ZIP, by file name; the CCCD only ever masked."""
    from portal.privacy.mydata import visible_attachments, visible_messages

    user = data.user
    return {
        "account.json": None if user is None else {
            "full_name": user.full_name, "email": user.email, "role": user.role,
            "province": user.province.name if user.province else None,
            "commune": user.commune.name if user.commune else None,
            "created_at": instant(user.created_at), "last_login_at": instant(user.last_login_at)},
        "contacts.json": [{"id": c.id, "kind": c.kind, "full_name": c.full_name, "position": c.position,
                           "unit_name": c.unit_name, "phone": display_phone(c.phone), "email": c.email,
                           "cccd": mask_cccd(c.cccd) or None,
                           "commune": c.commune.name if c.commune else None,
                           "department": c.department.name if c.department else None,
                           "notice_version": c.notice_version, "consent_at": instant(c.consent_at)}
                          for c in data.contacts],
        "enrolments.json": [{"session": e.session.title, "starts_at": instant(e.session.starts_at),
                             "ends_at": instant(e.session.ends_at), "status": e.status, "attendance": e.attendance,
                             "enrolled_at": instant(e.created_at)} for e in data.enrolments],
        "tickets.json": [{"reference": t.reference, "title": t.title, "description": t.description,
                          "status": t.status, "created_at": instant(t.created_at),
                          "messages": [{"author": m.author.full_name or m.author.email, "body": m.body,
                                        "created_at": instant(m.created_at)} for m in visible_messages(t)],
                          "attachments": [member_name(t, a) for a in visible_attachments(t)]}
                         for t in data.tickets],
        "account_requests.json": [{"full_name": r.full_name, "unit": r.unit, "phone": display_phone(r.phone),
                                   "email": r.email, "cccd": mask_cccd(r.cccd) or None,
                                   "cccd_erased": r.cccd is None, "status": r.status,
                                   "notice_version": r.notice_version, "consent_at": instant(r.consent_at),
                                   "created_at": instant(r.created_at)} for r in data.account_requests],
    }


def write_zip(data, out) -> None:
    """Write the documents and each attachment into the ZIP, a file at a time (never all of it in memory)."""
    from portal.privacy.mydata import visible_attachments
    from portal.support.services import attachment_key

    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, document in documents(data).items():
            archive.writestr(name, json.dumps(document, ensure_ascii=False, indent=2))
        for ticket in data.tickets:
            for item in visible_attachments(ticket):
                try:
                    source = storage().open(attachment_key(item))
                except FileMissing:
                    continue  # a file already removed from the store: the JSON still names it
                with source, archive.open(member_name(ticket, item), "w") as target:
                    shutil.copyfileobj(source, target, 1024 * 1024)


def build(export_id: int) -> DataExport | None:
    """Build the ZIP, put it in the store, mark the row ready and e-mail the link, in one commit."""
    from portal.privacy.mydata import gather

    export = db.session.get(DataExport, export_id)
    if export is None or export.status != "queued":
        return export
    user = db.session.get(User, export.user_id)
    name = stored_name("zip")
    with tempfile.TemporaryFile() as temporary:
        write_zip(gather(user), temporary)
        temporary.seek(0)
        export.size = storage().save(key_for("exports", name), temporary, ZIP)
    export.stored_name, export.status = name, "ready"
    link = public_url("mydata.download", export_id=export.id)
    with force_locale("vi"):
        subject = render_template("mydata/mail/export_ready_subject.txt").strip()
        body = render_template("mydata/mail/export_ready.txt", link=link, export=export)
    send_mail(user.email, subject, body)
    db.session.commit()
    return export


def remove_expired(now: datetime) -> int:
    """Delete expired copies, their files first; returns how many went."""
    expired = db.session.execute(select(DataExport).where(DataExport.expires_at <= now)).scalars().all()
    for export in expired:
        if export.stored_name:
            storage().delete(export.key)
        db.session.delete(export)
    return len(expired)


def waiting(now: datetime, older_than: timedelta = timedelta(minutes=5)) -> list[int]:
    """Copies still queued a while after their request: the queue lost them, or it was down."""
    return list(db.session.execute(select(DataExport.id).where(DataExport.status == "queued",
                                                               DataExport.created_at <= now - older_than,
                                                               DataExport.expires_at > now)).scalars())
