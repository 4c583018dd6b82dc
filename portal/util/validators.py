"""Vietnamese phone numbers and citizen ids (CCCD): parsing, storage form, display and masking.

Digits are matched with [0-9], never \\d, which also accepts Arabic-Indic and other scripts' digits.
"""
import re

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
MOBILE = re.compile(r"0[35789][0-9]{8}")
LANDLINE = re.compile(r"02[0-9]{9}")
CCCD = re.compile(r"[0-9]{12}")


def parse_phone(text: str) -> str | None:
    """A Vietnamese mobile or landline in E.164 (+84...), or None when it is not one.

    Accepts 0912 345 678, 0912.345.678, +84 912 345 678, 84912345678 and 11-digit landlines (024 3826 1234).
    """
    compact = PHONE_SEPARATORS.sub("", text or "")
    if compact.startswith("+84"):
        compact = "0" + compact[3:]
    elif compact.startswith("84") and len(compact) in (11, 12):
        compact = "0" + compact[2:]
    if MOBILE.fullmatch(compact) or LANDLINE.fullmatch(compact):
        return "+84" + compact[1:]
    return None


# Hà Nội (024) and Hồ Chí Minh City (028) have 3-digit area codes and 8-digit numbers; other provinces' landlines
# have a 4-digit area code (0238 Nghệ An) and 7 digits, so an area code is never split across groups.
SHORT_AREA_CODES = ("024", "028")
STORED_E164 = re.compile(r"\+84[0-9]{9,10}")


def display_phone(e164: str | None) -> str:
    """+84912345678 -> 0912 345 678; landlines keep their area code whole: 024 3826 1234, 0238 384 4556."""
    if not e164:
        return ""
    national = "0" + e164[3:]
    if len(national) == 11 and national[:3] in SHORT_AREA_CODES:
        return f"{national[:3]} {national[3:7]} {national[7:]}"
    return f"{national[:4]} {national[4:7]} {national[7:]}"


def phone_as_typed(text: str) -> str | None:
    """The number as its author grouped it (runs of spaces made one), or None when it is not a Vietnamese phone.

    Published numbers ("0238 3 844 556") are kept as typed: people read and dial them the way the province prints them.
    """
    typed = " ".join((text or "").split())
    return typed if len(typed) <= 30 and parse_phone(typed) else None


def shown_phone(stored: str | None) -> str:
    """A stored number for reading: as typed, or grouped by display_phone when it was stored as E.164."""
    if not stored:
        return ""
    return display_phone(stored) if STORED_E164.fullmatch(stored) else stored


def tel_uri(stored: str | None) -> str:
    """The tel: address of a stored number (typed or E.164), "" when there is none."""
    e164 = parse_phone(stored or "")
    return f"tel:{e164}" if e164 else ""


def mask_phone(e164: str | None) -> str:
    shown = display_phone(e164)
    return shown[:4] + " *** " + shown[-3:] if shown else ""


def is_cccd(text: str) -> bool:
    return bool(CCCD.fullmatch(text or ""))


def mask_cccd(cccd: str | None) -> str:
    """Only the last four digits: the first six encode birth province, gender and year."""
    return "********" + cccd[-4:] if cccd else ""


def mask_email(email: str | None) -> str:
    if not email or "@" not in email:
        return ""
    name, domain = email.split("@", 1)
    return f"{name[:1]}***@{domain}"


class VietnamesePhone:
    """WTForms validator: a Vietnamese mobile or landline number."""

    def __call__(self, form, field):
        if field.data and parse_phone(field.data) is None:
            raise ValidationError(
                _l("Enter a Vietnamese phone number: a 10-digit mobile (0912 345 678) or a landline with its area code.")
            )


class CitizenId:
    """WTForms validator: a CCCD of exactly 12 ASCII digits."""

    def __call__(self, form, field):
        if field.data and not is_cccd(field.data.strip()):
            raise ValidationError(_l("The CCCD number has exactly 12 digits (0–9)."))
