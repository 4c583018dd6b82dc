"""The dossiers waiting for an account beside the account requests: on the dashboard, a province's page, the
weekly report, and in the demo."""
import io
import re
from datetime import date, datetime, timezone

from openpyxl import load_workbook

from portal.accounts.services import add_request, decide
from portal.backlog import services
from portal.backlog.models import BacklogReport
from portal.reports import period, readiness
from portal.core.extensions import db
from portal.units.models import Province
from tests import factories
from tests.conftest import count_statements
from tests.factories import HA_NOI, NGHE_AN

PHU_THO = 25
IN_WEEK_3 = datetime(2026, 1, 13, 3, tzinfo=timezone.utc)  # the portal stamps rows with the real clock


def request_for(coordinator, number: int, at: datetime = IN_WEEK_3):
    made = add_request(coordinator, {"full_name": f"Người Cần Tài Khoản {number}", "unit": "UBND phường",
                                     "phone": f"09120001{number:02d}", "email": f"can.tk{number}@tinh.gov.vn",
                                     "cccd": f"0010887766{number:02d}", "procedures": ""})
    made.created_at = at
    return made


def granted(admin, request, at: datetime = IN_WEEK_3) -> None:
    decide(admin, request, "granted", "")
    request.decided_at = at


def waiting_in_two_provinces(admin):
    """Hà Nội: 300 then 270 dossiers, one request pending and one granted; Nghệ An: 13 dossiers, its one request
    granted; Phú Thọ: a request pending but no figure."""
    services.record(admin, HA_NOI, date(2026, 1, 5), 300)
    services.record(admin, HA_NOI, date(2026, 1, 12), 270)
    services.record(admin, NGHE_AN, date(2026, 1, 9), 13)
    ha_noi = factories.create_user("coordinator", province_code=HA_NOI)
    request_for(ha_noi, 1)
    granted(admin, request_for(ha_noi, 2))
    granted(admin, request_for(factories.create_user("coordinator", province_code=NGHE_AN), 3))
    request_for(factories.create_user("coordinator", province_code=PHU_THO), 4)
    db.session.commit()


def dashboard_row(page: str, name: str) -> str:
    return next(row for row in re.findall(r"<tr[^>]*>.*?</tr>", page, re.S) if f">{name}</a>" in row)


def test_the_dashboard_shows_the_latest_figure_and_its_change_beside_the_requests(client, login_as, db, admin):
    waiting_in_two_provinces(admin)
    login_as("viewer")
    page = client.get("/reports/").get_data(as_text=True)
    ha_noi = dashboard_row(page, "Thành phố Hà Nội")
    assert 'class="stands-out"' in ha_noi and "Hồ sơ và yêu cầu đang chờ" in ha_noi
    assert ">270</strong>" in ha_noi and "-30" in ha_noi and "12/01/2026" in ha_noi
    assert "yêu cầu: 1 đang chờ · 1 đã cấp" in ha_noi
    nghe_an = dashboard_row(page, "Nghệ An")
    assert "stands-out" not in nghe_an and ">13</strong>" in nghe_an and "số liệu đầu tiên" in nghe_an
    assert "yêu cầu: 0 đang chờ · 1 đã cấp" in nghe_an
    phu_tho = dashboard_row(page, "Phú Thọ")
    assert "stands-out" not in phu_tho and "chưa báo cáo" in phu_tho and "yêu cầu: 1 đang chờ" in phu_tho
    assert page.count('class="stands-out"') == 1
    assert re.search(r"<strong>283</strong>\s*hồ sơ chờ do chưa có tài khoản \(số liệu mới nhất\) · "
                     r"1 tỉnh còn yêu cầu", page)
    assert re.search(r"<strong>2</strong>\s*yêu cầu cấp tài khoản đang chờ xử lý · đã cấp 2", page)


def test_sorting_by_the_backlog_puts_the_largest_first(client, login_as, db, admin):
    waiting_in_two_provinces(admin)
    login_as("admin")
    page = client.get("/reports/?sort=backlog&order=desc").get_data(as_text=True)
    names = re.findall(r'<td class="card-title"><a href="/reports/provinces/\d+">([^<]+)</a>', page)
    assert names[:3] == ["Thành phố Hà Nội", "Nghệ An", "Phú Thọ"]


def test_the_total_sums_each_provinces_latest_and_changes_only_where_there_was_a_figure_before(db, admin):
    waiting_in_two_provinces(admin)
    rows = readiness.national_readiness(db.select(Province))
    total = readiness.totals(rows)
    assert (total.backlog.dossiers, total.backlog.as_of, total.backlog.change) == (283, date(2026, 1, 12), -30)
    assert (total.requests_pending, total.requests_granted) == (2, 2)
    assert readiness.totals([row for row in rows if row.province.code == PHU_THO]).backlog is None


def test_a_province_page_shows_its_figure_and_requests(client, login_as, db, admin):
    waiting_in_two_provinces(admin)
    login_as("coordinator", province_code=HA_NOI)
    page = client.get(f"/reports/provinces/{HA_NOI}").get_data(as_text=True)
    assert "Hồ sơ chờ do chưa có tài khoản" in page and "270</a>" in page and "Hồ sơ và yêu cầu đang chờ" in page
    assert "1 đang chờ · 1 đã cấp" in page


def test_the_dashboard_costs_the_same_queries_with_figures_and_requests(client, login_as, db, admin):
    login_as("admin")
    with count_statements(db) as empty:
        assert client.get("/reports/").status_code == 200
    waiting_in_two_provinces(admin)
    for day in range(1, 12):
        services.record(admin, PHU_THO, date(2026, 1, day), day * 3, factories.first_commune(PHU_THO).code)
    with count_statements(db) as full:
        assert client.get("/reports/").status_code == 200
    assert len(full) == len(empty)


def test_the_weekly_report_counts_requests_and_the_latest_figure_with_their_change(client, login_as, db, admin):
    waiting_in_two_provinces(admin)
    report = period.build(period.week_period("2026-W03"))
    assert [report.total(metric) for metric in ("requested", "granted", "pending", "backlog")] == [4, 2, 2, 283]
    assert [report.previous.total(metric) for metric in ("requested", "granted", "pending", "backlog")] == [0, 0, 0,
                                                                                                          313]
    assert report.change("backlog") == ("▼", "-30") and report.rows[HA_NOI]["backlog"] == 270
    login_as("viewer")
    page = client.get("/reports/period?week=2026-W03").get_data(as_text=True)
    assert "Hồ sơ chưa tiếp nhận được do chưa có tài khoản (số liệu mới nhất)" in page and "-30" in page
    sheet = load_workbook(io.BytesIO(client.get("/reports/period.xlsx?week=2026-W03").data))["Tổng hợp"]
    rows = {row[0]: row[1:3] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["Yêu cầu cấp tài khoản chờ xử lý cuối kỳ"] == (2, 0)
    assert rows["Hồ sơ chưa tiếp nhận được do chưa có tài khoản (số liệu mới nhất)"] == (283, 313)


def test_a_decided_request_counts_as_pending_at_the_end_of_a_week_before_its_decision(db, admin):
    request = request_for(factories.create_user("coordinator", province_code=HA_NOI), 1,
                          at=datetime(2026, 1, 6, 3, tzinfo=timezone.utc))
    decide(admin, request, "refused", "Thiếu giấy tờ")
    request.decided_at = IN_WEEK_3
    db.session.commit()
    assert period.build(period.week_period("2026-W02")).total("pending") == 1
    assert period.build(period.week_period("2026-W03")).total("pending") == 0


def test_the_demo_carries_letter_003s_figures(app, db):
    from portal.demo import load_all

    accounts, added = load_all()
    latest = services.latest_by_province()
    assert {code: (latest[code].dossiers, latest[code].as_of) for code in (HA_NOI, PHU_THO, NGHE_AN)} == {
        HA_NOI: (270, date(2026, 2, 6)), PHU_THO: (45, date(2026, 2, 6)), NGHE_AN: (13, date(2026, 2, 6))}
    assert all(latest[code].previous is not None for code in latest)
    rows = {row.province.code: row for row in readiness.national_readiness(db.select(Province))}
    assert rows[HA_NOI].stands_out and rows[NGHE_AN].stands_out and not rows[PHU_THO].stands_out
    assert load_all()[1]["backlog"] == 0
    assert db.session.query(BacklogReport).count() == 6
