"""Subscribing to a province's feed: https, webcal and Google Calendar's add-by-URL links and a QR code, on the
subscribe pages and on the plan filtered by that province."""
import html
from urllib.parse import parse_qs, urlsplit

import pytest
import segno

from portal.feeds.links import qr_svg
from tests.factories import NGHE_AN

HTTPS = "https://portal.test/feeds/provinces/40.ics"
WEBCAL = "webcal://portal.test/feeds/provinces/40.ics"
GOOGLE = "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fportal.test%2Ffeeds%2Fprovinces%2F40.ics"


def page_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def assert_province_block(page: str) -> None:
    block = page.split('id="province-feed"', 1)[1].split("</details>", 1)[0]
    assert f'value="{HTTPS}"' in block and f'value="{WEBCAL}"' in block and f'href="{WEBCAL}"' in block
    assert f'href="{html.escape(GOOGLE)}"' in block
    assert str(segno.make(HTTPS, error="m").svg_inline(scale=3)) in block  # the QR encodes the https address
    assert "Nghệ An" in block


def test_the_google_link_carries_the_webcal_address_url_encoded(client, db):
    page = page_of(client, f"/feeds/provinces/{NGHE_AN}")
    google = html.unescape(page.split('href="https://calendar.google.com', 1)[1].split('"', 1)[0])
    assert parse_qs(urlsplit("https://calendar.google.com" + google).query) == {"cid": [WEBCAL]}


def test_a_province_page_offers_every_way_to_subscribe(client, db):
    page = page_of(client, f"/feeds/provinces/{NGHE_AN}")
    assert_province_block(page)
    assert '<details class="howto province-feed" id="province-feed" open>' in page
    assert f'href="/training/public?province={NGHE_AN}"' in page


def test_the_subscribe_page_links_each_province_to_its_page(client, db):
    page = page_of(client, "/feeds/")
    assert page.count('href="/feeds/provinces/') == 34 and f'href="/feeds/provinces/{NGHE_AN}"' in page
    assert page.count("https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2F") == 4  # plan, two audiences, key dates


def test_the_qr_code_is_inline_svg_without_script_or_style_and_made_once(client, db):
    qr_svg.cache_clear()
    page_of(client, f"/feeds/provinces/{NGHE_AN}")
    page = page_of(client, f"/feeds/provinces/{NGHE_AN}")
    qr = page.split('<div class="qr" aria-hidden="true">', 1)[1].split("</div>", 1)[0]
    assert qr.startswith("<svg") and "<script" not in qr and "style=" not in qr
    assert qr_svg.cache_info().hits >= 1 and qr_svg.cache_info().misses == 1


@pytest.mark.parametrize("code", ["999", "0", "99999999999999999999", "abc"])
def test_an_unknown_province_page_is_a_404(client, db, code):
    assert client.get(f"/feeds/provinces/{code}").status_code == 404


def test_the_public_plan_filtered_by_a_province_offers_its_feed(client, db):
    assert_province_block(page_of(client, f"/training/public?province={NGHE_AN}"))
    assert 'id="province-feed"' not in page_of(client, "/training/public")


@pytest.mark.parametrize("value", ["-1", "abc", "99999999999999999999", "40<script>", "1e3"])
def test_a_hostile_province_on_the_plan_offers_no_feed(client, db, value):
    assert 'id="province-feed"' not in page_of(client, "/training/public?province=" + value)


def test_the_signed_in_plan_filtered_by_a_province_offers_its_feed(client, db, login_as):
    login_as("admin")
    assert_province_block(page_of(client, f"/training/?province={NGHE_AN}"))
    assert 'id="province-feed"' not in page_of(client, "/training/")


def test_a_coordinators_plan_opens_on_their_province_with_its_feed(client, db, login_as):
    login_as("coordinator")
    assert_province_block(page_of(client, "/training/"))
