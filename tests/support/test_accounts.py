"""Account-access requests: coordinators list people, the ministry decides; CCCD masked but for admins."""
import io

from sqlalchemy import func, select

from portal.accounts import services
from portal.accounts.models import AccountRequest
from portal.audit.models import AuditEvent
from tests import factories

PERSON = {"full_name": "Trần Văn Một Cửa", "unit": "UBND xã An Châu", "phone": "0912 000 111",
          "email": "motcua@anchau.gov.vn", "cccd": "001088776655", "procedures": "Cấp phép biểu diễn"}


def test_a_coordinator_asks_and_sees_the_cccd_masked(client, login_as, db):
    login_as("coordinator")
    response = client.post("/accounts/", data={**PERSON, "accept_notice": "y"})
    assert response.status_code == 302
    page = client.get("/accounts/").get_data(as_text=True)
    assert "********6655" in page and "001088776655" not in page


def test_the_cccd_is_required_and_checked(client, login_as, db):
    login_as("coordinator")
    page = client.post("/accounts/", data={**PERSON, "cccd": "12345", "accept_notice": "y"}).get_data(as_text=True)
    assert 'id="cccd-error"' in page
    assert db.session.scalar(select(func.count(AccountRequest.id))) == 0


def test_admins_see_the_full_cccd_and_each_view_is_logged(client, login_as, db):
    coordinator = factories.create_user("coordinator")
    request = services.add_request(coordinator, PERSON)
    login_as("admin")
    assert "001088776655" in client.get("/accounts/").get_data(as_text=True)
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "account_request.cccd_view")).scalar_one()
    assert event.detail == f"ids={request.id}"
    client.post(f"/accounts/{request.id}/decision", data={"status": "granted", "note": "Đã cấp ngày 20/01"})
    db.session.refresh(request)
    assert request.status == "granted" and request.decided_at is not None


def test_other_provinces_requests_stay_hidden(client, login_as, db):
    services.add_request(factories.create_user("coordinator", province_code=1), PERSON)
    login_as("coordinator")
    assert "Trần Văn Một Cửa" not in client.get("/accounts/").get_data(as_text=True)


def test_a_list_is_uploaded_with_a_preview_and_saved_whole(client, login_as, db):
    login_as("coordinator")
    text = ("Họ và tên,Đơn vị,Số điện thoại,Email,CCCD,Thủ tục\n"
            "Lê Thị Hai,UBND xã A,0912000222,hai@xa.vn,001088776644,Thể thao\n"
            "Lê Văn Ba,UBND xã B,0912000333,ba@xa.vn,123,Du lịch\n")
    response = client.post("/accounts/upload", data={"file": (io.BytesIO(text.encode("utf-8-sig")), "ds.csv"),
                                                     "accept_notice": "y"})
    preview = client.get(response.location).get_data(as_text=True)
    assert preview.count('class="row-error"') == 1 and "********6644" in preview and "001088776644" not in preview
    token = response.location.rsplit("/", 1)[1]
    client.post(f"/accounts/upload/{token}/confirm")
    assert db.session.scalar(select(func.count(AccountRequest.id))) == 0


def test_the_directory_is_public(client, db):
    from portal.support.directory import load_letter_contacts, save_channel

    load_letter_contacts()
    save_channel(40, "0238 3844 555", "https://hop.tthc.gov.vn/nghe-an", "https://zalo.me/g/nghean")
    page = client.get("/support/directory").get_data(as_text=True)
    assert "Nguyễn Minh Sơn" in page and "0976 953 686" in page and "https://zalo.me/g/nghean" in page
