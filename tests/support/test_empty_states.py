"""Empty Q&A and materials pages lead somewhere: the hotline to call, the ticket form and the directory."""
import pytest

from portal.support.directory import load_letter_contacts, save_channel
from portal.support.models import FaqEntry
from tests.factories import NGHE_AN

PAGES = ("/support/help", "/materials/")


def need_help(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    assert 'class="notice need-help"' in page, url
    return page.split('class="notice need-help"', 1)[1].split("</div>", 1)[0]


@pytest.mark.parametrize("url", PAGES)
def test_an_empty_page_offers_the_ministrys_hotline_and_the_ticket_form(client, db, url):
    load_letter_contacts()
    block = need_help(client, url)
    assert '<a class="nowrap" href="tel:+84976953686">0976 953 686</a> (Nguyễn Minh Sơn)' in block
    assert 'href="/support/new"' in block and 'href="/support/directory"' in block and "Gọi đường dây nóng" in block


@pytest.mark.parametrize("url", PAGES)
def test_a_signed_in_official_is_offered_their_provinces_hotline(client, db, login_as, url):
    load_letter_contacts()
    save_channel(NGHE_AN, "0238 3 844 556", "", "")
    login_as("commune_admin")
    assert '<a class="nowrap" href="tel:+842383844556">0238 3 844 556</a> (Nghệ An)' in need_help(client, url)


def test_without_any_number_the_ticket_form_is_still_offered(client, db):
    block = need_help(client, "/support/help")
    assert "tel:" not in block and 'href="/support/new"' in block


def test_a_page_with_answers_has_no_empty_state(client, db):
    db.session.add(FaqEntry(category_id=2, question="Quên mật khẩu?", answer="Dùng chức năng đặt lại mật khẩu."))
    db.session.commit()
    page = client.get("/support/help").get_data(as_text=True)
    assert "Quên mật khẩu?" in page and "need-help" not in page
