"""Accounts on a phone: the Nghệ An coordinator invites every registered contact, and one of them signs in.

The invitation link is a secret that only its e-mail carries, so the test reads it from the outbox row in the
live server's database, as the person would read it in their mailbox.
"""
import re
import sqlite3

import pytest
from playwright.sync_api import expect

from portal.demo.services import DEMO_PASSWORD

PHONE = {"width": 390, "height": 844}
NEW_PASSWORD = "mật khẩu của quản trị xã"


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def live_database(live_server, tmp_path_factory):
    """The live server's SQLite file (the e2e conftest makes it under a folder named e2e*)."""
    found = sorted(tmp_path_factory.getbasetemp().glob("e2e*/e2e.sqlite3"))
    assert found, "the live server's database was not found"
    connection = sqlite3.connect(found[0])
    yield connection
    connection.close()


def sign_in(page, live_server, email, password=DEMO_PASSWORD):
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def fits_the_phone(page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} is {width[0]} px wide on a {width[1]} px screen"


def test_coordinator_invites_every_commune_administrator_and_one_signs_in(phone, browser, live_server,
                                                                         live_database):
    page = phone
    sign_in(page, live_server, "coordinator.nghean@demo.tthc.vn")
    expect(page.locator("h1").first).to_be_visible()
    page.goto(f"{live_server}/auth/users")
    fits_the_phone(page)
    page.get_by_role("link", name="Mời đầu mối đã đăng ký").click()
    expect(page.get_by_role("heading", name="Mời đầu mối đã đăng ký")).to_be_visible()
    fits_the_phone(page)
    waiting = live_database.execute(
        "SELECT count(*) FROM contacts WHERE province_code = 40 AND email NOT IN (SELECT email FROM users)"
    ).fetchone()[0]
    assert waiting > 50  # the demo registers most of Nghệ An's communes

    page.get_by_role("button", name="Mời tất cả người chưa có tài khoản").click()
    expect(page.get_by_text(f"Đã mời {waiting} người.")).to_be_visible()
    expect(page.get_by_text("Đã mời ngày").first).to_be_visible()
    fits_the_phone(page)
    page.get_by_role("button", name="Mời tất cả người chưa có tài khoản").click()  # a second click sends nothing
    expect(page.get_by_text("không có thư nào được gửi")).to_be_visible()
    # The first commune administrator on the list, the row the coordinator will look at again.
    row = page.locator("tbody tr").filter(has_text=re.compile(r"\b(Xã|Phường|Đặc khu) ")).first
    commune_admin = row.locator("small").inner_text().strip()
    live_database.commit()  # a fresh snapshot for the reads below
    full_name = live_database.execute("SELECT full_name FROM users WHERE email = ?", (commune_admin,)).fetchone()[0]
    body = live_database.execute(
        "SELECT body FROM outbox_messages WHERE recipient = ? ORDER BY id DESC LIMIT 1", (commune_admin,)
    ).fetchone()[0]
    assert full_name in body
    link = re.search(r"https?://\S+(/auth/password/\S+)", body).group(1)

    # The commune administrator, on their own phone.
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=PHONE)
    person = context.new_page()
    person.goto(f"{live_server}{link}")
    fits_the_phone(person)
    person.get_by_label("Mật khẩu mới", exact=True).fill(NEW_PASSWORD)
    person.get_by_label("Nhập lại mật khẩu mới").fill(NEW_PASSWORD)
    person.locator("form button.primary").click()
    expect(person.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    sign_in(person, live_server, commune_admin, NEW_PASSWORD)
    expect(person.locator("h1").first).to_be_visible()
    assert "/auth/login" not in person.url
    fits_the_phone(person)
    context.close()

    # Back on the coordinator's list, that person now reads as accepted.
    page.reload()
    row = page.locator("tbody tr").filter(has_text=commune_admin)
    expect(row.get_by_text("Đã nhận lời mời: tài khoản đang hoạt động")).to_be_visible()


def test_coordinator_invites_one_person_by_typing_the_communes_name(phone, live_server, live_database):
    page = phone
    sign_in(page, live_server, "coordinator.nghean@demo.tthc.vn")
    page.goto(f"{live_server}/auth/users/invite")
    fits_the_phone(page)
    page.get_by_label("Email").fill("pho.quantri.dienchau@nghean.gov.vn")
    page.get_by_label("Họ và tên").fill("Phan Văn Phó")
    page.get_by_label("Vai trò").select_option("commune_admin")
    page.get_by_label("Xã/phường/đặc khu").fill("dien chau")
    page.get_by_role("button", name="Gửi thư mời").click()
    expect(page.get_by_text("pho.quantri.dienchau@nghean.gov.vn").first).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text="Xã Diễn Châu")).to_be_visible()
    fits_the_phone(page)
