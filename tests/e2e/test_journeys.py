"""Browser journeys against the live portal."""
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
