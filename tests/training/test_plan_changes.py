"""The public changelog: what it records (and does not), its page, and what that page costs."""
from datetime import timedelta

from sqlalchemy import func, select

from portal.training.models import PlanChange
from portal.training.services import as_input, cancel_session, restore_session, save_session


def kinds(db, session) -> list[str]:
    return db.session.execute(select(PlanChange.kind).where(PlanChange.session_id == session.id)
                              .order_by(PlanChange.id)).scalars().all()


def test_a_new_session_is_recorded_with_its_time_and_place(db, make_session):
    session = make_session()
    change = db.session.execute(select(PlanChange).where(PlanChange.session_id == session.id)).scalar_one()
    assert change.kind == "new" and change.after["meeting_url"] == "https://hop.tthc.gov.vn/phong-1"
    assert change.after["starts_at"] == session.starts_at.isoformat()


def test_time_place_cancel_and_restore_are_each_recorded_and_untouched_fields_are_not(db, admin, make_session):
    session = make_session()
    data = as_input(session)
    data.title, data.capacity = "Tên mới", 80
    save_session(admin, session, data)
    assert kinds(db, session) == ["new"]
    data.starts_at, data.ends_at = data.starts_at + timedelta(days=1), data.ends_at + timedelta(days=1)
    save_session(admin, session, data)
    data.mode, data.venue = "both", "Hội trường Sở VHTTDL Nghệ An"
    save_session(admin, session, data)
    cancel_session(admin, session, "Trùng lịch họp tỉnh")
    restore_session(admin, session)
    assert kinds(db, session) == ["new", "time", "place", "cancelled", "restored"]
    time_change, place_change, cancelled = db.session.execute(
        select(PlanChange).where(PlanChange.session_id == session.id, PlanChange.kind != "new")
        .order_by(PlanChange.id)).scalars().all()[:3]
    assert time_change.before["starts_at"] < time_change.after["starts_at"]
    assert place_change.before == {"mode": "online", "venue": "", "meeting_url": "https://hop.tthc.gov.vn/phong-1"}
    assert place_change.after["venue"] == "Hội trường Sở VHTTDL Nghệ An"
    assert cancelled.after == {"reason": "Trùng lịch họp tỉnh"}


def test_a_rolled_back_change_records_nothing(db, make_session):
    session = make_session()
    before = db.session.scalar(select(func.count(PlanChange.id)))
    session.starts_at += timedelta(hours=1)
    db.session.flush()
    assert db.session.scalar(select(func.count(PlanChange.id))) == before + 1
    db.session.rollback()
    assert db.session.scalar(select(func.count(PlanChange.id))) == before


def test_the_changelog_is_public_dated_and_free_of_personal_data(client, db, admin, trainer, make_session):
    session = make_session(venue="Hội trường A", mode="both")
    cancel_session(admin, session, "Trùng lịch")
    body = client.get("/training/public/changes").get_data(as_text=True)
    assert "Trùng lịch" in body and f"/training/public/sessions/{session.id}" in body
    assert "12/01/2026" in body  # the frozen clock's day, in Vietnam time
    assert body.index("Trùng lịch") < body.index("Buổi mới")  # newest first
    assert trainer.email not in body
    assert "/training/public/changes" in client.get("/training/public").get_data(as_text=True)


def test_an_empty_changelog_says_so(client):
    assert "Kế hoạch chưa thay đổi" in client.get("/training/public/changes").get_data(as_text=True)


def test_the_changelog_costs_a_constant_number_of_queries(client, make_session, count_queries):
    make_session()
    with count_queries() as few:
        assert client.get("/training/public/changes").status_code == 200
    for day in ("2026-01-21", "2026-01-22", "2026-01-23", "2026-01-26"):
        make_session(day=day, province_codes=(1, 40))
    with count_queries() as more:
        assert client.get("/training/public/changes").status_code == 200
    assert len(more) == len(few) <= 6
