"""Folding and sorting Vietnamese text the way a reader expects (pins every rule of portal/util/text.py)."""
import pytest

from portal.util.text import fold, sort_key


def test_fold_drops_diacritics_case_and_extra_spaces():
    assert fold("  Đắk   Lắk ") == "dak lak"
    assert fold("ĐỒNG THÁP") == "dong thap"
    assert fold("đường Ưng Hoà") == "duong ung hoa"


def test_tones_sort_in_vietnamese_order_ngang_huyen_hoi_nga_sac_nang():
    names = ["Bạ", "Bá", "Bã", "Bả", "Bà", "Ba"]
    assert sorted(names, key=sort_key) == ["Ba", "Bà", "Bả", "Bã", "Bá", "Bạ"]


def test_letters_outrank_tones_and_vowel_marks_are_letters():
    # "Bà" beats "Ba" on tone only when the letters are equal; the next letter decides first.
    assert sorted(["Bàc", "Bab"], key=sort_key) == ["Bab", "Bàc"]
    assert sorted(["Ân", "Ăn", "An", "Bo"], key=sort_key) == ["An", "Ăn", "Ân", "Bo"]
    # Composed (NFC) and decomposed (NFD) spellings of one name share a key.
    assert sort_key("Ho\u0300a") == sort_key("Hòa")


def test_a_shorter_name_sorts_before_a_longer_one_that_starts_with_it():
    assert sorted(["Bà Rịa", "Bà", "Ba Đình", "Ba"], key=sort_key) == ["Ba", "Bà", "Ba Đình", "Bà Rịa"]


def test_numbers_sort_by_value():
    names = ["Phường 10", "Phường 2", "Phường 1", "Phường 21", "Phường 3"]
    assert sorted(names, key=sort_key) == ["Phường 1", "Phường 2", "Phường 3", "Phường 10", "Phường 21"]
    assert sorted(["Khu 10", "Khu 007"], key=sort_key) == ["Khu 007", "Khu 10"]
    assert sorted(["Sơn Kim 2", "Sơn Kim 12", "Sơn Kim 1"], key=sort_key) == ["Sơn Kim 1", "Sơn Kim 2", "Sơn Kim 12"]


def test_a_number_sorts_after_spaces_and_punctuation_and_before_letters():
    assert sorted(["Tổ A", "Tổ 9", "Tổ-1"], key=sort_key) == ["Tổ-1", "Tổ 9", "Tổ A"]
    assert sorted(["Tổ 0 B", "Tổ 00 A"], key=sort_key) == ["Tổ 00 A", "Tổ 0 B"]
    # A name that only continues with a number still follows the name itself.
    assert sorted(["Tổ 1", "Tổ"], key=sort_key) == ["Tổ", "Tổ 1"]


@pytest.mark.parametrize("name", ["Phường 0", "Bà Rịa - Vũng Tàu", "Đặc khu Côn Đảo", "Xã 007", "Ngõ 12/3", "José"])
def test_the_key_is_ascii_digits_only_so_any_database_collation_keeps_the_order(name):
    key = sort_key(name)
    assert key.isascii() and key.isdigit()


def test_the_key_of_every_official_unit_fits_its_column():
    from vietnam_provinces import Province, Ward

    names = [p.name for p in Province.iter_all()] + [w.name for w in Ward.iter_all()]
    assert max(len(sort_key(name)) for name in names) <= 400  # units.sort_key is String(400)
