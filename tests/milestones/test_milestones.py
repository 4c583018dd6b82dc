"""The transition calendar: seeded from the letters, kept by admins (validated, audited), read by every role."""
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import ROLES
from portal.core.errors import DomainError
from portal.milestones import services
from portal.milestones.models import Milestone
from portal.milestones.services import MilestoneInput
from tests import factories
from tests.conftest import start_session

LETTER_DAYS = [date(2026, 1, 1), date(2026, 1, 16), date(2026, 1, 19), date(2026, 2, 8), date(2026, 4, 28),
               date(2026, 6, 30)]


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def form(**overrides) -> dict:
    values = {"day": "2026-03-15", "title_vi": "Hạn gửi báo cáo quý I", "title_en": "First quarter report due",
              "for_departments": "", "for_departments_en": "", "for_communes": "Gửi số liệu về tỉnh.",
              "for_communes_en": "Send the figures to the province.", "for_provinces": "Tổng hợp, gửi Bộ.",
              "for_provinces_en": ""}
    values.update(overrides)
    return values


def exists(db, milestone_id: int) -> bool:
    return db.session.scalar(select(func.count()).where(Milestone.id == milestone_id)) == 1


def by_day(db, day: date) -> Milestone | None:
    return db.session.execute(select(Milestone).where(Milestone.day == day)).scalar_one_or_none()


def test_the_migration_seeds_the_six_dates_of_the_letters_in_both_languages(db):
    seeded = db.session.execute(select(Milestone).order_by(Milestone.day)).scalars().all()
    assert [m.day for m in seeded] == LETTER_DAYS  # Tết is a holiday of the plan, not a date of the transition
    assert all(m.title_vi and m.title_en and m.sequence == 0 for m in seeded)
    qlvb = by_day(db, date(2026, 4, 28))
    assert "QLVB" in qlvb.title_vi and "QLVB" in qlvb.for_provinces and qlvb.for_communes == ""
    utilities = by_day(db, date(2026, 2, 8))
    assert "SMS Brandname" in utilities.for_provinces and "configure the utilities" in utilities.for_provinces_en
    assert "30/6/2026" in by_day(db, date(2026, 6, 30)).for_provinces


def test_english_falls_back_to_vietnamese_when_empty():
    milestone = Milestone(day=date(2026, 5, 1), title_vi="Mốc", title_en="", for_communes="Việc của xã",
                          for_communes_en="")
    assert milestone.title("en") == milestone.title("vi") == "Mốc"
    assert milestone.duty("communes", "en") == "Việc của xã"
    milestone.title_en, milestone.for_communes_en = "Milestone", "The commune's task"
    assert milestone.title("en") == "Milestone" and milestone.duty("communes", "en") == "The commune's task"
    assert milestone.title("vi") == "Mốc" and milestone.duty("communes", "vi") == "Việc của xã"


@pytest.mark.parametrize("details, field", [
    (MilestoneInput(day=None, title_vi="Mốc"), "day"),
    (MilestoneInput(day=date(1999, 12, 31), title_vi="Mốc"), "day"),
    (MilestoneInput(day=date(2026, 3, 15), title_vi="   "), "title_vi"),
    (MilestoneInput(day=date(2026, 3, 15), title_vi="x" * 201), "title_vi"),
    (MilestoneInput(day=date(2026, 3, 15), title_vi="Mốc", title_en="x" * 201), "title_en"),
    (MilestoneInput(day=date(2026, 3, 15), title_vi="Mốc", duties={"for_communes_en": "x" * 1001}), "for_communes_en"),
    (MilestoneInput(day=date(2026, 1, 16), title_vi="Trùng ngày"), "day"),
])
def test_bad_input_is_refused_with_its_field_and_writes_nothing(db, admin, details, field):
    before = count(db, Milestone), count(db, AuditEvent)
    with pytest.raises(DomainError) as refused:
        services.save(admin, None, details)
    db.session.rollback()
    assert refused.value.field == field
    assert (count(db, Milestone), count(db, AuditEvent)) == before


def test_moving_a_date_onto_another_is_refused_and_the_date_stays(db, admin):
    moved = by_day(db, date(2026, 1, 19))
    with pytest.raises(DomainError) as refused:
        services.save(admin, moved, MilestoneInput(day=date(2026, 1, 16), title_vi=moved.title_vi))
    db.session.rollback()
    assert "16/01/2026" in str(refused.value.message)
    assert db.session.get(Milestone, moved.id).day == date(2026, 1, 19)


def test_a_new_day_or_title_raises_the_sequence_a_duty_does_not(db, admin):
    milestone = by_day(db, date(2026, 4, 28))
    same = MilestoneInput(day=milestone.day, title_vi=milestone.title_vi, title_en=milestone.title_en,
                          duties={"for_provinces": "Báo cáo trước 17 giờ."})
    services.save(admin, milestone, same)
    assert milestone.sequence == 0 and milestone.for_provinces == "Báo cáo trước 17 giờ."
    assert milestone.for_departments == ""  # the form sends every duty: an empty one is emptied
    services.save(admin, milestone, MilestoneInput(day=date(2026, 4, 29), title_vi=milestone.title_vi))
    assert milestone.sequence == 1
    services.save(admin, milestone, MilestoneInput(day=date(2026, 4, 29), title_vi="Báo cáo QLVB"))
    assert milestone.sequence == 2


def test_titles_are_one_line_and_duties_keep_their_lines(db, admin):
    saved = services.save(admin, None, MilestoneInput(day=date(2026, 3, 1), title_vi="  Hạn \n  gửi   báo cáo ",
                                                      duties={"for_communes": " Một.\r\nHai. "}))
    assert saved.title_vi == "Hạn gửi báo cáo" and saved.for_communes == "Một.\nHai."


def test_the_admin_adds_edits_and_deletes_a_date_each_audited(client, login_as, db):
    login_as("admin")
    assert client.get("/milestones/new").status_code == 200
    response = client.post("/milestones/new", data=form())
    assert response.status_code == 302 and response.location.endswith("/milestones/")
    added = by_day(db, date(2026, 3, 15))
    assert added.title_en == "First quarter report due" and added.for_communes == "Gửi số liệu về tỉnh."
    page = client.get("/milestones/").get_data(as_text=True)
    assert "Hạn gửi báo cáo quý I" in page and f"/milestones/{added.id}/edit" in page

    edit = client.get(f"/milestones/{added.id}/edit").get_data(as_text=True)
    assert 'value="2026-03-15"' in edit and "Gửi số liệu về tỉnh." in edit
    assert client.post(f"/milestones/{added.id}/edit", data=form(day="2026-03-20")).status_code == 302
    db.session.refresh(added)
    assert added.day == date(2026, 3, 20) and added.sequence == 1

    confirm = client.get(f"/milestones/{added.id}/delete").get_data(as_text=True)
    assert "20/03/2026" in confirm and "Hạn gửi báo cáo quý I" in confirm
    assert client.post(f"/milestones/{added.id}/delete", data={}).status_code == 422  # not confirmed: kept
    assert exists(db, added.id)
    assert client.post(f"/milestones/{added.id}/delete", data={"confirmed": "yes"}).status_code == 302
    assert not exists(db, added.id)
    actions = db.session.execute(select(AuditEvent.action, AuditEvent.target).where(
        AuditEvent.target == f"milestone:{added.id}").order_by(AuditEvent.id)).all()
    assert [action for action, _target in actions] == ["milestones.create", "milestones.edit", "milestones.delete"]


@pytest.mark.parametrize("overrides, message", [
    ({"day": ""}, "Enter the date."),
    ({"day": "2026-02-30"}, "Not a valid date value."),
    ({"title_vi": ""}, "Enter the title in Vietnamese."),
    ({"title_vi": "x" * 201}, "200"),
    ({"for_provinces": "x" * 1001}, "1000"),
    ({"day": "2026-01-16"}, "16/01/2026"),
])
def test_the_form_shows_what_to_fix_and_stores_nothing(client, login_as, db, overrides, message):
    login_as("admin")
    client.post("/language", data={"language": "en"})
    before = count(db, Milestone)
    response = client.post("/milestones/new", data=form(**overrides))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(db, Milestone) == before


@pytest.mark.parametrize("role", [role for role in ROLES if role != "admin"])
def test_other_roles_read_the_list_but_cannot_change_it(client, db, role):
    milestone = by_day(db, date(2026, 1, 16))
    start_session(client, factories.create_user(role))
    page = client.get("/milestones/")
    assert page.status_code == 200 and milestone.title_vi in page.get_data(as_text=True)
    assert "/milestones/new" not in page.get_data(as_text=True)
    assert f"/milestones/{milestone.id}/edit" not in page.get_data(as_text=True)
    for url in ("/milestones/new", f"/milestones/{milestone.id}/edit", f"/milestones/{milestone.id}/delete"):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data={**form(), "confirmed": "yes"}).status_code == 403, url
    db.session.refresh(milestone)
    assert milestone.day == date(2026, 1, 16) and by_day(db, date(2026, 3, 15)) is None


def test_a_visitor_is_sent_to_sign_in(client, db):
    assert "/auth/login" in client.get("/milestones/").location
    assert "/auth/login" in client.post("/milestones/new", data=form()).location
    assert by_day(db, date(2026, 3, 15)) is None


def test_a_post_without_its_csrf_token_is_refused(app, client, login_as, db):
    login_as("admin")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/milestones/new", data=form())
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400 and by_day(db, date(2026, 3, 15)) is None


@pytest.mark.parametrize("url", ["/milestones/?page=abc", "/milestones/?page=99999999999999999999",
                                 "/milestones/?page=-3"])
def test_hostile_page_numbers_are_an_ordinary_page(client, login_as, url):
    login_as("viewer")
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/milestones/999999/edit", "/milestones/99999999999999999999/edit",
                                 "/milestones/abc/edit", "/milestones/999999/delete"])
def test_unknown_ids_are_a_404(client, login_as, url):
    login_as("admin")
    assert client.get(url).status_code == 404


def test_the_list_highlights_the_next_date_and_offers_the_feed(client, login_as, db):
    login_as("viewer")
    page = client.get("/milestones/").get_data(as_text=True)
    # The tests' clock reads Monday 12/01/2026: 01/01 has passed, 16/01 is next.
    current = page.split('aria-current="date"', 1)[1].split("</li>", 1)[0]
    assert "16/01/2026" in current
    assert page.count('class="past"') == 1
    assert 'value="https://portal.test/feeds/milestones.ics"' in page
    assert 'value="webcal://portal.test/feeds/milestones.ics"' in page
