"""The queued build of a person's copy of their data, the daily removal of expired copies, the nightly
retention run, and the warnings before a request's legal deadlines."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.auth.models import User
from portal.core.extensions import db
from portal.core.queue import Daily, EveryMinutes, task
from portal.jobs.services import scheduled
from portal.mail.services import send_each
from portal.privacy import export, requests, retention
from portal.util.urls import public_url


@task()
def build_export(export_id: int) -> None:
    """Enqueued after the commit that recorded the request."""
    export.build(export_id)


@scheduled("data_exports", _l("Copies of personal data: built if the queue lost them, deleted after 7 days"),
           EveryMinutes(60))
def data_exports(now: datetime) -> str:
    removed = export.remove_expired(now)
    built = 0
    for export_id in export.waiting(now):
        export.build(export_id)
        built += 1
    return f"removed {removed}; built {built}"


@scheduled("privacy_deadlines", _l("Warnings at 80 percent of a personal-data request's deadlines, and when overdue"),
           EveryMinutes(60))
def privacy_deadlines(now: datetime) -> str:
    """E-mail every active admin once per request, deadline and state (near, then overdue), and delete the
    unverified requests whose link expired.

    Hourly rather than daily: the states change with the date, and the dedupe keys make the extra runs cost one
    query, while a run lost to a restart of the worker is made up within the hour instead of the next day.
    """
    today = requests.vietnam_day(now)
    admins = db.session.execute(select(User.id, User.email).where(
        User.role == "admin", User.is_active.is_(True), User.erased_at.is_(None))).all()
    messages = []
    candidates = db.session.execute(requests.warning_candidates(today)).scalars().all()
    for request in candidates:
        state = requests.legal_clock(request, today)
        for which, deadline in (("ack", state.ack), ("due", state.due)):
            if not deadline.warns:
                continue
            subject, body = requests.render_mail("deadline", request=request, which=which, state=deadline.state,
                                                 link=public_url("privacy_requests.detail", request_id=request.id))
            messages += [(address, subject, body, f"privacy-deadline:{request.id}:{which}:{deadline.state}:{admin_id}")
                         for admin_id, address in admins]
    sent = send_each(messages)
    removed = requests.remove_expired_links(now)
    return f"{sent} warnings sent, {len(candidates)} requests with a deadline close checked; {removed} expired links removed"


@scheduled("privacy_retention", _l("Retention: CCCD of decided account requests, focal contacts after the "
                                   "transition, closed tickets' attachments"), Daily(2, 30))
def privacy_retention(now: datetime) -> str:
    """Every rule, each in its own transaction; the summary gives what each removed."""
    return retention.summary(retention.run_all(now))
