"""Browser journeys against the live portal."""
import re
import time

from playwright.sync_api import expect

from portal.demo.services import DEMO_PASSWORD


def sign_in(page, live_server, email):
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_admin_signs_in_and_browses_to_nghe_an_communes(page, live_server):
    page.goto(live_server)
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_role("main").get_by_role("link", name="Đăng nhập").click()  # "/" is the visitors' page
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    sign_in(page, live_server, "admin@demo.tthc.vn")
    page.get_by_role("navigation").get_by_role("link", name="Tỉnh/thành phố", exact=True).click()
    page.get_by_label("Tìm theo tên").fill("nghe an")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("link", name="Nghệ An").click()
    expect(page.get_by_role("heading", name="Nghệ An")).to_be_visible()
    page.get_by_label("Tìm theo tên").fill("cua lo")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_role("cell", name="Phường Cửa Lò")).to_be_visible()


def test_coordinator_lands_on_their_province_and_switches_language(page, live_server):
    sign_in(page, live_server, "coordinator.nghean@demo.tthc.vn")
    expect(page.get_by_role("heading", name="Nghệ An")).to_be_visible()
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("link", name="My province")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_coordinator_registers_a_commune_administrator(page, live_server):
    sign_in(page, live_server, "coordinator.nghean@demo.tthc.vn")
    expect(page.get_by_role("heading", name="Mức độ sẵn sàng · Nghệ An")).to_be_visible()  # the province's status
    page.get_by_role("link", name=re.compile(r"^\d+ đơn vị chưa đăng ký$")).click()
    expect(page.get_by_label("Trạng thái")).to_have_value("missing")
    page.locator("table").last.get_by_role("link").first.click()
    page.get_by_label("Họ và tên").fill("Trần Thị Quản Trị")
    page.get_by_label("Điện thoại di động").fill("0912 888 777")
    page.get_by_label("Email").fill("quantri@xa.nghean.gov.vn")
    page.get_by_label("Người được đăng ký đã được thông báo").check()
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_text("Đã lưu").first).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text="0912 888 777")).to_be_visible()


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
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_text("Chưa lưu buổi tập huấn. Vui lòng xem lại:")).to_be_visible()  # the demo plan booked him
    page.get_by_label("Ngày").fill("2026-02-02")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_role("heading", name="Tập huấn bổ sung Nghệ An")).to_be_visible()
    session_url = page.url
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, live_server, "coordinator.nghean@demo.tthc.vn")
    page.goto(session_url)
    page.get_by_role("button", name="Ghi danh tất cả").click()
    # Every registered administrator of Nghệ An: the demo's 118 plus those other journeys register or import.
    expect(page.get_by_text(re.compile(r"Đã ghi danh: 1[1-3][0-9]\."))).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, live_server, "trainer@demo.tthc.vn")
    page.goto(session_url + "/roster")
    page.get_by_label("Có mặt").first.check()
    page.get_by_role("button", name="Lưu điểm danh").click()
    expect(page.get_by_text("Đã lưu điểm danh (1 thay đổi)")).to_be_visible()

    page.goto(f"{live_server}/training/public?week=2026-02-02")
    expect(page.get_by_text("Tập huấn bổ sung Nghệ An")).to_be_visible()
    assert "@" not in page.locator("main").inner_text()


def test_commune_admin_files_a_ticket_agent_replies_and_resolves(page, live_server, tmp_path):
    attachment = tmp_path / "loi-dang-nhap.png"
    attachment.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    sign_in(page, live_server, "commune.nghean@demo.tthc.vn")
    page.goto(f"{live_server}/support/new")
    page.get_by_label("Nhóm vấn đề").select_option(label="Tài khoản và phân quyền")
    page.get_by_label("Tiêu đề", exact=True).fill("Không đăng nhập được tài khoản quản trị")
    page.get_by_label("Mô tả vấn đề").fill("Tài khoản quản trị xã báo sai mật khẩu khi đăng nhập.")
    page.get_by_label("Tệp đính kèm").set_input_files(str(attachment))
    page.get_by_role("button", name="Gửi").click()
    expect(page.get_by_text(re.compile(r"Đã gửi phiếu HT-\d{4}-\d{6}"))).to_be_visible()
    ticket_url = page.url
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, live_server, "agent@demo.tthc.vn")  # Nghệ An's primary agent in the demo
    page.goto(f"{live_server}/support/")
    reference = re.search(r"/support/tickets/(\d+)", ticket_url).group(1)
    expect(page.locator(f"a[href='/support/tickets/{reference}']")).to_be_visible()
    page.goto(ticket_url)
    page.get_by_label("Trả lời").fill("Đã đặt lại mật khẩu cho tài khoản quản trị.")
    page.get_by_label("Trạng thái").select_option("resolved")
    page.get_by_role("button", name="Gửi").click()
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, live_server, "commune.nghean@demo.tthc.vn")
    page.goto(ticket_url)
    expect(page.get_by_text("Đã đặt lại mật khẩu cho tài khoản quản trị.")).to_be_visible()
    expect(page.get_by_text("Đã xử lý").first).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, live_server, "admin@demo.tthc.vn")
    page.goto(f"{live_server}/support/recurring")
    group = page.locator("section.card").filter(has_text="đăng nhập")
    expect(group.get_by_text(re.compile(r"2 phiếu"))).to_be_visible()


def test_admin_exports_the_national_list(page, live_server, tmp_path):
    sign_in(page, live_server, "admin@demo.tthc.vn")
    page.goto(f"{live_server}/contacts/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất tệp (.xlsx)").click()
    path = tmp_path / "national.xlsx"
    download.value.save_as(path)
    from openpyxl import load_workbook

    rows = list(load_workbook(path)["Quản trị cấp xã"].iter_rows(values_only=True))
    assert rows[2][0].startswith("Phạm vi: toàn quốc") and len(rows) > 2000


def test_an_official_subscribes_to_a_feed(page, live_server):
    from icalendar import Calendar

    page.goto(f"{live_server}/feeds/")
    https_link = page.locator("#feed-1-https").input_value()
    assert page.locator("#feed-1-webcal").input_value().startswith("webcal://")
    # PUBLIC_URL names the production host; the same path on this server must serve the calendar.
    path = "/" + https_link.split("://", 1)[1].split("/", 1)[1]
    response = page.request.get(live_server + path)
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.body())
    assert len(calendar.walk("VEVENT")) >= 68


def test_on_a_phone_an_admin_cancels_a_full_session_and_finds_every_notice_queued(page, live_server):
    """390 px wide: the cancellation of Nghệ An's commune session (118 enrolled) answers at once and writes one
    notice per person, each with a calendar cancellation, for the worker to send."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "admin@demo.tthc.vn")
    page.goto(f"{live_server}/training/?view=table&province=40&audience=commune")
    page.get_by_role("link", name="Tập huấn quản trị hệ thống cấp xã - Nghệ An").first.click()
    page.get_by_role("link", name="Hủy buổi tập huấn…").click()  # a page of its own says who is told
    expect(page.get_by_text("118 người đã ghi danh sẽ nhận email hủy lịch")).to_be_visible()
    page.get_by_label("Lý do hủy").fill("Đổi lịch toàn quốc")
    started = time.monotonic()
    page.get_by_role("button", name="Hủy buổi tập huấn").click()
    expect(page.locator("h1.struck")).to_be_visible()
    assert time.monotonic() - started < 10  # no SMTP in the request: it answers like any other save
    page.locator("summary", has_text="Menu").click()
    page.get_by_role("navigation").get_by_role("link", name="Hộp thư đi").click()
    page.get_by_label("Trạng thái").select_option("queued")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_text(re.compile(r"Trang 1/([3-9]|[1-9][0-9]+)\b"))).to_be_visible()  # 118+ queued, 50 a page
    expect(page.locator("details.message", has_text="CANCEL").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{live_server}/jobs/")
    page.locator("form[action$='/outbox_sweep/run'] button").click()
    expect(page.locator(".flash")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
