"""Reminders to coordinators whose province still has empty seats (commune administrators, department cadres)."""
from datetime import datetime

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select

from portal.auth.models import User
from portal.contacts import progress
from portal.contacts.services import deadline
from portal.core.extensions import db
from portal.core.queue import VIETNAM
from portal.mail.services import already_queued, send_mail
from portal.privacy.restrictions import restricted_emails
from portal.core.clock import is_working_day, working_days_between

REMINDER_DAYS = (7, 3, 1)  # working days before the deadline


def send_reminders(dedupe_prefix: str | None = None) -> int:
    """One e-mail per active coordinator whose province has empty seats, listing them; return how many.

    :param dedupe_prefix: given by the scheduled job, so that a second run on the same day sends nothing more.
    """
    coordinators = db.session.execute(
        select(User).where(User.role == "coordinator", User.is_active.is_(True)).order_by(User.province_code, User.id)
    ).scalars().all()
    stopped = restricted_emails([coordinator.email for coordinator in coordinators])  # restriction or objection done
    coordinators = [coordinator for coordinator in coordinators if coordinator.email not in stopped]
    keys = {c.id: f"{dedupe_prefix}:{c.id}" for c in coordinators} if dedupe_prefix else {}
    done = already_queued(list(keys.values()))
    sent = 0
    for coordinator in coordinators:
        if keys.get(coordinator.id) in done:
            continue
        communes = progress.missing_communes(coordinator.province_code)
        departments = [(department, sum(seat is None for seat in seats))
                       for department, seats in progress.department_seats(coordinator.province)
                       if any(seat is None for seat in seats)]
        if not communes and not departments:
            continue
        with force_locale("vi"):
            subject = render_template("contacts/mail/reminder_subject.txt", province=coordinator.province).strip()
            body = render_template("contacts/mail/reminder.txt", user=coordinator, communes=communes,
                                   departments=departments, deadline=deadline().astimezone(VIETNAM))
        send_mail(coordinator.email, subject, body, dedupe_key=keys.get(coordinator.id))
        sent += 1
    return sent


def deadline_reminders(now: datetime) -> str:
    """The scheduled run: on the working days 7, 3 and 1 before the deadline, remind; other days, nothing."""
    today, last_day = now.astimezone(VIETNAM).date(), deadline().astimezone(VIETNAM).date()
    left = working_days_between(today, last_day)
    if not is_working_day(today) or left not in REMINDER_DAYS or today >= last_day:
        return f"no reminder today ({left} working days left)"
    sent = send_reminders(dedupe_prefix=f"deadline-reminder:{last_day.isoformat()}:{left}")
    return f"{sent} reminders, {left} working days before the deadline"
