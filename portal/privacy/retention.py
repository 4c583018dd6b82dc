"""Retention that runs by itself: each class of personal data goes when its purpose ends (Law 91/2025/QH15 Art. 14).

A rule's `select` is its one selection query. `due` lists what that query finds; `apply` runs the same query in its
own transaction and removes exactly what it found, so a dry run shows what a run at the same instant removes.
Each run, real or dry, leaves a RetentionRun with counts by kind (never values); a run that removed something
leaves one audit event with the ids.
"""
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Callable

from flask import current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select, update

from portal.accounts.models import AccountRequest
from portal.audit.services import record
from portal.contacts.models import Contact
from portal.core.extensions import db
from portal.core.queue import VIETNAM
from portal.core.storage import storage
from portal.privacy.anonymise import anonymise_contacts
from portal.privacy.models import RetentionRun
from portal.support.models import Ticket, TicketAttachment
from portal.support.services import attachment_key

log = logging.getLogger(__name__)

# What each kind of removed row is called on the admin page.
KIND_LABELS = {
    "account_request": _l("Account requests (CCCD erased)"),
    "contact": _l("Focal contacts (anonymised)"),
    "ticket_attachment": _l("Ticket attachments (deleted with their files)"),
}


@dataclass(frozen=True)
class Rule:
    """One class of personal data and when it goes.

    :param select: the ids due at an instant, or None when nothing can be due yet (before a date).
    :param remove: removes the rows with these ids in the current transaction; returns the keys of stored files
        to delete once that transaction is committed.
    :param words: the setting, in words, for the admin page.
    """

    name: str
    label: LazyString
    setting: str
    kind: str
    select: Callable[[datetime], Select | None]
    remove: Callable[[list[int]], list[str]]
    words: Callable[[], LazyString]


@dataclass
class Outcome:
    """What one run of one rule found (dry) or removed, by kind: the ids, in id order."""

    rule: Rule
    run: RetentionRun
    ids: dict[str, list[int]] = field(default_factory=dict)


# The CCCD of an account request -----------------------------------------------------------------------------

def cccd_due(now: datetime) -> Select:
    cutoff = now - timedelta(days=current_app.config["RETENTION_CCCD_DAYS"])
    return (select(AccountRequest.id)
            .where(AccountRequest.cccd.is_not(None), AccountRequest.status.in_(("granted", "refused")),
                   AccountRequest.decided_at <= cutoff)
            .order_by(AccountRequest.id))


def erase_cccd(ids: list[int]) -> list[str]:
    """The request stays (who asked, for whom, the decision); only its citizen ID goes."""
    db.session.execute(update(AccountRequest).where(AccountRequest.id.in_(ids)).values(cccd=None))
    return []


def cccd_words() -> LazyString:
    return _l("The CCCD of an account request is erased %(days)s days after the request is granted or refused; "
              "the request itself stays.", days=current_app.config["RETENTION_CCCD_DAYS"])


# Focal contacts after the transition -------------------------------------------------------------------------

def contacts_until() -> date:
    """The last Vietnam day focal contacts are kept (the ministry extends it by configuration)."""
    value = current_app.config["RETENTION_CONTACTS_UNTIL"]
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def contacts_end() -> datetime:
    """The instant their purpose ends: midnight after the last day, Vietnam time."""
    return datetime.combine(contacts_until() + timedelta(days=1), time(0), VIETNAM)


def contacts_due(now: datetime) -> Select | None:
    if now < contacts_end():
        return None
    # An anonymised contact has an empty e-mail (anonymise.py); the registration forms require one.
    return select(Contact.id).where(Contact.email != "").order_by(Contact.id)


def anonymise(ids: list[int]) -> list[str]:
    """All of them in one call, so that a seat's history is scrubbed of every listed person's values at once."""
    contacts = db.session.execute(select(Contact).where(Contact.id.in_(ids)).order_by(Contact.id)).scalars().all()
    anonymise_contacts(list(contacts))
    return []


def contacts_words() -> LazyString:
    return _l("Focal contacts are kept until the end of %(day)s (Vietnam time), then anonymised in place: the seats, "
              "enrolments and attendance stay.", day=contacts_until().strftime("%d/%m/%Y"))


# The attachments of closed tickets ---------------------------------------------------------------------------

def attachments_due(now: datetime) -> Select:
    cutoff = now - timedelta(days=current_app.config["RETENTION_TICKET_ATTACHMENT_DAYS"])
    return (select(TicketAttachment.id).join(Ticket, Ticket.id == TicketAttachment.ticket_id)
            .where(Ticket.status == "closed", Ticket.closed_at <= cutoff)
            .order_by(TicketAttachment.id))


def delete_attachments(ids: list[int]) -> list[str]:
    """The rows go in this transaction and their files after it commits: a crash in between leaves files no row
    names, which the storage_sweep job removes; the other order could leave rows naming missing files."""
    rows = db.session.execute(select(TicketAttachment).where(TicketAttachment.id.in_(ids))).scalars().all()
    keys = [attachment_key(row) for row in rows]
    for row in rows:
        db.session.delete(row)
    return keys


def attachments_words() -> LazyString:
    return _l("A ticket's attachments are deleted, with their files, %(days)s days after the ticket is closed; the "
              "thread stays.", days=current_app.config["RETENTION_TICKET_ATTACHMENT_DAYS"])


RULES: dict[str, Rule] = {rule.name: rule for rule in (
    Rule("request_cccd", _l("CCCD in account requests"), "RETENTION_CCCD_DAYS", "account_request",
         cccd_due, erase_cccd, cccd_words),
    Rule("contacts", _l("Focal contacts"), "RETENTION_CONTACTS_UNTIL", "contact",
         contacts_due, anonymise, contacts_words),
    Rule("ticket_attachments", _l("Closed tickets' attachments"), "RETENTION_TICKET_ATTACHMENT_DAYS",
         "ticket_attachment", attachments_due, delete_attachments, attachments_words),
)}


def due(rule: Rule, now: datetime) -> dict[str, list[int]]:
    """Exactly what a run of the rule at `now` removes: {kind: [ids]}, empty when nothing is due (one query)."""
    query = rule.select(now)
    if query is None:
        return {}
    ids = list(db.session.execute(query).scalars())
    return {rule.kind: ids} if ids else {}


def counts_of(ids: dict[str, list[int]]) -> dict[str, int]:
    return {kind: len(found) for kind, found in ids.items()}


def dry_run(rule: Rule, now: datetime) -> Outcome:
    """List what would go and record the preview (the admin page shows the last one); nothing is removed."""
    ids = due(rule, now)
    run = RetentionRun(rule=rule.name, ran_at=now, dry_run=True, removed=sum(map(len, ids.values())),
                       counts=counts_of(ids))
    db.session.add(run)
    db.session.commit()
    return Outcome(rule, run, ids)


def apply(rule: Rule, now: datetime) -> Outcome:
    """Remove what `due` lists, record the run and its audit event in the same transaction, then delete the
    stored files that transaction released."""
    ids = due(rule, now)
    keys = rule.remove(ids[rule.kind]) if ids else []
    removed = sum(map(len, ids.values()))
    run = RetentionRun(rule=rule.name, ran_at=now, dry_run=False, removed=removed, counts=counts_of(ids))
    db.session.add(run)
    if removed:
        db.session.flush()
        record(None, "retention.run", f"retention_run:{run.id}", audit_detail(rule, ids))
    db.session.commit()
    for key in keys:
        delete_file(key)
    return Outcome(rule, run, ids)


def audit_detail(rule: Rule, ids: dict[str, list[int]]) -> str:
    """The counts, then the ids (never values), cut visibly to the audit log's 500 characters: the counts stay."""
    detail = f"{rule.name}: " + "; ".join(f"{kind} {len(found)}: ids " + ",".join(map(str, found))
                                          for kind, found in ids.items())
    return detail if len(detail) <= 500 else detail[:499] + "…"


def delete_file(key: str) -> None:
    """Delete one released file. A store that fails now (S3 unreachable) must not stop the other rules: the file
    is then one no row names, and the storage_sweep job removes it within the hour."""
    try:
        storage().delete(key)
    except Exception:  # any store's error: logged, and the sweep deletes it later
        log.exception("retention: could not delete %s now; the storage sweep will", key)


def run_all(now: datetime, dry: bool = False) -> list[Outcome]:
    """Every rule, each in a transaction of its own."""
    return [(dry_run if dry else apply)(rule, now) for rule in RULES.values()]


def summary(outcomes: list[Outcome]) -> str:
    """One line for the jobs page: "request_cccd 2, contacts 0, ticket_attachments 5"."""
    return ", ".join(f"{outcome.rule.name} {outcome.run.removed}" for outcome in outcomes)


@dataclass
class RuleStatus:
    """One rule on the admin page: what a run now would remove, its last real run and its last preview."""

    rule: Rule
    due: dict[str, int]
    last_run: RetentionRun | None
    last_preview: RetentionRun | None


def latest_runs() -> dict[tuple[str, bool], RetentionRun]:
    """The latest run of each rule, real and dry, by (rule, dry_run), in one query."""
    latest = select(func.max(RetentionRun.id)).group_by(RetentionRun.rule, RetentionRun.dry_run)
    runs = db.session.execute(select(RetentionRun).where(RetentionRun.id.in_(latest))).scalars()
    return {(run.rule, run.dry_run): run for run in runs}


def overview(now: datetime) -> list[RuleStatus]:
    """Every rule's status, in a query per rule and one more, whatever the data."""
    runs = latest_runs()
    return [RuleStatus(rule, counts_of(due(rule, now)), runs.get((rule.name, False)), runs.get((rule.name, True)))
            for rule in RULES.values()]
