"""Scheduled jobs of the reports: the weekly report to admins, Mondays at 08:00."""
from datetime import datetime, timedelta

from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.auth.models import User
from portal.core.extensions import db
from portal.core.queue import VIETNAM, Daily
from portal.jobs.services import scheduled
from portal.mail.services import Attachment, already_queued, send_mail
from portal.reports import period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@scheduled("weekly_report", _l("Weekly report to admins (.xlsx)"), Daily(8, 0, weekdays=(0,)))
def weekly_report(now: datetime) -> str:
    """The report of the week that just ended, attached, to every active admin (once per admin and week)."""
    last_week = (now.astimezone(VIETNAM) - timedelta(days=7)).isocalendar()
    week = f"{last_week.year}-W{last_week.week:02d}"
    report_period = period.week_period(week)
    admins = db.session.execute(select(User).where(User.role == "admin", User.is_active.is_(True))
                                .order_by(User.id)).scalars().all()
    keys = {admin.id: f"weekly-report:{week}:{admin.id}" for admin in admins}
    done = already_queued(list(keys.values()))
    todo = [admin for admin in admins if keys[admin.id] not in done]
    if not todo:
        return f"{week}: nothing to send"
    attachment = Attachment(f"bao-cao-tuan-{week}.xlsx", XLSX, period.workbook_bytes(period.build(report_period)))
    with force_locale("vi"):
        subject = render_template("reports/mail/weekly_subject.txt", period=report_period).strip()
        body = render_template("reports/mail/weekly.txt", period=report_period)
    for admin in todo:
        send_mail(admin.email, subject, body, attachment=attachment, dedupe_key=keys[admin.id])
    return f"{week}: sent to {len(todo)} admins"
