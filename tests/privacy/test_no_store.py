"""Responses that carry personal data are never stored by a browser or a shared cache (OWASP ASVS 14.3.2): the
admin's full CCCD, account requests, the contact and audit exports, "My data" and its download."""
import pytest

from portal.accounts.services import add_request
from portal.contacts.services import Seat, save_seat
from tests import factories
from tests.conftest import start_session
from tests.factories import NGHE_AN

CCCD = "040188001234"


@pytest.fixture
def contact(db):
    return save_seat(None, Seat.of_commune(factories.first_commune(NGHE_AN)), factories.person(3, cccd=CCCD), None)


@pytest.mark.parametrize("path", ["/accounts/", "/contacts/export.xlsx", "/contacts/export.csv?province=40",
                                  "/audit/", "/audit/export.xlsx", "/me/data/", "/privacy/register/"])
def test_personal_pages_and_files_for_the_admin_are_no_store(client, login_as, contact, path):
    login_as("admin")
    response = client.get(path)
    response.close()  # the exports are streamed files
    assert response.status_code == 200, path
    assert response.headers["Cache-Control"] == "no-store" and "ETag" not in response.headers


def test_the_revealed_cccd_is_no_store(client, login_as, contact):
    login_as("admin")
    response = client.post(f"/contacts/entries/{contact.id}/cccd", data={"reason": "Đối chiếu đề nghị cấp tài khoản"})
    assert CCCD in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def test_a_coordinators_account_requests_and_consent_answers_are_no_store(client, login_as, contact):
    coordinator = login_as("coordinator", province_code=NGHE_AN)
    add_request(coordinator, {**factories.person(4), "unit": "UBND xã", "cccd": "040188009876"})
    assert client.get("/accounts/").headers["Cache-Control"] == "no-store"
    me = factories.create_user("commune_admin", email=contact.email)
    start_session(client, me)
    response = client.post(f"/me/data/consents/contacts/{contact.id}/withdraw")
    assert response.status_code == 302 and response.headers["Cache-Control"] == "no-store"
