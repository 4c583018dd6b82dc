"""The register page for admins and the public privacy notice, both written from the register."""
import pytest

from portal.privacy.register import REGISTER


def test_the_admin_sees_every_table_of_the_register_with_its_class_basis_and_retention(client, login_as):
    login_as("admin")
    response = client.get("/privacy/register/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "Danh mục dữ liệu cá nhân" in page
    for entry in REGISTER:
        assert f'id="{entry.table}"' in page and f"<code>{entry.column}</code>" in page
    assert "Số căn cước công dân (CCCD)" in page and "Đến khi tài khoản được cấp hoặc bị từ chối, thêm 30 ngày." in page
    assert 'data-label="Thời hạn lưu trữ"' in page  # each cell names itself on a phone's card


@pytest.mark.parametrize("role", ("coordinator", "commune_admin", "trainer", "agent", "viewer"))
def test_only_admins_see_the_register(client, login_as, role):
    login_as(role)
    assert client.get("/privacy/register/").status_code == 403


def test_the_register_is_in_the_admins_menu_and_not_in_others(client, login_as):
    login_as("viewer")
    assert "/privacy/register/" not in client.get("/privacy/notice/").get_data(as_text=True)
    login_as("admin")
    assert 'href="/privacy/register/"' in client.get("/privacy/notice/").get_data(as_text=True)


def test_a_visitor_reads_the_notice_with_the_rights_and_deadlines_from_the_footer(client):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/privacy/notice/"' in home
    response = client.get("/privacy/notice/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "public, no-cache"
    assert "Luật 91/2025/QH15" in page
    for right in ("rút lại sự đồng ý", "bản sao", "xoá", "hạn chế", "phản đối", "chỉnh sửa"):
        assert right in page.lower()
    assert "2 ngày làm việc" in page and "15 ngày" in page
    assert "Đến 31/12/2026 (hết giai đoạn chuyển đổi), trừ khi Bộ gia hạn." in page
    assert "Số căn cước công dân (CCCD)" in page and "contacts" not in page.split("<main", 1)[1]  # no table names


def test_the_notice_is_served_again_as_a_304(client):
    etag = client.get("/privacy/notice/").headers["ETag"]
    assert client.get("/privacy/notice/", headers={"If-None-Match": etag}).status_code == 304


def test_the_notice_in_english(client):
    client.post("/language", data={"language": "en"})
    page = client.get("/privacy/notice/").get_data(as_text=True)
    assert "Privacy notice" in page and "Until the account is granted or refused, then 30 days." in page
