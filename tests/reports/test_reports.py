"""The dashboard's numbers against the database, its query count and the period reports."""
import io
import re
from datetime import datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.contacts.models import Contact
from portal.demo.integrations import load_demo_integrations
from portal.integrations.models import Integration
from portal.reports import period, readiness
from portal.support.services import create_ticket
from portal.training import enrolment
from portal.units.models import Commune, Province
from tests import factories
from tests.conftest import count_statements
from tests.factories import NGHE_AN


def test_the_dashboard_agrees_with_the_database(client, login_as, db, admin, make_session, commune_contacts):
    people = commune_contacts(4)
    session = make_session()
    enrolment.enrol(admin, session, people)
    entries = enrolment.roster(session)
    enrolment.mark_attendance(session, {entries[0].id: "present", entries[1].id: "present"})
    create_ticket(factories.create_user("coordinator"), 1, "Lỗi", "Mô tả", "normal")
    load_demo_integrations()
    rows = {r.province.code: r for r in readiness.national_readiness(select(Province))}
    row = rows[NGHE_AN]
    assert row.communes == db.session.scalar(select(func.count(Commune.code)).where(Commune.province_code == NGHE_AN))
    assert row.communes_registered == 4 == db.session.scalar(
        select(func.count(Contact.id)).where(Contact.province_code == NGHE_AN, Contact.kind == "commune"))
    assert (row.registered, row.trained, row.open_tickets) == (4, 2, 1)
    live = db.session.scalar(select(func.count()).select_from(Integration).where(Integration.status == "live"))
    assert live == sum(r.integrations_live for r in rows.values()) > 7
    assert rows[NGHE_AN].integrations_live == 0 < rows[24].integrations_live
    assert len(rows) == 34
    login_as("viewer")
    page = client.get("/reports/").get_data(as_text=True)
    assert "Bắc Ninh" in page and "Cà Mau" in page and "<svg" in page
    assert page.count('class="tag status-blocked"') == sum(1 for r in rows.values() if r.integrations_blocked)


def test_the_score_follows_its_formula(db):
    province = db.session.get(Province, NGHE_AN)
    row = readiness.Readiness(province, 100, 50, 1, 1, 51, 17, 4, 1, 0.35, 2, 1)
    expected = round(100 * (0.4 * 51 / 101 + 0.3 * 17 / 51 + 0.2 * 0.35 + 0.1 * 0.75))
    assert row.score == expected


def test_the_dashboard_costs_the_same_queries_as_data_grows(client, login_as, db, admin, make_session, commune_contacts):
    login_as("admin")
    with count_statements(db) as empty:
        assert client.get("/reports/").status_code == 200
    enrolment.enrol(admin, make_session(), commune_contacts(20))
    for number in range(5):
        create_ticket(factories.create_user("coordinator"), 1, f"Lỗi {number}", "Mô tả", "normal")
    load_demo_integrations()
    with count_statements(db) as full:
        assert client.get("/reports/").status_code == 200
    assert len(full) == len(empty) <= 17  # 17: the panel of personal-data requests near their deadline


def test_a_province_drill_down_lists_its_communes(client, login_as, db, commune_contacts):
    commune_contacts(3)
    login_as("coordinator")
    assert client.get("/reports/").location.endswith(f"/reports/provinces/{NGHE_AN}")
    page = client.get(f"/reports/provinces/{NGHE_AN}").get_data(as_text=True)
    assert "Trang 1/3" in page and page.count("Chưa đăng ký") >= 40
    assert client.get("/reports/provinces/1").status_code == 404


def test_the_weekly_report_for_week_4_opens_with_vietnamese_text(runner, db, admin, make_session, tmp_path, commune_contacts):
    session = make_session(day="2026-01-20")
    enrolment.enrol(admin, session, commune_contacts(2))
    out = tmp_path / "tuan-4.xlsx"
    result = runner.invoke(args=["reports", "weekly", "--week", "2026-W04", "--out", str(out)])
    assert result.exit_code == 0, result.output
    workbook = load_workbook(out)
    summary = list(workbook["Tổng hợp"].iter_rows(values_only=True))
    assert summary[0][0] == "BÁO CÁO TIẾN ĐỘ TRIỂN KHAI HỆ THỐNG TTHC - TOÀN QUỐC"
    assert summary[1][0].startswith("Tuần 04/2026 (19/01/2026")
    values = {row[0]: row[1] for row in summary[4:12]}
    assert values["Buổi tập huấn đã tổ chức"] == 1
    detail = list(workbook["Theo tỉnh"].iter_rows(values_only=True))
    assert len(detail) == 35 and ("Nghệ An", 0, 1) == detail[[r[0] for r in detail].index("Nghệ An")][:3]


def test_the_period_page_and_download(client, login_as, db):
    login_as("admin")
    assert "Tuần 04/2026" in client.get("/reports/period?week=2026-W04").get_data(as_text=True)
    assert client.get("/reports/period?kind=monthly&month=2026-01").status_code == 200
    download = client.get("/reports/period.xlsx?week=2026-W04&province=40")
    assert 'filename="bao-cao-2026-W04.xlsx"' in download.headers["Content-Disposition"]
    assert load_workbook(io.BytesIO(download.data))["Tổng hợp"]["A1"].value.endswith("NGHỆ AN")
    assert period.month_period("2026-12").ends.year == 2027


def test_the_period_is_picked_as_a_week_or_a_month(client, login_as, db):
    login_as("admin")
    page = client.get("/reports/period?week=2026-W04").get_data(as_text=True)
    assert 'type="week"' in page and 'value="2026-W04"' in page and 'type="month"' in page
    assert "Tháng 01/2026" in client.get("/reports/period?kind=monthly&month=2026-01").get_data(as_text=True)
    assert "Tuần 53/2026" in client.get("/reports/period?week=2026-W53").get_data(as_text=True)


@pytest.mark.parametrize("query, field, message", [
    ("week=not-a-week", "week", "Chọn một tuần từ năm 2000 đến năm 2100, viết như 2026-W04."),
    ("week=2025-W53", "week", "Chọn một tuần từ năm 2000 đến năm 2100, viết như 2026-W04."),
    ("week=9999-W01", "week", "Chọn một tuần từ năm 2000 đến năm 2100, viết như 2026-W04."),
    ("kind=monthly&month=2026-13", "month", "Chọn một tháng từ năm 2000 đến năm 2100, viết như 2026-01."),
    ("kind=yearly", "kind", "Chọn báo cáo tuần hoặc tháng."),
    ("province=99999999999999999999", "province", "Chọn một tỉnh, thành phố trong danh sách."),
])
def test_a_wrong_period_is_a_message_on_the_form_not_a_missing_page(client, login_as, db, query, field, message):
    login_as("viewer")
    response = client.get(f"/reports/period?{query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error" class="error">{message}</p>' in page
    assert f'aria-invalid="true"' in page and "Tải về (.xlsx)" not in page
    download = client.get(f"/reports/period.xlsx?{query}")
    assert download.status_code == 302 and download.location.startswith("/reports/period?")


def test_a_coordinator_picks_only_the_period(client, login_as, db):
    login_as("coordinator")
    page = client.get("/reports/period?kind=monthly&month=2026-01&province=1").get_data(as_text=True)
    assert "Nghệ An" in page and 'name="province"' not in page and "Tháng 01/2026" in page
    assert "Chọn một tuần" in client.get("/reports/period?week=2026-W99").get_data(as_text=True)


def test_the_picker_shows_the_default_period(client, login_as, db):
    login_as("admin")
    week_input = re.search(r'<input[^>]*name="week"[^>]*>', client.get("/reports/period").get_data(as_text=True))
    assert re.search(r'value="20[0-9]{2}-W[0-9]{2}"', week_input.group())
    month_input = re.search(r'<input[^>]*name="month"[^>]*>',
                            client.get("/reports/period?kind=monthly").get_data(as_text=True))
    assert re.search(r'value="20[0-9]{2}-[0-9]{2}"', month_input.group())
