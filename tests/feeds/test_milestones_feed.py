"""/feeds/milestones.ics: the transition's key dates as all-day events, read back with icalendar, vobject and
ical.js as subscribers' calendars would."""
import json
import os
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
import vobject
from icalendar import Calendar
from sqlalchemy import select

from portal.feeds import services as feeds
from portal.milestones import services
from portal.milestones.models import Milestone
from portal.milestones.services import MilestoneInput

URL = "/feeds/milestones.ics"


def events_of(data: bytes) -> dict:
    return {str(e["UID"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def by_day(db, day: date) -> Milestone:
    return db.session.execute(select(Milestone).where(Milestone.day == day)).scalar_one()


def test_each_key_date_is_an_all_day_event_in_vietnamese(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'inline; filename="moc-thoi-gian-trien-khai.ics"'
    assert "Content-Encoding" not in response.headers
    calendar = Calendar.from_ical(response.data)
    for name in ("VERSION", "PRODID", "X-WR-CALNAME", "NAME", "X-WR-TIMEZONE", "REFRESH-INTERVAL", "X-PUBLISHED-TTL"):
        assert calendar.get(name) is not None, name
    assert str(calendar["X-WR-CALNAME"]) == "Mốc thời gian triển khai TTHC"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"] and b"COMMENT" not in response.data
    milestones = db.session.execute(select(Milestone).order_by(Milestone.day)).scalars().all()
    events = events_of(response.data)
    assert set(events) == {f"milestone-{m.id}@portal.test" for m in milestones}
    assert response.data.count(b"DTSTART;VALUE=DATE:") == response.data.count(b"DTEND;VALUE=DATE:") == len(milestones)
    for milestone in milestones:
        event = events[f"milestone-{milestone.id}@portal.test"]
        assert event.decoded("DTSTART") == milestone.day and event.decoded("DTEND") == milestone.day + timedelta(days=1)
        assert str(event["TRANSP"]) == "TRANSPARENT" and int(event["SEQUENCE"]) == 0
        assert str(event["SUMMARY"]) == milestone.title_vi
        assert event.decoded("DTSTAMP") == event.decoded("LAST-MODIFIED") == milestone.updated_at.replace(microsecond=0)
    contacts_due = events[f"milestone-{by_day(db, date(2026, 1, 16)).id}@portal.test"]
    description = str(contacts_due["DESCRIPTION"])
    assert "Tỉnh, thành phố: Tổng hợp danh sách cán bộ đầu mối theo Phụ lục 3" in description
    assert "Xã, phường, đặc khu: Cử 01 cán bộ quản trị hệ thống" in description
    assert str(contacts_due["URL"]) == "https://portal.test/"
    parsed = vobject.readOne(response.data.decode("utf-8"))
    assert {e.dtstart.value for e in parsed.vevent_list} == {m.day for m in milestones}


def test_a_date_without_duties_has_only_its_link_and_english_never_shows(client, db, admin):
    added = services.save(admin, None, MilestoneInput(day=date(2026, 3, 2), title_vi="Mốc trống",
                                                      title_en="Empty milestone"))
    event = events_of(client.get(URL).data)[f"milestone-{added.id}@portal.test"]
    assert str(event["SUMMARY"]) == "Mốc trống"
    assert str(event["DESCRIPTION"]) == "Chi tiết: https://portal.test/"


def test_the_body_is_byte_identical_until_a_date_changes_then_its_sequence_grows(client, db, admin):
    first = client.get(URL)
    again = client.get(URL)
    assert first.data == again.data and first.headers["ETag"] == again.headers["ETag"]
    milestone = by_day(db, date(2026, 4, 28))
    uid = f"milestone-{milestone.id}@portal.test"
    services.save(admin, milestone, MilestoneInput(day=date(2026, 4, 30), title_vi=milestone.title_vi,
                                                   title_en=milestone.title_en))
    changed = client.get(URL)
    assert changed.data != first.data and changed.headers["ETag"] != first.headers["ETag"]
    assert changed.last_modified >= first.last_modified
    event = events_of(changed.data)[uid]  # the same UID: calendars move their event, they do not add one
    assert event.decoded("DTSTART") == date(2026, 4, 30) and int(event["SEQUENCE"]) == 1
    assert event.decoded("LAST-MODIFIED") >= events_of(first.data)[uid].decoded("LAST-MODIFIED")


def test_an_edit_through_the_admin_page_reaches_the_feed_at_once(app, client, db, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "DATA_CLOCK_SECONDS", 60)  # as a busy process keeps its reading
    first = client.get(URL)
    login_as("admin")
    milestone = by_day(db, date(2026, 6, 30))
    data = {"day": "2026-06-30", "title_vi": "Dừng hệ thống cấp tỉnh (đã xác nhận)"}
    assert client.post(f"/milestones/{milestone.id}/edit", data=data).status_code == 302
    client.delete_cookie("session")
    changed = client.get(URL, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    event = events_of(changed.data)[f"milestone-{milestone.id}@portal.test"]
    assert str(event["SUMMARY"]) == "Dừng hệ thống cấp tỉnh (đã xác nhận)" and int(event["SEQUENCE"]) == 1


def test_a_deleted_date_leaves_the_feed(client, db, admin):
    milestone = by_day(db, date(2026, 2, 8))
    first = client.get(URL)
    services.delete(admin, milestone)
    later = client.get(URL)
    assert f"milestone-{milestone.id}@portal.test" not in events_of(later.data)
    assert later.last_modified >= first.last_modified


def test_304_for_if_none_match_and_if_modified_since_without_generation(client, db, monkeypatch):
    first = client.get(URL)
    calls = []
    monkeypatch.setattr(feeds, "milestones_bytes", lambda: calls.append(1) or b"")
    by_etag = client.get(URL, headers={"If-None-Match": first.headers["ETag"]})
    by_date = client.get(URL, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.data == b"" and by_etag.headers["ETag"] == first.headers["ETag"] and calls == []


def test_a_session_change_does_not_regenerate_the_milestones_feed(client, db, make_session, monkeypatch):
    client.get(URL)
    make_session()  # ticks the plan's clock, not the milestones'
    monkeypatch.setattr(feeds, "milestones_bytes", lambda: pytest.fail("regenerated"))
    assert client.get(URL).status_code == 200


def test_the_feed_is_generated_in_one_query(client, db, count_queries):
    with count_queries() as statements:
        client.get(URL)
    assert len([s for s in statements if "FROM milestones" in s]) == 1


def test_the_subscribe_page_offers_the_feed(client, db):
    page = client.get("/feeds/").get_data(as_text=True)
    assert 'value="https://portal.test/feeds/milestones.ics"' in page
    assert 'value="webcal://portal.test/feeds/milestones.ics"' in page


def test_the_feed_parses_in_ical_js_as_all_day_events(client, db, admin):
    """ical.js (Thunderbird's parser) reads every key date as an all-day event, before and after an edit."""
    folder = os.environ.get("ICALJS")
    if not (folder and shutil.which("node")):
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but node or ICALJS (a folder with ical.js installed) is missing")
        pytest.skip("set ICALJS to a folder where `npm install ical.js` ran, and have node")
    script = Path(__file__).with_name("parse_feed.cjs")

    def parsed() -> dict:
        output = subprocess.run(["node", str(script)], input=client.get(URL).data.decode(), capture_output=True,
                                text=True, check=True, env={**os.environ, "ICALJS": folder}).stdout
        return {event["uid"]: event for event in json.loads(output)}

    milestone = by_day(db, date(2026, 1, 19))
    uid = f"milestone-{milestone.id}@portal.test"
    before = parsed()
    assert len(before) == 6 and all(e["allDay"] and e["transp"] == "TRANSPARENT" and e["timezones"] == 1
                                    for e in before.values())
    assert (before[uid]["start"], before[uid]["end"], before[uid]["sequence"]) == ("2026-01-19", "2026-01-20", 0)
    assert before[uid]["summary"] == milestone.title_vi and "Phụ lục 2" in before[uid]["description"]
    services.save(admin, milestone, MilestoneInput(day=date(2026, 1, 20), title_vi=milestone.title_vi))
    after = parsed()[uid]
    assert (after["start"], after["end"], after["sequence"]) == ("2026-01-20", "2026-01-21", 1)
