"""The outbox, for admins: what is queued, sent and failed, with the last error and "send again"."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from portal.access import roles_required
from portal.core.extensions import db
from portal.mail import bp
from portal.mail.models import STATUSES, OutboxMessage
from portal.mail.services import send_again
from portal.util import query


@bp.get("/outbox")
@roles_required("admin")
def outbox():
    status = query.Choice("status", STATUSES).read()
    recipient = query.Text("recipient", 254).read()
    messages = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status:
        messages = messages.where(OutboxMessage.status == status)
    if recipient:
        messages = messages.where(OutboxMessage.recipient.icontains(recipient, autoescape=True))
    page = db.paginate(messages, page=query.page(), per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("mail/outbox.html", page=page, status=status, recipient=recipient, statuses=STATUSES)


@bp.post("/outbox/<int:message_id>/send-again")
@roles_required("admin")
def resend(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    if message.status == "failed":
        send_again(message)
        flash(_("The message is queued again."), "success")
    return redirect(url_for("mail.outbox", status=request.form.get("status", "")))
