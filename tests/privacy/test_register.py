"""The register of personal data covers every column that looks personal, and names only columns that exist."""
from sqlalchemy import Column, Integer, MetaData, String, Table

import portal.models  # noqa: F401  every table in db.metadata
from portal.core.extensions import db as database
from portal.privacy.register import (
    BASES,
    CLASSES,
    LABELS,
    NOT_PERSONAL,
    PERSONAL_NAME,
    REGISTER,
    stale_entries,
    unlisted_columns,
    uses,
)


def test_every_personal_looking_column_of_the_models_is_in_the_register(app):
    assert unlisted_columns(database.metadata) == []


def test_the_register_names_only_tables_and_columns_that_exist(app):
    assert stale_entries(database.metadata) == []


def test_a_new_unlisted_personal_column_is_reported():
    """The check is not vacuous: a table it has never seen, with a phone and an IP address, is caught."""
    metadata = MetaData()
    Table("volunteers", metadata, Column("id", Integer, primary_key=True), Column("phone", String(16)),
          Column("ip_address", String(45)), Column("shift", String(10)))
    assert unlisted_columns(metadata) == ["volunteers.phone", "volunteers.ip_address"]


def test_an_entry_for_a_column_that_is_gone_is_reported():
    metadata = MetaData()
    Table("users", metadata, Column("id", Integer, primary_key=True), Column("email", String(254)))
    assert "users.full_name" in stale_entries(metadata) and "users.email" not in stale_entries(metadata)


def test_the_pattern_matches_whole_words_only():
    personal = ("name", "full_name", "contact_phone", "work_phone", "email", "e_mail", "cccd", "citizen_id",
                "address", "ip", "ip_address", "file_name", "stored_name", "filename", "attachment", "recipient")
    other = ("codename", "description", "shipping", "position", "kind", "body", "zip", "tip")
    assert all(PERSONAL_NAME.search(name) for name in personal)
    assert not any(PERSONAL_NAME.search(name) for name in other)


def test_each_excusal_is_needed_and_each_entry_is_complete():
    """An excusal the pattern would not flag is noise; an entry lacks none of class, basis, texts."""
    assert all(PERSONAL_NAME.search(column) for _table, column in NOT_PERSONAL)
    assert not {(entry.table, entry.column) for entry in REGISTER} & set(NOT_PERSONAL)
    assert len({(entry.table, entry.column) for entry in REGISTER}) == len(REGISTER)
    for entry in REGISTER:
        assert entry.kind in CLASSES and entry.basis in BASES
        assert entry.purpose.vi and entry.purpose.en and entry.retention.vi and entry.retention.en


def test_the_cccd_and_the_attachments_are_classed_as_such():
    kinds = {(entry.table, entry.column): entry.kind for entry in REGISTER}
    assert kinds[("contacts", "cccd")] == kinds[("account_requests", "cccd")] == "cccd"
    assert kinds[("ticket_attachments", "stored_name")] == "attachment"


def test_every_column_has_words_for_the_notice_and_the_notice_covers_every_entry():
    assert all(entry.column in LABELS for entry in REGISTER)
    told = {(use.purpose, label) for use in uses() for label in use.data}
    on_basis = {(use.purpose, basis, label)
                for use in uses() for basis, labels in use.bases.items() for label in labels}
    assert all((entry.purpose, entry.basis, entry.label) in on_basis for entry in REGISTER)
    assert all((entry.purpose, entry.label) in told for entry in REGISTER)
