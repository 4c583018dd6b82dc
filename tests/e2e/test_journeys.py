"""Browser journeys against the live portal."""
import re

from portal.demo.services import DEMO_PASSWORD


def sign_in(page, live_server, email):
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_admin_signs_in_and_browses_to_nghe_an_communes(page, live_server):
    page.goto(live_server)
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", name="Đăng nhập").is_visible()
    sign_in(page, live_server, "admin@demo.tthc.vn")
    page.get_by_role("navigation").get_by_role("link", name="Tỉnh/thành phố", exact=True).click()
    page.get_by_label("Tìm theo tên").fill("nghe an")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("link", name="Nghệ An").click()
    assert page.get_by_role("heading", name="Nghệ An").is_visible()
    page.get_by_label("Tìm theo tên").fill("cua lo")
    page.get_by_role("button", name="Tìm kiếm").click()
    assert page.get_by_role("cell", name="Phường Cửa Lò").is_visible()


def test_coordinator_lands_on_their_province_and_switches_language(page, live_server):
    sign_in(page, live_server, "coordinator.nghean@demo.tthc.vn")
    assert page.get_by_role("heading", name="Nghệ An").is_visible()
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="My province").is_visible()
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("heading", name="Sign in").is_visible()


def test_coordinator_registers_a_commune_administrator(page, live_server):
    sign_in(page, live_server, "coordinator.nghean@demo.tthc.vn")
    page.get_by_label("Trạng thái").select_option("missing")
    page.get_by_role("button", name="Lọc").click()
    page.locator("table").last.get_by_role("link").first.click()
    page.get_by_label("Họ và tên").fill("Trần Thị Quản Trị")
    page.get_by_label("Điện thoại di động").fill("0912 888 777")
    page.get_by_label("Email").fill("quantri@xa.nghean.gov.vn")
    page.get_by_label("Người được đăng ký đã được thông báo").check()
    page.get_by_role("button", name="Lưu").click()
    assert page.get_by_text("Đã lưu").first.is_visible()
    assert page.get_by_role("definition").filter(has_text="0912 888 777").is_visible()


def test_trainer_plans_a_session_coordinator_enrols_trainer_marks_attendance(page, live_server):
    sign_in(page, live_server, "trainer@demo.tthc.vn")
    page.goto(f"{live_server}/training/sessions/new")
    page.get_by_label("Tên", exact=True).fill("Tập huấn bổ sung Nghệ An")
    page.get_by_label("Đối tượng").select_option("commune")
    page.get_by_label("Hình thức").select_option("online")
    page.get_by_label("Đường dẫn phòng họp").fill("https://hop.tthc.gov.vn/bo-sung")
    page.get_by_label("Ngày").fill("2026-01-19")
    page.get_by_label("Giờ bắt đầu").fill("08:30")
    page.get_by_label("Giờ kết thúc").fill("10:00")
    page.get_by_label("Số chỗ").fill("200")
    page.get_by_label("Nghệ An").check()
    page.get_by_role("button", name="Lưu").click()
    assert page.get_by_text("Chưa lưu buổi tập huấn do trùng lịch").is_visible()  # the demo plan booked him
    page.get_by_label("Ngày").fill("2026-02-02")
    page.get_by_role("button", name="Lưu").click()
    assert page.get_by_role("heading", name="Tập huấn bổ sung Nghệ An").is_visible()
    session_url = page.url
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, live_server, "coordinator.nghean@demo.tthc.vn")
    page.goto(session_url)
    page.get_by_role("button", name="Ghi danh tất cả").click()
    assert page.get_by_text(re.compile(r"Đã ghi danh: 11[89];")).is_visible()
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, live_server, "trainer@demo.tthc.vn")
    page.goto(session_url + "/roster")
    page.get_by_label("Có mặt").first.check()
    page.get_by_role("button", name="Lưu điểm danh").click()
    assert page.get_by_text("Đã lưu điểm danh (1 thay đổi)").is_visible()

    page.goto(f"{live_server}/training/public?week=2026-02-02")
    assert page.get_by_text("Tập huấn bổ sung Nghệ An").is_visible()
    assert "@" not in page.locator("main").inner_text()
