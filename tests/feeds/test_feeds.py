"""The feeds, checked with icalendar and with vobject, an independent parser, as calendar clients would."""
from datetime import datetime, timezone

import pytest
import vobject
from icalendar import Calendar

from portal.feeds import services as feeds
from portal.training import enrolment
from portal.training.services import cancel_session, save_session
from tests import factories
from tests.factories import HA_NOI, NGHE_AN, session_input


@pytest.fixture
def plan(db, admin, trainer, make_session):
    """Two sessions: Nghệ An's commune training at 08:00 on 19/01/2026, and Hà Nội's cadres in the afternoon."""
    first = make_session(day="2026-01-19", starts="08:00", ends="11:30", title="Tập huấn quản trị hệ thống cấp xã")
    second = make_session(day="2026-01-19", starts="13:30", ends="17:00", audience="department",
                          province_codes=[HA_NOI], title="Tập huấn cán bộ Sở Hà Nội",
                          mode="in_person", meeting_url="", venue="Hội trường Sở VH&TT Hà Nội")
    return first, second


def parse_both(data: bytes):
    return Calendar.from_ical(data), vobject.readOne(data.decode("utf-8"))


def test_the_plan_feed_has_what_subscribers_need(client, plan):
    response = client.get("/feeds/plan.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'inline; filename="ke-hoach-tap-huan.ics"'
    assert "Content-Encoding" not in response.headers
    calendar, parsed = parse_both(response.data)
    for name in ("VERSION", "PRODID", "X-WR-CALNAME", "NAME", "X-WR-TIMEZONE", "REFRESH-INTERVAL", "X-PUBLISHED-TTL"):
        assert calendar.get(name) is not None, name
    assert str(calendar["X-WR-CALNAME"]) == "Kế hoạch tập huấn TTHC"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in response.data
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    assert b"COMMENT" not in response.data
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    first = events[f"session-{plan[0].id}@portal.test"]
    assert first.decoded("DTSTART").astimezone(timezone.utc) == datetime(2026, 1, 19, 1, 0, tzinfo=timezone.utc)
    assert str(first["STATUS"]) == "CONFIRMED" and int(first["SEQUENCE"]) == 0
    assert str(first["SUMMARY"]) == "Tập huấn quản trị hệ thống cấp xã"
    assert "Nghệ An" in str(first["DESCRIPTION"]) and "Giảng Viên Một" in str(first["DESCRIPTION"])
    assert f"https://portal.test/training/public/sessions/{plan[0].id}" in str(first["DESCRIPTION"])
    assert str(first["URL"]) == "https://hop.tthc.gov.vn/phong-1"
    assert {str(c) for c in first["CATEGORIES"].cats} == {"Cán bộ quản trị cấp xã", "Nghệ An"}
    assert first.decoded("DTSTAMP") == first.decoded("LAST-MODIFIED") == plan[0].updated_at.replace(microsecond=0)
    second = events[f"session-{plan[1].id}@portal.test"]
    assert str(second["LOCATION"]) == "Hội trường Sở VH&TT Hà Nội"
    by_uid = {e.uid.value: e for e in parsed.vevent_list}
    assert by_uid[f"session-{plan[0].id}@portal.test"].dtstart.value.astimezone(timezone.utc).hour == 1
    assert by_uid[f"session-{plan[1].id}@portal.test"].summary.value == "Tập huấn cán bộ Sở Hà Nội"
    long_line = by_uid[f"session-{plan[0].id}@portal.test"].description.value
    assert "Tỉnh/thành phố: Nghệ An" in long_line  # Vietnamese intact after folding


def test_the_body_is_byte_identical_until_something_changes(client, plan, admin, trainer):
    first = client.get("/feeds/plan.ics")
    again = client.get("/feeds/plan.ics")
    assert first.data == again.data and first.headers["ETag"] == again.headers["ETag"]
    save_session(admin, plan[0], session_input([trainer.id], day="2026-01-19", starts="08:30", ends="11:30",
                                               title="Tập huấn quản trị hệ thống cấp xã"))
    changed = client.get("/feeds/plan.ics")
    assert changed.data != first.data and changed.headers["ETag"] != first.headers["ETag"]
    assert changed.last_modified >= first.last_modified


def test_304_for_if_none_match_and_if_modified_since(client, plan, monkeypatch):
    first = client.get("/feeds/plan.ics")
    calls = []
    monkeypatch.setattr(feeds, "feed_bytes", lambda *args: calls.append(args) or b"")
    by_etag = client.get("/feeds/plan.ics", headers={"If-None-Match": first.headers["ETag"]})
    by_date = client.get("/feeds/plan.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.data == b"" and calls == []  # no generation for a 304


def test_a_cancelled_session_stays_with_a_higher_sequence(client, plan, admin):
    before = Calendar.from_ical(client.get("/feeds/plan.ics").data)
    sequence = {str(e["UID"]): int(e["SEQUENCE"]) for e in before.walk("VEVENT")}
    cancel_session(admin, plan[0], "Tỉnh đề nghị dời lịch")
    after = Calendar.from_ical(client.get("/feeds/plan.ics").data)
    event = next(e for e in after.walk("VEVENT") if str(e["UID"]) == f"session-{plan[0].id}@portal.test")
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == sequence[str(event["UID"])] + 1
    assert "Tỉnh đề nghị dời lịch" in str(event["DESCRIPTION"])


def test_last_modified_never_goes_back_even_when_a_session_is_deleted(client, db, plan):
    first = client.get("/feeds/plan.ics")
    db.session.delete(plan[1])
    db.session.commit()
    later = client.get("/feeds/plan.ics")
    assert later.last_modified >= first.last_modified and later.data != first.data


def test_province_audience_and_trainer_feeds_hold_their_sessions(client, plan, trainer):
    def uids(url):
        return {str(e["UID"]).split("@")[0] for e in Calendar.from_ical(client.get(url).data).walk("VEVENT")}

    assert uids(f"/feeds/provinces/{NGHE_AN}.ics") == {f"session-{plan[0].id}"}
    assert uids("/feeds/audiences/department.ics") == {f"session-{plan[1].id}"}
    assert uids(f"/feeds/trainers/{trainer.id}.ics") == {f"session-{plan[0].id}", f"session-{plan[1].id}"}
    assert client.get("/feeds/audiences/nobody.ics").status_code == 404


def test_public_feeds_carry_no_personal_data(client, db, plan, admin, commune_contacts):
    people = commune_contacts(2)
    enrolment.enrol(admin, plan[0], people)
    for url in ("/feeds/plan.ics", f"/feeds/provinces/{NGHE_AN}.ics", "/feeds/audiences/commune.ics"):
        body = client.get(url).data.decode()
        for contact in people:
            assert contact.email not in body and contact.full_name not in body
        assert "@" not in body.replace("@portal.test", "")


def test_the_personal_feed_lives_as_long_as_its_token(client, login_as, db, plan, admin, commune_contacts):
    person = commune_contacts(1, province_code=HA_NOI)[0]
    user = login_as("viewer")
    user.email = person.email
    db.session.commit()
    second = save_session(admin, None, session_input([plan[0].trainers[0].id], province_codes=[HA_NOI],
                                                     day="2026-01-21"))
    enrolment.enrol(admin, second, [person])
    page = client.post("/feeds/me").get_data(as_text=True)
    token = page.split("/feeds/me/")[1].split(".ics")[0]
    assert feeds.token_hash(token) != token and len(token) >= 22
    body = client.get(f"/feeds/me/{token}.ics").data.decode()
    assert f"session-{second.id}@" in body and f"session-{plan[0].id}@" not in body
    client.post("/feeds/me/revoke", follow_redirects=True)  # the confirmation is shown, then gone
    revoked = client.get(f"/feeds/me/{token}.ics")
    unknown = client.get("/feeds/me/not-a-token.ics")
    assert revoked.status_code == unknown.status_code == 404
    assert revoked.data.replace(token.encode(), b"not-a-token") == unknown.data  # nothing tells them apart


def test_subscribe_page_offers_https_webcal_and_a_qr_code(client, plan):
    page = client.get("/feeds/").get_data(as_text=True)
    assert 'value="https://portal.test/feeds/plan.ics"' in page
    assert 'value="webcal://portal.test/feeds/plan.ics"' in page
    assert "<svg" in page and "Thunderbird" in page and "Outlook" in page


def test_a_session_page_offers_its_own_event_and_google_calendar(client, login_as, plan):
    login_as("viewer")
    page = client.get(f"/training/sessions/{plan[0].id}").get_data(as_text=True)
    assert f"/feeds/sessions/{plan[0].id}.ics" in page
    assert "calendar.google.com/calendar/render?action=TEMPLATE" in page and "20260119T010000Z" in page
    single = client.get(f"/feeds/sessions/{plan[0].id}.ics")
    calendar, parsed = parse_both(single.data)
    assert len(calendar.walk("VEVENT")) == 1 and parsed.vevent.uid.value.startswith(f"session-{plan[0].id}@")


def test_a_feed_is_generated_in_one_query(client, plan, count_queries):
    with count_queries() as statements:
        client.get(f"/feeds/provinces/{NGHE_AN}.ics")
    feed_queries = [s for s in statements if "FROM training_sessions" in s]
    assert len(feed_queries) == 1


def test_a_personal_feed_follows_its_owner_becoming_a_registered_contact(client, login_as, db, plan, admin,
                                                                        commune_contacts):
    user = login_as("viewer")
    token = client.post("/feeds/me").get_data(as_text=True).split("/feeds/me/")[1].split(".ics")[0]
    assert b"VEVENT" not in client.get(f"/feeds/me/{token}.ics").data
    person = commune_contacts(1)[0]
    enrolment.enrol(admin, plan[0], [person])
    assert b"VEVENT" not in client.get(f"/feeds/me/{token}.ics").data  # someone else is enrolled
    person.email = user.email  # the contact's e-mail now names this account: no plan change at all
    db.session.commit()
    assert f"session-{plan[0].id}@".encode() in client.get(f"/feeds/me/{token}.ics").data


def test_an_attendee_line_is_folded_at_75_octets_and_reads_back_whole():
    from icalendar import Calendar

    from portal.feeds.ical import attendee_line

    name = 'Nguyễn Thị "Hồng" Nhung; Trưởng phòng Văn hóa, Thông tin: xã An Châu, tỉnh Nghệ An'
    line = attendee_line(name, "nhung.nguyen@anchau.nghean.gov.vn")
    assert all(len(part) <= 75 for part in line.split(b"\r\n")) and line.count(b"\r\n ") >= 1
    text = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20260101T000000Z\r\n"
            + line + b"END:VEVENT\r\nEND:VCALENDAR\r\n")
    attendee = Calendar.from_ical(text).walk("VEVENT")[0]["ATTENDEE"]
    assert str(attendee) == "mailto:nhung.nguyen@anchau.nghean.gov.vn"
    assert attendee.params["CN"] == name.replace('"', "") and attendee.params["RSVP"] == "FALSE"
