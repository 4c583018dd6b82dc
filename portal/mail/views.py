"""The outbox, for admins: what the portal sent, to whom, and what failed."""
from flask import current_app, render_template
from sqlalchemy import select

from portal.access import roles_required
from portal.core.extensions import db
from portal.mail import bp
from portal.mail.models import OutboxMessage


@bp.get("/outbox")
@roles_required("admin")
def outbox():
    page = db.paginate(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    return render_template("mail/outbox.html", page=page)
