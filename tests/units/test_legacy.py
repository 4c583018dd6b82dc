"""Pre-merger names matched to today's units through the published conversion tables, checked against the codes
that `flask units load` put in the database."""
import pytest
import vietnam_provinces
from sqlalchemy import select

from portal.units import legacy
from portal.units.models import Commune, Province


def test_the_tables_come_from_the_published_package():
    tables = legacy.conversion_tables()
    assert tables["source"].startswith("vietnam-provinces 2026.")
    # written in the codes of the release `flask units load` uses: regenerate (make legacy-units) when the pin moves
    assert tables["codes"] == f"vietnam-provinces {vietnam_provinces.__version__}"
    assert tables["effective_date"] == "2025-07-01"
    assert len(tables["provinces"]) == 63 and len(tables["wards"]) > 10_000


def test_every_legacy_province_goes_to_a_province_of_today(db):
    today = set(db.session.execute(select(Province.code)).scalars())
    targets = {p["code"]: p["to"] for p in legacy.conversion_tables()["provinces"]}
    assert len(today) == 34
    assert all(set(codes) <= today for codes in targets.values())
    # every province of today is made of at least one old one
    assert {codes[0] for codes in targets.values()} == today


def test_every_legacy_commune_goes_to_communes_of_today(db):
    today = set(db.session.execute(select(Commune.code)).scalars())
    wards = legacy.conversion_tables()["wards"]
    assert all(codes and set(codes) <= today for *_, codes in wards)


@pytest.mark.parametrize("written, today, legacy_name", [
    ("Bình Định", "Gia Lai", "Bình Định"),
    ("Tỉnh Quảng Bình", "Quảng Trị", "Quảng Bình"),
    ("Hà Tĩnh", "Hà Tĩnh", ""),
    ("Bà Rịa - Vũng Tàu", "Thành phố Hồ Chí Minh", "Bà Rịa - Vũng Tàu"),
    ("ba ria vung tau", "Thành phố Hồ Chí Minh", "Bà Rịa - Vũng Tàu"),
    ("Bình Dương", "Thành phố Hồ Chí Minh", "Bình Dương"),
    ("Hà Giang", "Tuyên Quang", "Hà Giang"),
    ("Kon Tum", "Quảng Ngãi", "Kon Tum"),
    ("Tiền Giang", "Đồng Tháp", "Tiền Giang"),
    ("Huế", "Thành phố Huế", ""),
    ("Quảng Nam", "Thành phố Đà Nẵng", "Quảng Nam"),
    ("Gia Lai", "Gia Lai", ""),
    ("TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh", ""),
    ("TP Hà Nội", "Thành phố Hà Nội", ""),
    ("Tp.Cần Thơ", "Thành phố Cần Thơ", ""),
    ("thành phố hải phòng", "Thành phố Hải Phòng", ""),
    ("Tỉnh Nghệ An", "Nghệ An", ""),
    ("40", "Nghệ An", ""),
])
def test_provinces_by_today_s_or_the_pre_merger_name(db, written, today, legacy_name):
    match = legacy.ProvinceMatcher().find(written)
    assert (match.province.name, match.legacy_name) == (today, legacy_name)


@pytest.mark.parametrize("written", ["Tỉnh Không Có", "", "99", "Tỉnh", "TP."])
def test_what_is_no_province_finds_none(db, written):
    assert legacy.ProvinceMatcher().find(written) is None


def test_a_legacy_commune_is_found_in_the_province_it_went_to(db):
    matches = legacy.legacy_communes(1, "Phường Trúc Bạch")
    assert [(m.name, m.district, [c.name for c in m.communes]) for m in matches] == [
        ("Phường Trúc Bạch", "Quận Ba Đình", ["Phường Ba Đình"])]
    assert legacy.legacy_communes(40, "Phường Trúc Bạch") == []  # not in Nghệ An


def test_a_repeated_commune_name_is_narrowed_by_its_old_district(db):
    ho_chi_minh = 79
    everywhere = legacy.legacy_communes(ho_chi_minh, "Phường 1")
    assert len({m.district for m in everywhere}) > 5
    in_district_3 = legacy.legacy_communes(ho_chi_minh, "phường 1", district="Quận 3")
    assert [m.district for m in in_district_3] == ["Quận 3"]
    assert all(c.province_code == ho_chi_minh for m in in_district_3 for c in m.communes)
