"""On a phone: destructive actions ask on a page of their own, and a cancelled session comes back.

The journey plans its own session (March 2026, outside the demo plan) so no other journey's rows change.
"""
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_journeys import sign_in

PHONE = {"width": 390, "height": 844}
TITLE = "Tập huấn thử hủy và khôi phục"


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def snapshot(page, name: str) -> None:
    Path(ARTIFACTS).mkdir(exist_ok=True)
    page.screenshot(path=str(Path(ARTIFACTS) / f"confirm-{name}.png"), full_page=True)


def plan_a_session(page, live_server) -> str:
    page.goto(f"{live_server}/training/sessions/new")
    page.get_by_label("Tên", exact=True).fill(TITLE)
    page.get_by_label("Đối tượng").select_option("commune")
    page.get_by_label("Hình thức").select_option("online")
    page.get_by_label("Đường dẫn phòng họp").fill("https://hop.tthc.gov.vn/thu-huy")
    page.get_by_label("Ngày", exact=True).fill("2026-03-10")
    page.get_by_label("Giờ bắt đầu").fill("08:00")
    page.get_by_label("Giờ kết thúc").fill("11:30")
    page.get_by_label("Số chỗ").fill("300")
    page.get_by_role("checkbox", name="Nghệ An").check()
    page.locator("input[name=trainer_ids]").first.check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu buổi tập huấn.")).to_be_visible()
    return page.url


def test_on_a_phone_a_cancellation_asks_first_and_an_admin_restores_it(page, browser, live_server):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "admin@demo.tthc.vn")
    session_url = plan_a_session(page, live_server)

    coordinator = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=PHONE).new_page()
    try:
        sign_in(coordinator, live_server, "coordinator.nghean@demo.tthc.vn")
        coordinator.goto(session_url)
        coordinator.get_by_role("button", name=re.compile("Ghi danh tất cả")).click()
        enrolled = int(re.search(r"Đã ghi danh: (\d+)\.", coordinator.locator(".flash.success").inner_text())[1])
        assert enrolled > 100
        withdraw = coordinator.locator("a.row-action").first
        assert withdraw.inner_text() == "Rút" and withdraw.bounding_box()["height"] >= 44
        assert coordinator.locator("ul.enrolments button").count() == 0  # no button beside each name
        withdraw.click()
        expect(coordinator.get_by_role("heading", name=re.compile("^Rút .* khỏi buổi"))).to_be_visible()
        expect(coordinator.get_by_text("nhận email hủy lịch")).to_be_visible()
        fits_the_phone(coordinator)
        snapshot(coordinator, "withdraw-390")
        coordinator.get_by_role("button", name="Rút khỏi buổi học").click()
        expect(coordinator.locator(".flash.success")).to_contain_text("đã được rút khỏi danh sách ghi danh")
    finally:
        coordinator.context.close()

    page.goto(session_url)
    page.get_by_role("link", name="Hủy buổi tập huấn…").click()
    expect(page.get_by_role("heading", name=f"Hủy buổi “{TITLE}”?")).to_be_visible()
    expect(page.get_by_text(f"{enrolled - 1} người đã ghi danh sẽ nhận email hủy lịch")).to_be_visible()
    fits_the_phone(page)
    snapshot(page, "cancel-390")
    page.get_by_role("button", name="Hủy buổi tập huấn").click()  # the reason is still missing
    expect(page.get_by_text("Nêu lý do hủy").first).to_be_visible()
    page.get_by_label("Lý do hủy").fill("Trùng lịch họp của tỉnh")
    page.get_by_role("button", name="Hủy buổi tập huấn").click()
    expect(page.locator("h1.struck")).to_be_visible()

    page.get_by_role("link", name="Khôi phục buổi tập huấn…").click()
    expect(page.get_by_text(f"{enrolled - 1} người đã ghi danh sẽ nhận email kèm lời mời cập nhật")).to_be_visible()
    fits_the_phone(page)
    snapshot(page, "restore-390")
    page.get_by_role("button", name="Khôi phục buổi tập huấn").click()
    expect(page.locator(".flash.success")).to_contain_text("đã được khôi phục")
    expect(page.locator("h1.struck")).to_have_count(0)
    expect(page.get_by_role("link", name="Hủy buổi tập huấn…")).to_be_visible()
    fits_the_phone(page)
