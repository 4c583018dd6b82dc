"""The key dates where people read them: the visitors' landing page (cached) and the national dashboard."""
from datetime import date

import pytest
from sqlalchemy import select

from portal.milestones import services
from portal.milestones.models import Milestone
from portal.milestones.services import MilestoneInput
from tests import factories
from tests.conftest import start_session


def by_day(db, day: date) -> Milestone:
    return db.session.execute(select(Milestone).where(Milestone.day == day)).scalar_one()


def key_dates(page: str) -> str:
    return page.split('id="dates"', 1)[1].split("</section>", 1)[0]


def test_the_landing_page_lists_the_dates_in_order_with_the_next_highlighted(client, db):
    dates = key_dates(client.get("/").get_data(as_text=True))
    days = ["01/01/2026", "16/01/2026", "19/01/2026", "08/02/2026", "28/04/2026", "30/06/2026"]
    positions = [dates.index(day) for day in days]
    assert positions == sorted(positions)
    assert "Tết" not in dates
    current = dates.split('aria-current="date"', 1)[1].split("</li>", 1)[0]
    assert "16/01/2026" in current and dates.count('aria-current="date"') == 1
    assert dates.count('<li class="past">') == 1  # the tests' clock reads 12/01/2026
    assert "Tổng hợp danh sách cán bộ đầu mối theo Phụ lục 3" in current  # what the provinces must have done
    assert 'href="webcal://portal.test/feeds/milestones.ics"' in dates
    assert 'href="https://portal.test/feeds/milestones.ics"' in dates


def test_a_date_due_today_is_the_next_not_a_past_one(db):
    marks = services.timeline(date(2026, 1, 16))
    assert [(m.milestone.day.isoformat(), m.state) for m in marks[:3]] == [
        ("2026-01-01", "past"), ("2026-01-16", "next"), ("2026-01-19", "later")]
    assert all(m.state == "past" for m in services.timeline(date(2026, 7, 1)))


def test_an_english_visitor_reads_english_and_vietnamese_where_none_is_written(client, db, admin):
    services.save(admin, None, MilestoneInput(day=date(2026, 3, 2), title_vi="Chỉ có tiếng Việt",
                                              duties={"for_communes": "Việc của xã"}))
    client.post("/language", data={"language": "en"})
    client.get("/")  # Flask-Login marks the session not fresh once: that answer is its own
    dates = key_dates(client.get("/").get_data(as_text=True))
    assert "Last day to send the list of focal contacts (Appendix 3) to the ministry." in dates
    assert "Gather the focal contacts in Appendix 3" in dates
    assert "Chỉ có tiếng Việt" in dates and "Việc của xã" in dates


@pytest.mark.parametrize("clock_kept", [False, True])
def test_an_admin_edit_shows_on_the_cached_landing_page_at_once(app, client, db, clock_kept, monkeypatch):
    if clock_kept:  # as a busy process keeps its reading within its second
        monkeypatch.setitem(app.config, "DATA_CLOCK_SECONDS", 60)
    first = client.get("/")
    again = client.get("/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304  # served from the cache
    start_session(client, factories.create_user("admin"))
    milestone = by_day(db, date(2026, 4, 28))
    data = {"day": "2026-04-29", "title_vi": "Báo cáo kết nối QLVB (dời ngày)", "title_en": "",
            "for_provinces": "Gửi báo cáo trạng thái kết nối QLVB."}
    assert client.post(f"/milestones/{milestone.id}/edit", data=data).status_code == 302
    assert client.post("/milestones/new", data={"day": "2026-05-15", "title_vi": "Mốc mới của Bộ"}).status_code == 302
    client.delete_cookie("session")
    after = client.get("/", headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != first.headers["ETag"]
    dates = key_dates(after.get_data(as_text=True))
    assert "Báo cáo kết nối QLVB (dời ngày)" in dates and "29/04/2026" in dates and "28/04/2026" not in dates
    assert "Mốc mới của Bộ" in dates and "Gửi báo cáo trạng thái kết nối QLVB." in dates


def test_a_deleted_date_leaves_the_cached_landing_page(client, db, admin):
    client.get("/")
    services.delete(admin, by_day(db, date(2026, 2, 8)))
    assert "08/02/2026" not in key_dates(client.get("/").get_data(as_text=True))


def test_the_dashboard_shows_the_latest_date_passed_and_the_next_three_in_one_query(client, login_as, db,
                                                                                   count_queries):
    login_as("admin")
    with count_queries() as statements:
        page = client.get("/reports/").get_data(as_text=True)
    block = page.split('id="next-dates"', 1)[1].split("</section>", 1)[0]
    shown = [day for day in ("01/01/2026", "16/01/2026", "19/01/2026", "08/02/2026", "28/04/2026", "30/06/2026")
             if day in block]
    assert shown == ["01/01/2026", "16/01/2026", "19/01/2026", "08/02/2026"]
    assert "16/01/2026" in block.split('aria-current="date"', 1)[1].split("</li>", 1)[0]
    assert 'href="/milestones/"' in block and "/milestones/1/edit" not in block
    assert len([s for s in statements if "FROM milestones" in s]) == 1


def test_the_dashboard_block_follows_the_day(db):
    near = services.near(date(2026, 5, 1))
    assert [m.milestone.day for m in near] == [date(2026, 4, 28), date(2026, 6, 30)]
    assert [m.state for m in near] == ["past", "next"]
    assert [m.milestone.day for m in services.near(date(2025, 12, 1))] == [
        date(2026, 1, 1), date(2026, 1, 16), date(2026, 1, 19)]
