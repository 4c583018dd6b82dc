"""On a phone: an admin finds a cancellation in the audit log by action and date, opens the session it names,
and exports the filtered log (an export the log then shows).

The journey cancels a session it plans itself (April 2026, outside the demo plan) so no other journey's rows
change. Audit events carry the real time of the change, so the dates filtered on are today's in Vietnam.
"""
import io
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_journeys import sign_in

PHONE = {"width": 390, "height": 844}
TITLE = "Tập huấn thử nhật ký hệ thống"
REASON = "Giảng viên đi công tác, dời sang tháng sau"


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def snapshot(page, name: str) -> None:
    Path(ARTIFACTS).mkdir(exist_ok=True)
    page.screenshot(path=str(Path(ARTIFACTS) / f"audit-{name}.png"), full_page=True)


def plan_and_cancel_a_session(page, live_server) -> str:
    page.goto(f"{live_server}/training/sessions/new")
    page.get_by_label("Tên", exact=True).fill(TITLE)
    page.get_by_label("Đối tượng").select_option("commune")
    page.get_by_label("Hình thức").select_option("online")
    page.get_by_label("Đường dẫn phòng họp").fill("https://hop.tthc.gov.vn/thu-nhat-ky")
    page.get_by_label("Ngày", exact=True).fill("2026-04-07")
    page.get_by_label("Giờ bắt đầu").fill("08:00")
    page.get_by_label("Giờ kết thúc").fill("11:30")
    page.get_by_label("Số chỗ").fill("50")
    page.get_by_role("checkbox", name="Nghệ An").check()
    page.locator("input[name=trainer_ids]").first.check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu buổi tập huấn.")).to_be_visible()
    session_url = page.url
    page.get_by_role("link", name="Hủy buổi tập huấn…").click()
    page.get_by_label("Lý do hủy").fill(REASON)
    page.get_by_role("button", name="Hủy buổi tập huấn").click()
    expect(page.locator("h1.struck")).to_be_visible()
    return session_url


def test_on_a_phone_an_admin_filters_the_audit_log_opens_the_session_and_exports(page, live_server):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "admin@demo.tthc.vn")
    session_url = plan_and_cancel_a_session(page, live_server)
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()

    page.goto(live_server)
    page.locator("summary", has_text="Menu").click()
    page.get_by_role("link", name="Nhật ký hệ thống").click()
    expect(page.get_by_role("heading", name="Nhật ký hệ thống")).to_be_visible()
    page.get_by_label("Thao tác").select_option(label="Hủy buổi tập huấn")
    page.get_by_label("Từ ngày").fill(today)
    page.get_by_label("Đến ngày").fill(today)
    page.get_by_role("button", name="Lọc").click()
    row = page.locator("tbody tr", has_text=REASON)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Hủy buổi tập huấn")
    expect(page.locator("tbody tr", has_text="Khôi phục")).to_have_count(0)
    fits_the_phone(page)
    snapshot(page, "filtered-390")

    session_id = session_url.rstrip("/").rsplit("/", 1)[1]
    row.get_by_role("link", name=f"Buổi tập huấn {session_id}").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    assert page.url == session_url
    page.go_back()

    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất tệp (.xlsx)").click()
    assert re.fullmatch(r"nhat-ky-he-thong-[0-9]{8}-[0-9]{4}\.xlsx", download.value.suggested_filename)
    rows = list(load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active.iter_rows(values_only=True))
    assert "Hủy buổi tập huấn" in rows[1][0]
    body = rows[4:]
    assert body and {row[3] for row in body} == {"training.cancel"}
    assert any(row[5] == REASON and row[4] == f"Buổi tập huấn {session_id}" for row in body)

    page.goto(f"{live_server}/audit/?action=audit.export")
    exported = page.locator("tbody tr").first
    expect(exported).to_contain_text("Xuất nhật ký hệ thống")
    expect(exported).to_contain_text("action=training.cancel")
    fits_the_phone(page)
    snapshot(page, "export-recorded-390")
