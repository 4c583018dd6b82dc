"""Scheduled jobs of the support desk: a warning before a ticket breaches its service level."""
from datetime import datetime

from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.core.extensions import db
from portal.core.queue import EveryMinutes
from portal.jobs.services import scheduled
from portal.mail.services import already_queued, send_mail
from portal.support import sla
from portal.support.models import ProvinceAgent, SupportAgent, Ticket

WARN_AT = 0.8  # of the target, in working hours


def warnings_due(ticket: Ticket, now: datetime) -> list[str]:
    """Which targets ("first_response", "resolution") the ticket has used 80 % of without meeting them."""
    first_response, resolution = sla.targets(ticket.priority)
    due = []
    if ticket.first_response_at is None and now >= sla.add_working_hours(ticket.created_at, WARN_AT * first_response):
        due.append("first_response")
    if ticket.resolved_at is None and now >= sla.add_working_hours(ticket.created_at, WARN_AT * resolution):
        due.append("resolution")
    return due


@scheduled("sla_warnings", _l("Warnings at 80 percent of a ticket's service level"), EveryMinutes(10))
def sla_warnings(now: datetime) -> str:
    """Warn the assigned agent, and the province's backup while the assignee is away, once per ticket and target."""
    tickets = db.session.execute(
        select(Ticket).where(Ticket.status.not_in(("resolved", "closed")), Ticket.assignee_id.is_not(None))
        .options(joinedload(Ticket.assignee), joinedload(Ticket.province), joinedload(Ticket.commune))
    ).scalars().all()
    away = set(db.session.execute(select(SupportAgent.user_id).where(SupportAgent.is_away.is_(True))).scalars())
    backups = {row.province_code: row.agent for row in db.session.execute(
        select(ProvinceAgent).where(ProvinceAgent.role == "backup").options(joinedload(ProvinceAgent.agent))).scalars()}
    planned = []
    for ticket in tickets:
        people = [ticket.assignee]
        backup = backups.get(ticket.province_code)
        if ticket.assignee_id in away and backup is not None and backup.id != ticket.assignee_id:
            people.append(backup)
        for target in warnings_due(ticket, now):
            planned += [(ticket, target, person, f"sla-warning:{ticket.id}:{target}:{person.id}") for person in people]
    done = already_queued([key for *_, key in planned])
    sent = 0
    for ticket, target, person, key in planned:
        if key in done:
            continue
        with force_locale("vi"):
            subject = render_template("support/mail/sla_warning_subject.txt", ticket=ticket, target=target).strip()
            body = render_template("support/mail/sla_warning.txt", ticket=ticket, target=target)
        send_mail(person.email, subject, body, dedupe_key=key)
        sent += 1
    return f"{sent} warnings for {len(tickets)} open tickets"
