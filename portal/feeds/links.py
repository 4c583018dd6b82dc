"""A feed's subscribe links (https, webcal, Google Calendar) and QR code, for every page that offers a feed."""
from functools import lru_cache
from urllib.parse import quote

import segno
from markupsafe import Markup

from portal.util.urls import public_url

GOOGLE_ADD_BY_URL = "https://calendar.google.com/calendar/render?cid="


@lru_cache(maxsize=256)
def qr_svg(url: str) -> Markup:
    """A QR code of the URL as inline SVG (no script, no style: CSP-safe), made once per URL and process."""
    # segno writes the SVG itself from the QR matrix; our own URL is encoded in modules, not in markup.
    return Markup(segno.make(url, error="m").svg_inline(scale=3))  # nosec B704


def webcal_url(https: str) -> str:
    """The same address under webcal://, which calendar apps take as "subscribe" rather than "download"."""
    return "webcal://" + https.split("://", 1)[1]


def subscribe_links(endpoint: str, **values) -> dict:
    """The https and webcal addresses of a feed, Google Calendar's "add by URL" link, and a QR code for phones.

    A tap on a bare https link downloads a one-off file on Android; webcal:// subscribes in Apple's and Outlook's
    apps, and Google's link subscribes its calendar (which reads webcal:// and keeps fetching).
    """
    https = public_url(endpoint, **values)
    webcal = webcal_url(https)
    return {"https": https, "webcal": webcal, "google": GOOGLE_ADD_BY_URL + quote(webcal, safe=""), "qr": qr_svg(https)}
