"""The registration rules, tested on the services."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DataError, IntegrityError

from portal.contacts import services
from portal.contacts.models import Contact, ContactChange
from portal.contacts.services import ContactConflict, Seat, save_seat
from portal.core.errors import DomainError
from portal.core.models_base import utcnow
from portal.privacy import notices
from tests import factories
from tests.factories import person
from tests.factories import NGHE_AN


def test_registration_stores_normalised_values_and_consent(db, commune, register):
    contact = register(Seat.of_commune(commune), phone="0912 345 678", email="A@Xa.Gov.VN", cccd="001234567890")
    assert (contact.phone, contact.email, contact.cccd) == ("+84912345678", "a@xa.gov.vn", "001234567890")
    assert contact.notice_version == notices.current("contact").version and contact.consent_at is not None
    assert contact.province_code == NGHE_AN


def test_a_second_registration_for_one_commune_is_refused(db, commune, register):
    register(Seat.of_commune(commune), 1)
    with pytest.raises(ContactConflict):
        save_seat(None, Seat.of_commune(commune), person(2), None)
    assert db.session.scalar(select(func.count(Contact.id)).where(Contact.commune_code == commune.code)) == 1


def test_a_stale_edit_is_refused(db, commune, register):
    contact = register(Seat.of_commune(commune), 1)
    opened_at = contact.version
    save_seat(None, Seat.of_commune(commune), person(1, position="Phó Chủ tịch"), opened_at)
    with pytest.raises(ContactConflict):
        save_seat(None, Seat.of_commune(commune), person(1, position="Chủ tịch"), opened_at)
    db.session.refresh(contact)
    assert contact.position == "Phó Chủ tịch"


def test_the_database_keeps_one_administrator_per_commune(db, commune, register):
    register(Seat.of_commune(commune), 1)
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.add(Contact(kind="commune", province_code=NGHE_AN, commune_code=commune.code, seat=1,
                                   full_name="X", phone="+84912345670", email="x@x.vn", notice_version="1",
                                   consent_at=utcnow()))


@pytest.mark.parametrize("cccd", ["12345678901", "1234567890123", "٠٠١٢٣٤٥٦٧٨٩٠", "00123456789a"])
def test_the_database_refuses_a_malformed_cccd(db, commune, cccd):
    with pytest.raises((IntegrityError, DataError)):  # PostgreSQL refuses a 13th character as too long
        with db.session.begin_nested():
            db.session.add(Contact(kind="commune", province_code=NGHE_AN, commune_code=commune.code, seat=1,
                                   full_name="X", phone="+84912345670", email="x@x.vn", cccd=cccd,
                                   notice_version="1", consent_at=utcnow()))


def test_a_department_has_two_seats(db, department, register):
    register(Seat.of_department(department, 1), 1)
    register(Seat.of_department(department, 2), 2)
    with pytest.raises(DomainError):
        Seat.of_department(department, 3)
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.add(Contact(kind="department", province_code=NGHE_AN, department_id=department.id, seat=3,
                                   full_name="X", phone="+84912345670", email="x@x.vn", notice_version="1",
                                   consent_at=utcnow()))


def test_replacing_a_person_erases_the_cccd_and_keeps_history_without_it(db, commune, register):
    contact = register(Seat.of_commune(commune), 1, cccd="001234567890")
    save_seat(None, Seat.of_commune(commune), person(2), contact.version, is_replacement=True)
    assert contact.cccd is None and contact.full_name == "Nguyễn Văn Thử 2"
    history = services.seat_history(Seat.of_commune(commune))
    assert [h.action for h in history] == ["replace", "create"]
    assert history[0].changes["full_name"] == ["Nguyễn Văn Thử 1", "Nguyễn Văn Thử 2"]
    assert history[0].changes["cccd"] == ["set", "erased"]
    assert all("001234567890" not in str(h.changes) for h in history)


def test_an_edit_with_an_empty_cccd_keeps_the_stored_one(db, commune, register):
    contact = register(Seat.of_commune(commune), 1, cccd="001234567890")
    save_seat(None, Seat.of_commune(commune), person(1, position="Trưởng phòng"), contact.version)
    assert contact.cccd == "001234567890"


def test_one_person_cannot_hold_two_commune_seats_unless_allowed(db, register):
    first, second = factories.first_commune(NGHE_AN), factories.first_commune(1)
    contact = register(Seat.of_commune(first), 7)
    with pytest.raises(DomainError) as refused:
        register(Seat.of_commune(second), 7)
    assert refused.value.field == "email"
    other = register(Seat.of_commune(second), 8)
    services.allow_shared_person(factories.create_user("admin"), other, True)
    save_seat(None, Seat.of_commune(second), person(7), other.version)
    assert other.email == contact.email


def test_entries_after_the_deadline_are_marked_late(app, db, commune, department, register):
    app.config["CONTACTS_DEADLINE"] = (utcnow() + timedelta(days=3)).isoformat()
    try:
        on_time = register(Seat.of_department(department, 1), 1)
        assert services.days_left() in (2, 3)
    finally:
        app.config["CONTACTS_DEADLINE"] = "2026-01-16T23:59:00+07:00"
    late = register(Seat.of_commune(commune), 2)
    assert not on_time.is_late and late.is_late
    assert services.days_left() < 0


def test_removal_frees_the_seat_and_is_recorded(db, commune, register):
    admin = factories.create_user("admin")
    contact = register(Seat.of_commune(commune), 1)
    services.remove_contact(admin, contact, contact.version)
    assert services.seat_contact(Seat.of_commune(commune)) is None
    assert db.session.scalar(select(ContactChange.action).order_by(ContactChange.id.desc()).limit(1)) == "remove"


def test_full_cccd_only_for_admins_with_a_reason_and_logged(db, commune, register):
    from portal.audit.models import AuditEvent

    contact = register(Seat.of_commune(commune), 1, cccd="001234567890")
    with pytest.raises(DomainError):
        services.reveal_cccd(factories.create_user("coordinator"), contact, "cần xem")
    with pytest.raises(DomainError):
        services.reveal_cccd(factories.create_user("admin"), contact, "")
    assert services.reveal_cccd(factories.create_user("admin"), contact, "cấp tài khoản") == "001234567890"
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "contact.cccd_view")).scalar_one()
    assert event.detail == "cấp tài khoản" and "001234567890" not in event.detail + event.target
