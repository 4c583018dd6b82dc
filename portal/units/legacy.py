"""Province and commune names as people still write them, including those from before the 1 July 2025 merger.

Today's units come from the database (`flask units load`); the pre-merger names and where each old unit went come
from `data/legacy_2025.json`, which `tools/build_legacy_units.py` (`make legacy-units`) writes from the conversion
tables of vietnam-provinces 2026.x. That release needs Python >= 3.12 while the portal keeps 3.11, so its tables
are shipped as data instead of imported; nothing in the file is typed by hand.
"""
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import select

from portal.core.extensions import db
from portal.units.models import Commune, Province
from portal.util.text import fold

CONVERSION_FILE = Path(__file__).with_name("data") / "legacy_2025.json"
# On folded text: "TP.", "TP", "Tp." and "Thành phố" name a city, "Tỉnh" a province; people write them or not.
PROVINCE_PREFIX = re.compile(r"^(?:thanh pho|tp\b\.?|tinh\b)\s*")
COMMUNE_PREFIX = re.compile(r"^(?:xa|phuong|thi tran|dac khu)\s+")
DISTRICT_PREFIX = re.compile(r"^(?:quan|huyen|thi xa|thanh pho)\s+")
SEPARATORS = re.compile(r"[\s\-–—.,]+")


def province_key(text: str) -> str:
    """ "TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh" and "hồ chí minh" give one key; so do "Bà Rịa - Vũng Tàu" and
    "Bà Rịa Vũng Tàu"."""
    return SEPARATORS.sub(" ", PROVINCE_PREFIX.sub("", fold(text))).strip()


def commune_key(text: str) -> str:
    """A commune's name without "Xã", "Phường", "Thị trấn" or "Đặc khu" in front, folded."""
    return SEPARATORS.sub(" ", COMMUNE_PREFIX.sub("", fold(text))).strip()


@cache
def conversion_tables() -> dict:
    """The published tables: legacy provinces with today's codes, legacy wards with today's commune codes."""
    return json.loads(CONVERSION_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class LegacyProvince:
    code: int
    name: str
    today_code: int  # the province that received most of its communes


@cache
def legacy_provinces() -> dict[str, LegacyProvince]:
    """Pre-merger provinces by key, named as today's are ("Bình Định", "Thành phố Đà Nẵng": no "Tỉnh" in front)."""
    return {province_key(p["name"]): LegacyProvince(p["code"], re.sub(r"^Tỉnh\s+", "", p["name"]), p["to"][0])
            for p in conversion_tables()["provinces"]}


@dataclass(frozen=True)
class ProvinceMatch:
    """Today's province for what was written; `legacy_name` is set when it was a pre-merger name."""

    province: Province
    legacy_name: str = ""


class ProvinceMatcher:
    """Finds today's province by code, by name with or without "TP."/"Tỉnh", or by its pre-2025 name."""

    def __init__(self):
        self.by_code: dict[int, Province] = {}
        self.by_key: dict[str, Province] = {}
        for province in db.session.execute(select(Province)).scalars():
            self.by_code[province.code] = province
            self.by_key[province_key(province.name)] = province

    def find(self, text: str) -> ProvinceMatch | None:
        written = text.strip()
        if written.isascii() and written.isdigit():
            province = self.by_code.get(int(written))
            return ProvinceMatch(province) if province else None
        key = province_key(written)
        if key in self.by_key:
            return ProvinceMatch(self.by_key[key])
        legacy = legacy_provinces().get(key)
        if legacy is None or legacy.today_code not in self.by_code:
            return None
        return ProvinceMatch(self.by_code[legacy.today_code], legacy_name=legacy.name)


@dataclass(frozen=True)
class LegacyCommune:
    """A pre-merger xã/phường/thị trấn and the commune(s) of today it became (several when it was divided)."""

    name: str
    district: str
    communes: tuple[Commune, ...]


@cache
def legacy_wards_by_key() -> dict[str, list[tuple[str, str, list[int]]]]:
    """(old name, old district, today's commune codes) of every pre-merger commune, by folded name."""
    index: dict[str, list[tuple[str, str, list[int]]]] = {}
    for _code, old_name, old_district, _old_province, today_codes in conversion_tables()["wards"]:
        index.setdefault(commune_key(old_name), []).append((old_name, old_district, today_codes))
    return index


def district_key(text: str) -> str:
    """An old district's name without "Quận", "Huyện", "Thị xã" or "Thành phố" in front, folded."""
    return SEPARATORS.sub(" ", DISTRICT_PREFIX.sub("", fold(text))).strip()


def legacy_communes(province_code: int, name: str, district: str = "") -> list[LegacyCommune]:
    """The pre-merger communes called `name` whose land is now in province `province_code`.

    Names repeat across old districts ("Phường 1"), so the old district, when given, narrows the list; the caller
    decides what to do with more than one.
    """
    found = [entry for entry in legacy_wards_by_key().get(commune_key(name), [])
             if not district or district_key(entry[1]) == district_key(district)]
    wanted = {code for *_, codes in found for code in codes}
    if not wanted:
        return []
    communes = {c.code: c for c in db.session.execute(
        select(Commune).where(Commune.code.in_(wanted), Commune.province_code == province_code)).scalars()}
    matches = [LegacyCommune(old_name, old_district, tuple(communes[c] for c in codes if c in communes))
               for old_name, old_district, codes in found]
    return [match for match in matches if match.communes]
