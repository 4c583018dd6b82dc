"""Requests under the personal-data law: filed by a signed-in person or on the public form (proved by a one-time
link to the address on record), the legal clock, the admins' handling, and what a restriction or objection stops.

The clock starts when a request is "received": at once for a signed-in person, when the link is followed for the
public form. ack_due and due are counted in working days from the Vietnam date of that instant (core/clock.py).
"""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from math import floor

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, delete, exists, or_, select
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import AccountRequest
from portal.audit.services import record
from portal.auth.models import User
from portal.contacts.models import Contact
from portal.core import clock
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.core.models_base import utcnow
from portal.core.queue import VIETNAM
from portal.mail.services import send_mail
from portal.privacy.models import OPEN_STATUSES, REQUEST_KINDS, PrivacyRequest
from portal.privacy.mydata import own_email
from portal.util.urls import public_url
from portal.util.validators import parse_phone

DETAIL_MAX = 2000
ANSWER_MAX = 1000
WARN_AT = 0.8  # of the working days to a deadline: past this share the request is "near"

KIND_LABELS = {
    "erasure": _l("Erasure of the data"),
    "restriction": _l("Restriction of processing"),
    "objection": _l("Objection to processing"),
    "correction": _l("Correction of the data"),
}
STATUS_LABELS = {
    "unverified": _l("Waiting for the link to be followed"),
    "received": _l("Just received"),
    "acknowledged": _l("Acknowledged"),
    "done": _l("Done"),
    "refused": _l("Refused"),
}



def vietnam_day(instant: datetime) -> date:
    return instant.astimezone(VIETNAM).date()


def link_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def check_kind(kind: str) -> str:
    if kind not in REQUEST_KINDS:
        raise DomainError(_l("Choose what you ask for."), field="kind")
    return kind


def clean_detail(detail: str | None) -> str:
    return (detail or "").strip()[:DETAIL_MAX]


def start_clock(request: PrivacyRequest, now: datetime) -> None:
    """Received now: the acknowledgement and completion deadlines follow from today's date in Vietnam."""
    day = vietnam_day(now)
    request.status, request.received_at = "received", now
    request.ack_due = clock.add_working_days(day, current_app.config["PRIVACY_ACK_WORKING_DAYS"])
    request.due = clock.add_working_days(day, current_app.config["PRIVACY_DUE_WORKING_DAYS"])


def open_request(email: str, kind: str) -> PrivacyRequest | None:
    return db.session.execute(select(PrivacyRequest).where(
        PrivacyRequest.email == email, PrivacyRequest.kind == kind, PrivacyRequest.status.in_(OPEN_STATUSES))
    ).scalar_one_or_none()


def add_received(request: PrivacyRequest) -> PrivacyRequest | None:
    """Insert a received request; None when another open one of the person and kind won the race (the partial
    unique index), in which case nothing of this one is written."""
    try:
        with db.session.begin_nested():
            db.session.add(request)
            db.session.flush()
    except IntegrityError:
        return None
    return request


def render_mail(template: str, **context) -> tuple[str, str]:
    with force_locale("vi"):
        subject = render_template(f"privacy/mail/{template}_subject.txt", kind_labels=KIND_LABELS, **context).strip()
        body = render_template(f"privacy/mail/{template}.txt", kind_labels=KIND_LABELS, **context)
    return subject, body


def tell_person(request: PrivacyRequest, template: str) -> None:
    """E-mail the person at the address on record (never one typed on a form)."""
    subject, body = render_mail(template, request=request, link=public_url("mydata.index") if request.user_id else "")
    send_mail(request.email, subject, body)


def file_for_account(user: User, kind: str, detail: str) -> PrivacyRequest:
    """A signed-in person's request about their own data, received at once; a second one of the same kind while
    the first is open returns the first."""
    check_kind(kind)
    email = own_email(user)
    existing = open_request(email, kind)
    if existing is not None:
        return existing
    request = PrivacyRequest(kind=kind, user_id=user.id, email=email, detail=clean_detail(detail))
    start_clock(request, clock.now())
    if add_received(request) is None:
        return open_request(email, kind)
    tell_person(request, "received")
    record(user, "privacy_request.file", f"privacy_request:{request.id}", kind)
    db.session.commit()
    return request


def address_on_record(email: str, phone: str) -> tuple[str, str] | None:
    """(e-mail on record, phone on record or "") for what was typed, or None when nothing matches.

    An e-mail matches a contact, an account or an account request with that address (stored lower-cased); a phone
    matches a contact or an account request by its digits (stored as E.164), and then the link goes to that
    record's e-mail. The typed e-mail wins when both match different people: it is the one the person gave.
    """
    email = (email or "").strip().lower()
    if email and db.session.scalar(select(or_(
            exists().where(Contact.email == email),
            exists().where(User.email == email, User.erased_at.is_(None)),
            exists().where(AccountRequest.email == email)))):
        return email, ""
    e164 = parse_phone(phone or "")
    if e164 is None:
        return None
    for model in (Contact, AccountRequest):
        found = db.session.scalar(select(model.email).where(model.phone == e164).order_by(model.id).limit(1))
        if found:
            return found, e164
    return None


def file_public(email: str, phone: str, kind: str, detail: str) -> None:
    """The public form: when the e-mail or phone is on record, an unverified request and a one-time link to the
    address on record; otherwise nothing. The caller shows the same page either way."""
    check_kind(kind)
    found = address_on_record(email, phone)
    if found is None:
        return
    address, matched_phone = found
    # A newer form replaces the older link of the same address and kind: one live link each.
    db.session.execute(delete(PrivacyRequest).where(PrivacyRequest.email == address, PrivacyRequest.kind == kind,
                                                    PrivacyRequest.status == "unverified"))
    raw = secrets.token_urlsafe(32)
    hours = current_app.config["PRIVACY_LINK_HOURS"]
    request = PrivacyRequest(kind=kind, status="unverified", email=address, phone=matched_phone,
                             detail=clean_detail(detail), token_hash=link_hash(raw),
                             token_expires_at=utcnow() + timedelta(hours=hours))
    db.session.add(request)
    db.session.flush()
    subject, body = render_mail("verify", request=request, hours=hours,
                                link=public_url("privacy_requests.verify", token=raw))
    send_mail(address, subject, body)  # no dedupe key: SQLite reuses the id of a replaced request
    record(None, "privacy_request.file_public", f"privacy_request:{request.id}", kind)
    db.session.commit()


def valid_link(raw: str) -> PrivacyRequest | None:
    """The unverified request behind an unexpired link, or None (unknown, used or expired: the caller cannot
    tell which)."""
    request = db.session.execute(select(PrivacyRequest).where(
        PrivacyRequest.token_hash == link_hash(raw or ""), PrivacyRequest.status == "unverified")
    ).scalar_one_or_none()
    if request is None or request.token_expires_at is None or request.token_expires_at <= utcnow():
        return None
    return request


def verify(raw: str) -> PrivacyRequest | None:
    """Following the link proves the address: the request is received and its clock starts. When the person
    already has an open request of that kind, that one is returned and this one is dropped."""
    request = valid_link(raw)
    if request is None:
        return None
    existing = open_request(request.email, request.kind)
    if existing is not None:
        db.session.delete(request)
        db.session.commit()
        return existing
    request.token_hash, request.token_expires_at = None, None
    start_clock(request, clock.now())
    if add_received(request) is None:  # the same link followed twice at once
        db.session.rollback()
        return open_request(request.email, request.kind)
    tell_person(request, "received")
    record(None, "privacy_request.verify", f"privacy_request:{request.id}", request.kind)
    db.session.commit()
    return request


def own_requests(user: User) -> list[PrivacyRequest]:
    """The person's requests (those filed signed in, and those proved by a link to their address)."""
    return list(db.session.execute(select(PrivacyRequest).where(
        PrivacyRequest.email == own_email(user), PrivacyRequest.status != "unverified")
        .order_by(PrivacyRequest.id.desc())).scalars())


# The admins' handling -------------------------------------------------------------------------------------------

def check_open(request: PrivacyRequest) -> None:
    if not request.is_open:
        raise DomainError(_l("This request is already closed."))


def clean_answer(answer: str | None, required: bool) -> str:
    answer = (answer or "").strip()
    if required and not answer:
        raise DomainError(_l("Write the answer the person will receive."), field="answer")
    if len(answer) > ANSWER_MAX:
        raise DomainError(_l("The answer is too long (at most 1,000 characters)."), field="answer")
    return answer


def acknowledge(actor: User, request: PrivacyRequest) -> PrivacyRequest:
    """Tell the person the request is being handled; the first of the law's two deadlines is met."""
    if request.status != "received":
        raise DomainError(_l("Only a request just received can be acknowledged."))
    request.status, request.acknowledged_at, request.handled_by_id = "acknowledged", clock.now(), actor.id
    tell_person(request, "acknowledged")
    record(actor, "privacy_request.acknowledge", f"privacy_request:{request.id}", request.kind)
    db.session.commit()
    return request


def close(actor: User, request: PrivacyRequest, status: str, answer: str) -> None:
    """Close with the answer and tell the person; the caller records the event and commits."""
    now = clock.now()
    request.status, request.answer, request.closed_at, request.handled_by_id = status, answer, now, actor.id
    request.acknowledged_at = request.acknowledged_at or now  # an answer is also the acknowledgement
    tell_person(request, status)


def refuse(actor: User, request: PrivacyRequest, answer: str) -> PrivacyRequest:
    """Refuse with the reason, which the person receives."""
    check_open(request)
    close(actor, request, "refused", clean_answer(answer, required=True))
    record(actor, "privacy_request.refuse", f"privacy_request:{request.id}", request.kind)
    db.session.commit()
    return request


def complete(actor: User, request: PrivacyRequest, answer: str) -> PrivacyRequest:
    """Mark a restriction, objection or correction done (from then on a restriction or objection stops the
    reminders). An erasure is done by approving its preview (which erases at least the request's own copy of
    the address, so there is always something to approve)."""
    check_open(request)
    if request.kind == "erasure":
        raise DomainError(_l("An erasure is carried out by approving its preview."))
    close(actor, request, "done", clean_answer(answer, required=True))
    record(actor, "privacy_request.complete", f"privacy_request:{request.id}", request.kind)
    db.session.commit()
    return request


# The legal clock -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Deadline:
    """One of the two deadlines on one day: met, or how many working days are left (negative once past)."""

    day: date
    met: bool
    days_left: int
    state: str  # "met", "ok", "near" (80 % of its working days gone) or "overdue"

    @property
    def warns(self) -> bool:
        return self.state in ("near", "overdue")


@dataclass(frozen=True)
class LegalClock:
    ack: Deadline
    due: Deadline

    @property
    def state(self) -> str:
        """The worse of the two: what a list shows in one badge."""
        order = ("overdue", "near", "ok", "met")
        return min((self.ack.state, self.due.state), key=order.index)


def deadline_state(received: date, day: date, met: bool, today: date) -> Deadline:
    if met:
        return Deadline(day, True, 0, "met")
    if today > day:
        return Deadline(day, False, -clock.working_days_between(day, today), "overdue")
    total = clock.working_days_between(received, day)
    elapsed = clock.working_days_between(received, today)
    state = "near" if elapsed >= WARN_AT * total else "ok"
    return Deadline(day, False, clock.working_days_between(today, day), state)


def legal_clock(request: PrivacyRequest, today: date) -> LegalClock | None:
    """The request's two deadlines on `today` (None before it is received): reads only the request and the
    calendar of working days, so lists compute it for each row without a query."""
    if request.received_at is None or request.ack_due is None or request.due is None:
        return None
    received = vietnam_day(request.received_at)
    closed = request.status in ("done", "refused")
    return LegalClock(
        ack=deadline_state(received, request.ack_due, closed or request.acknowledged_at is not None, today),
        due=deadline_state(received, request.due, closed, today))


def warning_horizon(today: date) -> date:
    """The last deadline that can already be near today: at 80 % of 15 working days, 3 are left (for the 2 of
    the acknowledgement, none), and one day more in case a holiday was added since the request was received.
    Deadlines further away cannot warn, so lists of warnings need not load them."""
    longest = max(current_app.config["PRIVACY_ACK_WORKING_DAYS"], current_app.config["PRIVACY_DUE_WORKING_DAYS"])
    return clock.add_working_days(today, floor(longest * (1 - WARN_AT)) + 1)


def warning_candidates(today: date) -> Select:
    """Open requests with a deadline within the horizon, soonest first; legal_clock() then says which warn."""
    horizon = warning_horizon(today)
    return (select(PrivacyRequest).where(PrivacyRequest.status.in_(OPEN_STATUSES), or_(
        PrivacyRequest.due <= horizon,
        (PrivacyRequest.status == "received") & (PrivacyRequest.ack_due <= horizon)))
        .order_by(next_deadline(), PrivacyRequest.id))


def next_deadline():
    """The deadline still to meet: the acknowledgement's until acknowledged (it is never after the due date)."""
    return case((PrivacyRequest.status == "received", PrivacyRequest.ack_due), else_=PrivacyRequest.due)


def needing_attention(today: date, limit: int) -> list[tuple[PrivacyRequest, LegalClock]]:
    """For the admin home: up to `limit` open requests near or past a deadline (one query)."""
    rows = db.session.execute(warning_candidates(today).limit(limit * 2)).scalars()
    found = [(request, legal_clock(request, today)) for request in rows]
    return [(request, state) for request, state in found if state.state in ("near", "overdue")][:limit]


QUEUE_FILTERS = ("open", "overdue", "all")


def queue_query(which: str, today: date) -> Select:
    """The admins' queue: open requests soonest due first, the overdue ones, or every request (newest first).
    Unverified ones are not requests yet: their link has not been followed."""
    query = select(PrivacyRequest).where(PrivacyRequest.status != "unverified")
    if which == "all":
        return query.order_by(PrivacyRequest.received_at.desc(), PrivacyRequest.id.desc())
    query = query.where(PrivacyRequest.status.in_(OPEN_STATUSES))
    if which == "overdue":
        query = query.where(or_(PrivacyRequest.due < today,
                                (PrivacyRequest.status == "received") & (PrivacyRequest.ack_due < today)))
    return query.order_by(next_deadline(), PrivacyRequest.id)


def remove_expired_links(now: datetime) -> int:
    """Unverified requests whose link expired hold what a stranger may have typed: delete them."""
    return db.session.execute(delete(PrivacyRequest).where(
        PrivacyRequest.status == "unverified", PrivacyRequest.token_expires_at <= now)).rowcount
