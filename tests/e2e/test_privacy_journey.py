"""At 390 px: a commune administrator downloads a copy of their data, corrects their phone and asks for erasure;
the admin finds the request with its deadline from the dashboard, reads the preview and approves it; the person
can no longer sign in and their calendar link answers 404."""
import zipfile

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.contacts.models import Contact
from portal.contacts.services import Seat, save_seat
from portal.core.extensions import db
from portal.demo.services import DEMO_PASSWORD
from portal.feeds.services import issue_token
from portal.privacy.export import DataExport, build
from portal.units.models import Commune
from tests import factories

PHONE = {"width": 390, "height": 844}
EMAIL = "quan.tri.xoa@nghean.gov.vn"
NAME = "Hoàng Văn Xoá"


@pytest.fixture
def person(live_portal):
    """A commune administrator of their own (the demo's stay for the other journeys), registered as the contact
    of a commune no other journey registers, with a personal calendar link."""
    _url, app = live_portal
    with app.app_context():
        taken = select(Contact.commune_code).where(Contact.commune_code.is_not(None))
        commune = db.session.execute(select(Commune).where(Commune.code.not_in(taken))
                                     .order_by(Commune.code.desc()).limit(1)).scalar_one()
        user = factories.create_user("commune_admin", province_code=commune.province_code, commune_code=commune.code,
                                     email=EMAIL, full_name=NAME, password=DEMO_PASSWORD)
        save_seat(None, Seat.of_commune(commune), factories.person(
            41, full_name=NAME, email=EMAIL, phone="0914 222 333"), None)
        db.session.commit()
        token = issue_token(user)
        db.session.remove()
    return token


def sign_in(page, live_server, email):
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def open_menu_link(page, name):
    page.locator("summary", has_text="Menu").click()
    page.get_by_role("navigation").get_by_role("link", name=name).click()


def sign_out(page):
    page.locator("summary", has_text="Menu").click()
    page.get_by_role("button", name="Đăng xuất").click()


def run_the_worker(app):
    """What the worker does with the queued copy: build it and e-mail the link."""
    with app.app_context():
        for export_id in db.session.execute(select(DataExport.id).where(DataExport.status == "queued")).scalars():
            build(export_id)
        db.session.remove()


def test_a_person_gets_their_data_corrects_it_and_is_erased_on_request(page, live_portal, person, tmp_path):
    live_server, app = live_portal
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, EMAIL)
    open_menu_link(page, "Dữ liệu của tôi")
    expect(page.get_by_role("heading", name="Dữ liệu của tôi", exact=False).first).to_be_visible()

    page.get_by_role("button", name="Chuẩn bị bản sao dữ liệu của tôi").click()
    expect(page.get_by_text("Bản sao đang được chuẩn bị")).to_be_visible()
    run_the_worker(app)
    page.reload()
    with page.expect_download() as download:
        page.get_by_role("link", name="Bản sao lúc", exact=False).click()
    copy = tmp_path / "copy.zip"
    download.value.save_as(copy)
    with zipfile.ZipFile(copy) as archive:
        assert EMAIL in archive.read("account.json").decode()

    page.locator("summary", has_text="Sửa họ tên hoặc số điện thoại của tôi").click()
    page.get_by_label("Điện thoại").fill("0914 555 666")
    page.get_by_role("button", name="Lưu chỉnh sửa").click()
    expect(page.get_by_text("Thông tin liên hệ của bạn đã được sửa.")).to_be_visible()
    expect(page.get_by_text("0914 555 666").first).to_be_visible()

    page.locator("summary", has_text="Gửi yêu cầu").click()
    page.get_by_label("Bạn yêu cầu gì?").select_option("erasure")
    page.get_by_label("Chi tiết (không bắt buộc)").fill("Tôi đã chuyển công tác, xin xoá dữ liệu.")
    page.get_by_role("button", name="Gửi yêu cầu").click()
    expect(page.locator("#data-requests").get_by_text("DLCN-", exact=False)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    sign_out(page)

    sign_in(page, live_server, "admin@demo.tthc.vn")
    page.get_by_role("link", name="Tất cả yêu cầu về dữ liệu cá nhân").click()
    page.get_by_role("row").filter(has_text=EMAIL).get_by_role("link", name="DLCN-", exact=False).click()
    expect(page.get_by_text(EMAIL).first).to_be_visible()
    expect(page.get_by_text("Hạn hoàn thành")).to_be_visible()  # the legal clock
    expect(page.get_by_text("còn 15 ngày làm việc")).to_be_visible()
    expect(page.get_by_text("Tài khoản được ẩn danh; không thể đăng nhập nữa")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Phê duyệt và xoá").click()
    expect(page.get_by_text(EMAIL)).to_have_count(0)
    sign_out(page)

    sign_in(page, live_server, EMAIL)
    expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()  # still on the sign-in page
    assert page.request.get(f"{live_server}/feeds/me/{person}.ics").status == 404
