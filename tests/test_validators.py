"""Phone numbers and CCCD: what is accepted, how it is stored, shown and masked."""
import pytest

from portal.util.validators import display_phone, is_cccd, mask_cccd, mask_email, mask_phone, parse_phone


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0912345678", "+84912345678"),
        ("0912 345 678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("(024) 3826 1234", "+842438261234"),
    ],
)
def test_vietnamese_numbers_are_stored_in_e164(typed, stored):
    assert parse_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["", "091234567", "09123456789", "0112345678", "1912345678", "abc", "٠٩١٢٣٤٥٦٧٨", "０９１２３４５６７８", "0912-345-67a"],
)
def test_other_input_is_not_a_phone_number(typed):
    assert parse_phone(typed) is None


def test_numbers_are_shown_the_vietnamese_way_and_masked():
    assert display_phone("+84912345678") == "0912 345 678"
    assert display_phone("+842438261234") == "024 3826 1234"
    assert mask_phone("+84912345678") == "0912 *** 678"
    assert mask_email("nguyen.van.a@nghean.gov.vn") == "n***@nghean.gov.vn"


def test_cccd_is_twelve_ascii_digits_and_masked_to_the_last_four():
    assert is_cccd("001234567890")
    for bad in ("00123456789", "0012345678901", "00123456789a", "٠٠١٢٣٤٥٦٧٨٩٠", "001234 567890"):
        assert not is_cccd(bad)
    assert mask_cccd("001234567890") == "********7890"
