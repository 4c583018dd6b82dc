"""What people enrolled in a session are told: confirmations with a calendar invitation, changes, reminders.

Each confirmed person gets an iTIP part with the feed's UID and SEQUENCE = the session's revision, so
their calendar adds, moves or removes the one event by itself. Everything goes through the outbox.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.models import User
from portal.contacts.models import Contact
from portal.core.clock import is_working_day
from portal.core.extensions import db
from portal.core.queue import VIETNAM
from portal.feeds.services import invitations
from portal.mail.services import CalendarPart, already_queued, send_mail, send_many
from portal.privacy.reminders import reminded_enrolments
from portal.training.models import Enrolment, TrainingSession


def details(session: TrainingSession) -> dict:
    """What a change notice compares: local time, place and status, as text."""
    starts, ends = session.starts_at.astimezone(VIETNAM), session.ends_at.astimezone(VIETNAM)
    return {
        "time": f"{starts:%d/%m/%Y %H:%M}–{ends:%H:%M}",
        "place": " · ".join(part for part in (session.venue, session.meeting_url) if part),
        "status": session.status,
    }


def render(template: str, **context) -> tuple[str, str]:
    with force_locale("vi"):
        subject = render_template(f"training/mail/{template}_subject.txt", **context).strip()
        body = render_template(f"training/mail/{template}.txt", **context)
    return subject, body


def calendar_parts(session: TrainingSession, people: list[tuple[str, str]], method: str) -> list[CalendarPart]:
    """An invitation for each (name, e-mail)."""
    return [CalendarPart(method, part) for part in invitations(session, method, people)]


def confirm_seats(session: TrainingSession, contacts: list[Contact]) -> None:
    """Tell each person their seat is confirmed, with the invitation that puts the session in their calendar."""
    if not contacts:
        return
    subject, body = render("confirmation", session=session, now=details(session))
    people = [(contact.full_name, contact.email) for contact in contacts]
    send_many(list(zip([email for _, email in people], calendar_parts(session, people, "REQUEST"))), subject, body)


def withdrawn(session: TrainingSession, contact: Contact) -> None:
    """A person taken out of a session: their calendar removes the event."""
    subject, body = render("withdrawn", session=session, now=details(session))
    send_mail(contact.email, subject, body, calendar=calendar_parts(session, [(contact.full_name, contact.email)], "CANCEL")[0])


@dataclass
class ChangeRecipients:
    """Who a change of a session reaches: each enrolled person once (as the one with a seat if in twice),
    and the coordinators of the provinces served who are not enrolled themselves."""

    seats: dict  # e-mail -> (name, "enrolled" | "waiting")
    coordinators: list[str]

    @property
    def seated(self) -> list[tuple[str, str]]:
        return [(name, email) for email, (name, status) in self.seats.items() if status == "enrolled"]

    @property
    def waiting_count(self) -> int:
        return sum(1 for _, status in self.seats.values() if status == "waiting")


def change_recipients(session: TrainingSession) -> ChangeRecipients:
    enrolled = db.session.execute(
        select(Contact.email, Contact.full_name, Enrolment.status).join(Enrolment, Enrolment.contact_id == Contact.id)
        .where(Enrolment.session_id == session.id).order_by(Contact.email)
    ).all()
    coordinators = db.session.execute(
        select(User.email).where(User.role == "coordinator", User.is_active.is_(True),
                                 User.province_code.in_([p.code for p in session.provinces]))
    ).scalars().all()
    seats = {}
    for email, name, status in enrolled:
        if email not in seats or status == "enrolled":
            seats[email] = (name, status)
    return ChangeRecipients(seats, sorted(set(coordinators) - set(seats)))


def notify_change(session: TrainingSession, before: dict) -> None:
    """One e-mail per person: an updated invitation (or a cancellation) for those with a seat, text for the rest."""
    recipients = change_recipients(session)
    subject, body = render("change", session=session, before=before, after=details(session))
    method = "CANCEL" if session.is_cancelled else "REQUEST"
    seated = recipients.seated
    parts = dict(zip([email for _, email in seated], calendar_parts(session, seated, method)))
    send_many([(address, parts.get(address)) for address in [*recipients.seats, *recipients.coordinators]],
              subject, body)


def next_working_day(day, is_working_day):
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def session_reminders(now: datetime) -> str:
    """On a working day, remind everyone with a seat in a session held before or on the next working day."""
    today = now.astimezone(VIETNAM).date()
    if not is_working_day(today):
        return "not a working day"
    last = next_working_day(today, is_working_day)
    start = datetime.combine(today + timedelta(days=1), datetime.min.time(), VIETNAM)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), VIETNAM)
    sessions = db.session.execute(
        select(TrainingSession).where(TrainingSession.status != "cancelled", TrainingSession.starts_at >= start,
                                      TrainingSession.starts_at < end)
        .options(selectinload(TrainingSession.provinces), selectinload(TrainingSession.trainers),
                 selectinload(TrainingSession.materials))
    ).scalars().all()
    sent = 0
    for session in sessions:
        enrolments = db.session.execute(
            select(Enrolment).where(Enrolment.session_id == session.id, Enrolment.status == "enrolled")
            .options(joinedload(Enrolment.contact))).scalars().all()
        # Withdrawn consent, or a restriction or objection carried out: no reminder (the seat stays).
        enrolments = reminded_enrolments(enrolments)
        keys = {e.id: f"session-reminder:{session.id}:{session.revision}:{e.contact_id}" for e in enrolments}
        done = already_queued(list(keys.values()))
        subject, body = render("reminder", session=session, now=details(session))
        for enrolment in enrolments:
            if keys[enrolment.id] not in done:
                send_mail(enrolment.contact.email, subject, body, dedupe_key=keys[enrolment.id])
                sent += 1
    return f"{sent} reminders for {len(sessions)} sessions"
