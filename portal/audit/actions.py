"""What each audit action code means, in words a ministry official reads (the log stores the code).

Every code that `record()` is called with has a label here; tests/audit/test_audit_page.py reads the source
and fails when a new code has none. A code found only in old rows (since renamed) is shown as written.
"""
from flask_babel import lazy_gettext as _l

from portal.util.text import sort_key

LABELS = {
    "account_request.cccd_view": _l("View the full CCCD in account requests"),
    "account_request.granted": _l("Grant an account request"),
    "account_request.refused": _l("Refuse an account request"),
    "account_request.requested": _l("Reopen an account request"),
    "api.token_create": _l("Create an API token"),
    "api.token_revoke": _l("Revoke an API token"),
    "audit.export": _l("Export the audit log"),
    "backup.write": _l("Write a backup of the database and files"),
    "privacy.erase": _l("Erase a person's personal data"),
    "privacy.cli_export": _l("Export a person's personal data from the command line"),
    "backlog.record": _l("Record the dossiers waiting for an account"),
    "contact.cccd_view": _l("View a contact's full CCCD"),
    "contact.shared_person": _l("Allow or refuse one person in two seats"),
    "contacts.duties": _l("Edit the focal contacts' duties"),
    "contacts.export": _l("Export the focal-contact list"),
    "material.publication_add": _l("Record where a material is also published"),
    "material.publication_remove": _l("Remove where a material is also published"),
    "material.publication_update": _l("Change where a material is also published"),
    "integrations.kind_save": _l("Add or edit a kind of integration"),
    "mydata.consent": _l("Give a consent again (registration or reminders)"),
    "mydata.correct": _l("Correct one's own contact details"),
    "mydata.export_download": _l("Download one's own copy of personal data"),
    "mydata.export_request": _l("Ask for a copy of one's own personal data"),
    "mydata.withdraw": _l("Withdraw a consent (the CCCD is erased, or reminders stop)"),
    "milestones.create": _l("Add a key date of the transition"),
    "milestones.delete": _l("Delete a key date of the transition"),
    "milestones.edit": _l("Change a key date of the transition"),
    "privacy_request.acknowledge": _l("Acknowledge a request about personal data"),
    "privacy_request.complete": _l("Complete a request about personal data"),
    "privacy_request.file": _l("Make a request about one's own personal data"),
    "privacy_request.file_public": _l("Make a request about personal data on the public form"),
    "privacy_request.refuse": _l("Refuse a request about personal data"),
    "privacy_request.verify": _l("Confirm a request about personal data by its link"),
    "proposal.create": _l("Draft a proposal to the system's makers"),
    "proposal.edit": _l("Edit a proposal or its tickets"),
    "proposal.status": _l("Change a proposal's status"),
    "proposals.export": _l("Export the proposals"),
    "reports.note": _l("Write a report's difficulties and proposals"),
    "retention.run": _l("Remove personal data whose retention ended"),
    "support.directory_export": _l("Export the support directory"),
    "training.cancel": _l("Cancel a training session"),
    "training.override": _l("Schedule a session despite a warning"),
    "training.restore": _l("Restore a cancelled session"),
    "training.roster_export": _l("Export a session's roster"),
    "user.activate": _l("Reactivate an account"),
    "user.deactivate": _l("Deactivate an account"),
    "user.invite": _l("Invite a person"),
    "user.invite_contacts": _l("Invite a province's registered contacts"),
    "user.password_change": _l("Change one's password"),
    "user.password_set.invitation": _l("Set a password from an invitation"),
    "user.password_set.password_reset": _l("Set a new password after forgetting it"),
    "user.reinvite": _l("Send an invitation again"),
    "user.rescope": _l("Change an account's role or scope"),
}


def label(code: str) -> str:
    """The readable name of an action; an unknown code (an old row) as written."""
    text = LABELS.get(code)
    return str(text) if text is not None else code


def choices() -> list[tuple[str, str]]:
    """(code, label) for the action filter, in the order of the labels."""
    return sorted(((code, str(text)) for code, text in LABELS.items()), key=lambda pair: sort_key(pair[1]))
