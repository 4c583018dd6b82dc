"""From an event's target ("session:69") to the page of that record, in one mapping.

Targets are written "<kind>:<id>" (a few are a bare word such as "national" or a token's name, which stay text).
Most pages are addressed by the id alone, so the link is built without a query; a contact's page is its seat's,
so the contacts of one page of events are looked up together, in one query. A record deleted since still shows
its target as text when its page cannot be worked out (a contact), or links to a page that answers 404.
"""
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.contacts.models import Contact
from portal.core.extensions import db

# Kinds whose page needs only the id.
BY_ID = {
    "session": lambda number: url_for("training.session", session_id=number),
    "ticket": lambda number: url_for("support.ticket", ticket_id=number),
    "user": lambda number: url_for("auth.user", user_id=number),
    "province": lambda number: url_for("units.province", code=number),
    "commune": lambda number: url_for("contacts.commune", code=number),
    "department": lambda number: url_for("contacts.department", department_id=number),
    "account_request": lambda number: url_for("accounts.requests"),
    "material": lambda number: url_for("materials.publications", material_id=number),
    "proposal": lambda number: url_for("proposals.detail", proposal_id=number),
    "retention_run": lambda number: url_for("privacy_retention.index"),
}
# Targets that name a list rather than one record.
BY_NAME = {
    "account_requests": lambda: url_for("accounts.requests"),
    "audit_events": lambda: url_for("audit.events"),
    "proposals": lambda: url_for("proposals.index"),
}
# What a kind of record is called, so that "session:69" reads "Training session 69".
KIND_LABELS = {
    "session": _l("Training session"),
    "ticket": _l("Ticket"),
    "user": _l("Account"),
    "province": _l("Province"),
    "commune": _l("Commune"),
    "department": _l("Department"),
    "contact": _l("Focal contact"),
    "account_request": _l("Account request"),
    "material": _l("Material"),
    "proposal": _l("Proposal"),
    "retention_run": _l("Retention run"),
}

# Targets that are a word, not a record.
NAMED_TARGETS = {
    "national": _l("National"),
    "account_requests": _l("Account requests"),
    "audit_events": _l("Audit log"),
    "proposals": _l("Proposals"),
}


def split_target(target: str) -> tuple[str, int] | None:
    """("session", 69) for "session:69"; None for a target that does not name a record by number."""
    kind, _, number = (target or "").partition(":")
    if not number.isascii() or not number.isdigit() or len(number) > 10:
        return None
    return kind, int(number)


def target_text(target: str) -> str:
    """The target in words ("Training session 69"); a target of an unknown kind as written."""
    if target in NAMED_TARGETS:
        return str(NAMED_TARGETS[target])
    parsed = split_target(target)
    if parsed is None or parsed[0] not in KIND_LABELS:
        return target
    return f"{KIND_LABELS[parsed[0]]} {parsed[1]}"


def contact_url(contact) -> str:
    if contact.kind == "commune":
        return url_for("contacts.commune", code=contact.commune_code)
    return url_for("contacts.department_seat", department_id=contact.department_id, seat=contact.seat)


def target_links(events) -> dict[int, str]:
    """The page of each event's target, by event id; events whose target has no page are left out."""
    links: dict[int, str] = {}
    contacts: dict[int, list[int]] = {}
    for event in events:
        if event.target in BY_NAME:
            links[event.id] = BY_NAME[event.target]()
            continue
        parsed = split_target(event.target)
        if parsed is None:
            continue
        kind, number = parsed
        if kind in BY_ID:
            links[event.id] = BY_ID[kind](number)
        elif kind == "contact":
            contacts.setdefault(number, []).append(event.id)
    if contacts:
        rows = db.session.execute(
            select(Contact.id, Contact.kind, Contact.commune_code, Contact.department_id, Contact.seat)
            .where(Contact.id.in_(contacts)))
        for row in rows:
            for event_id in contacts[row.id]:
                links[event_id] = contact_url(row)
    return links
