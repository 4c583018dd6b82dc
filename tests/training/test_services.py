"""Sessions, conflicts, revisions, notices, enrolment with its waiting list, attendance and coverage."""
from datetime import date

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.access import contact_provinces
from portal.core.errors import DomainError
from portal.training import enrolment, services
from portal.training.services import ConflictWarnings, save_session
from tests import factories
from tests.factories import HA_NOI, NGHE_AN
from tests.factories import session_input


def test_a_session_is_stored_in_utc_and_ending_before_starting_is_refused(admin, trainer, make_session):
    session = make_session()
    assert session.starts_at.isoformat() == "2026-01-20T01:00:00+00:00"
    with pytest.raises(DomainError) as refused:
        save_session(admin, None, session_input([trainer.id], starts="10:00", ends="09:00"))
    assert refused.value.field == "ends_at"


def test_a_double_booked_trainer_and_a_province_clash_are_warned(admin, trainer, make_session):
    make_session()
    with pytest.raises(ConflictWarnings) as warned:
        save_session(trainer, None, session_input([trainer.id], starts="10:00", ends="12:00"))
    text = " ".join(str(w) for w in warned.value.warnings)
    assert "Giảng Viên Một" in text and "Nghệ An" in text


@pytest.mark.parametrize("day", ["2026-01-24", "2026-02-17"])  # a Saturday, and Tết
def test_weekends_and_tet_are_warned(trainer, day):
    with pytest.raises(ConflictWarnings):
        save_session(trainer, None, session_input([trainer.id], day=day))


def test_only_an_admin_overrides_with_a_reason(db, admin, trainer):
    data = session_input([trainer.id], day="2026-01-24")
    with pytest.raises(ConflictWarnings):
        save_session(admin, None, data)
    with pytest.raises(ConflictWarnings):
        save_session(trainer, None, data, override_reason="học bù")
    session = save_session(admin, None, data, override_reason="Tỉnh xin học bù thứ Bảy")
    assert session.override_reason == "Tỉnh xin học bù thứ Bảy"
    assert db.session.execute(select(AuditEvent).where(AuditEvent.action == "training.override")).scalar_one()


def test_time_and_place_changes_raise_the_revision_and_notify(admin, trainer, make_session, commune_contacts, outbox):
    session = make_session()
    enrolment.enrol(admin, session, commune_contacts(2))
    assert len(outbox()) == 2  # the seat confirmations
    outbox().clear()
    factories.create_user("coordinator", province_code=NGHE_AN, email="dp@nghean.gov.vn")
    save_session(admin, session, session_input([trainer.id], title="Tên mới"))
    assert session.revision == 0 and session.status == "scheduled" and outbox() == []
    save_session(admin, session, session_input([trainer.id], starts="13:30", ends="17:00"))
    assert session.revision == 1 and session.status == "changed"
    assert sorted(m.to[0] for m in outbox()) == ["dp@nghean.gov.vn", "nguoi40000@xa.gov.vn", "nguoi40001@xa.gov.vn"]
    assert "20/01/2026 08:00–11:30" in outbox()[0].body and "20/01/2026 13:30–17:00" in outbox()[0].body


def test_cancelling_keeps_the_session_with_a_higher_revision(admin, make_session, outbox):
    session = make_session()
    with pytest.raises(DomainError):
        services.cancel_session(admin, session, " ")
    services.cancel_session(admin, session, "Trùng lịch họp của tỉnh")
    assert session.status == "cancelled" and session.revision == 1
    [shown] = services.plan_week(date(2026, 1, 19), services.PlanFilters())
    assert (shown.id, shown.is_cancelled, shown.cancel_reason) == (session.id, True, "Trùng lịch họp của tỉnh")


def test_capacity_fills_then_the_waiting_list_takes_freed_seats_in_order(admin, make_session, commune_contacts):
    session = make_session(capacity=2)
    people = commune_contacts(4)
    assert enrolment.enrol(admin, session, people) == (2, 2)
    waiting = [e for e in enrolment.roster(session) if e.status == "waiting"]
    first_waiting = min(waiting, key=lambda e: e.id)
    confirmed = next(e for e in enrolment.roster(session) if e.status == "enrolled")
    left = confirmed.contact_id
    enrolment.withdraw(confirmed)
    assert first_waiting.status == "enrolled" and session.enrolled == 2
    assert enrolment.enrol(admin, session, [p for p in people if p.id != left]) == (0, 0)  # already in: skipped


def test_raising_the_capacity_promotes_people_waiting(admin, trainer, make_session, commune_contacts):
    session = make_session(capacity=1)
    enrolment.enrol(admin, session, commune_contacts(3))
    save_session(admin, session, session_input([trainer.id], capacity=3))
    assert session.enrolled == 3
    with pytest.raises(DomainError):
        save_session(admin, session, session_input([trainer.id], capacity=2))


def test_only_contacts_of_the_served_provinces_and_audience_enrol(admin, make_session, commune_contacts, department, register):
    from portal.contacts.services import Seat

    session = make_session()
    with pytest.raises(DomainError):
        enrolment.enrol(admin, session, commune_contacts(1, province_code=HA_NOI))
    cadre = register(Seat.of_department(department, 1), 9)
    with pytest.raises(DomainError):
        enrolment.enrol(admin, session, [cadre])


def test_attendance_and_coverage(admin, make_session, commune_contacts):
    session = make_session()
    people = commune_contacts(3)
    enrolment.enrol(admin, session, people)
    entries = enrolment.roster(session)
    assert enrolment.mark_attendance(session, {entries[0].id: "present", entries[1].id: "excused"}) == 2
    with pytest.raises(DomainError):
        enrolment.mark_attendance(session, {entries[2].id: "maybe"})
    rows = {row.province_code: row for row in enrolment.coverage(contact_provinces(admin))}
    assert (rows[NGHE_AN].registered, rows[NGHE_AN].attended) == (3, 1)


def test_rosters_follow_vietnamese_name_order(db, admin, make_session, commune_contacts):
    session = make_session()
    people = commune_contacts(3)
    for contact, name in zip(people, ("Vũ Văn An", "Đặng Thị Bình", "Dương Văn Cường")):
        contact.full_name = name
    db.session.commit()
    enrolment.enrol(admin, session, people)
    assert [e.contact.full_name for e in enrolment.roster(session)] == ["Dương Văn Cường", "Đặng Thị Bình", "Vũ Văn An"]
