"""Weekly and monthly reports: the change against the period before, and the ministry's "Khó khăn, đề xuất"."""
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.reports import period
from portal.reports.models import PeriodNote
from portal.training import enrolment
from tests.conftest import count_statements


def test_each_figure_shows_its_change_against_the_week_before(client, login_as, db, admin, make_session,
                                                              commune_contacts):
    people = commune_contacts(3)
    enrolment.enrol(admin, make_session(day="2026-01-13"), people[:1])
    for day in ("2026-01-20", "2026-01-21", "2026-01-22"):
        make_session(day=day)
    report = period.build(period.week_period("2026-W04"))
    assert report.previous.period.name == "2026-W03"
    assert (report.total("sessions"), report.previous.total("sessions")) == (3, 1)
    assert report.change("sessions") == ("▲", "+2")
    assert report.change("cancelled") == ("=", "không đổi")
    login_as("viewer")
    page = client.get("/reports/period?week=2026-W04").get_data(as_text=True)
    assert "+2" in page and "không đổi" in page and "Tuần 03/2026" in page
    back = period.build(period.week_period("2026-W03"))
    assert back.change("sessions") == ("▲", "+1")
    assert period.build(period.week_period("2026-W05")).change("sessions") == ("▼", "-3")


def test_a_month_compares_with_the_month_before_and_the_first_period_with_nothing(db):
    assert period.previous_period(period.month_period("2026-01")).name == "2025-12"
    assert period.previous_period(period.week_period("2026-W01")).name == "2025-W52"
    assert period.previous_period(period.month_period("2000-01")) is None
    assert period.build(period.month_period("2000-01")).change("sessions") == ("", "")


def test_the_note_round_trips_into_the_xlsx(client, login_as, db):
    login_as("admin")
    text = "Nhiều xã chưa có chữ ký số.\nĐề xuất gia hạn đến 30/01/2026."
    response = client.post("/reports/period/note?kind=weekly&week=2026-W04", data={"note": text})
    assert response.status_code == 302
    note = db.session.execute(select(PeriodNote)).scalar_one()
    assert (note.kind, note.starts_on.isoformat(), note.body) == ("weekly", "2026-01-19", text)
    assert db.session.execute(select(AuditEvent).where(AuditEvent.action == "reports.note")).scalar_one()
    assert "Nhiều xã chưa có chữ ký số." in client.get("/reports/period?week=2026-W04").get_data(as_text=True)
    workbook = load_workbook(io.BytesIO(client.get("/reports/period.xlsx?week=2026-W04").data))
    lines = [row[0] for row in workbook["Khó khăn, đề xuất"].iter_rows(values_only=True)]
    assert lines[0] == "KHÓ KHĂN, ĐỀ XUẤT" and lines[2:] == text.splitlines()
    summary = list(workbook["Tổng hợp"].iter_rows(values_only=True))
    assert summary[3] == ("Nội dung", "Số lượng", "Kỳ trước", "Thay đổi")
    client.post("/reports/period/note?kind=weekly&week=2026-W04", data={"note": "Đã sửa"})
    assert db.session.execute(select(PeriodNote.body)).scalar_one() == "Đã sửa"
    other = load_workbook(io.BytesIO(client.get("/reports/period.xlsx?week=2026-W05").data))
    assert [row[0] for row in other["Khó khăn, đề xuất"].iter_rows(values_only=True)][2:] == ["Không có."]


def test_a_viewer_reads_the_note_and_cannot_edit_it(client, login_as, db):
    login_as("admin")
    client.post("/reports/period/note?kind=monthly&month=2026-01", data={"note": "Thiếu máy tính"})
    login_as("viewer")
    page = client.get("/reports/period?kind=monthly&month=2026-01").get_data(as_text=True)
    assert "Thiếu máy tính" in page and 'name="note"' not in page
    assert client.post("/reports/period/note?kind=monthly&month=2026-01", data={"note": "x"}).status_code in (302, 403)
    assert db.session.execute(select(PeriodNote.body)).scalar_one() == "Thiếu máy tính"


@pytest.mark.parametrize("query", ["week=2026-W99", "kind=yearly", "week=%00", "kind=monthly&month=9999-99",
                                   "week=2026-W04&province=40", "province=abc"])
def test_a_hostile_period_writes_nothing(client, login_as, db, query):
    login_as("admin")
    response = client.post(f"/reports/period/note?{query}", data={"note": "Khó khăn"})
    assert response.status_code in (302, 400)  # a control character is refused before the view
    assert db.session.execute(select(PeriodNote)).first() is None


def test_a_note_too_long_is_a_message_on_the_field(client, login_as, db):
    login_as("admin")
    response = client.post("/reports/period/note?week=2026-W04", data={"note": "x" * 4001})
    assert response.status_code == 400 and "Viết tối đa 4000 ký tự." in response.get_data(as_text=True)
    assert db.session.execute(select(PeriodNote)).first() is None


def test_the_report_costs_the_same_queries_with_and_without_data(client, login_as, db, admin, make_session,
                                                                 commune_contacts):
    login_as("admin")
    with count_statements(db) as empty:
        assert client.get("/reports/period?week=2026-W04").status_code == 200
    enrolment.enrol(admin, make_session(day="2026-01-20"), commune_contacts(10))
    make_session(day="2026-01-13")
    with count_statements(db) as full:
        assert client.get("/reports/period?week=2026-W04").status_code == 200
    assert len(full) == len(empty) <= 30
