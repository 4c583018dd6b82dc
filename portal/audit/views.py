"""The audit log, for admins, newest first."""
from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.access import roles_required
from portal.audit import bp
from portal.audit.models import AuditEvent
from portal.core.extensions import db
from portal.util import query


@bp.get("/")
@roles_required("admin")
def events():
    page = db.paginate(
        select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc()),
        page=query.page(), per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    return render_template("audit/events.html", page=page)
