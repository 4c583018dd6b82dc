"""Write portal/units/data/legacy_2025.json from the conversion tables published in vietnam-provinces 2026.x.

The portal runs on Python 3.11, and vietnam-provinces 2026.x (the first release with the 2025 conversion tables)
needs Python >= 3.12, so the tables are turned into a data file here instead of being imported at run time.
Nothing in the output is typed by hand: `make legacy-units` installs the pinned release into a throwaway
virtualenv and runs this script, which only reads the package's own tables:

- `vietnam_provinces._province_conversion_2025.OLD_TO_NEW` and `_ward_conversion_2025.OLD_TO_NEW`
  (legacy code -> today's codes, effective 1 July 2025);
- `vietnam_provinces.legacy` for the legacy names of provinces, districts and wards.

vietnam-provinces renumbered 121 of today's communes between 2025.10.1, which the portal pins for `flask units
load`, and 2026.x (Phường Cửa Nam: 73, then 82). The conversion targets are therefore written in the pinned
release's codes: each of today's communes of the 2026 release is found in the pinned release's own data file
(`--pinned .../vietnam_provinces/data/flat-divisions.json`) by province and name (compared without diacritics,
case or apostrophes: "Thuỷ"/"Thủy", "M'Drắk"/"M’Drắk"); the script stops when a name is missing or ambiguous.

A legacy province whose wards went to more than one of today's provinces (Tiền Giang: 164 wards to Đồng Tháp,
one to Tây Ninh) is recorded under the province that received most of its wards, with the others listed.
"""
import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import vietnam_provinces
from vietnam_provinces._province_conversion_2025 import EFFECTIVE_DATE, OLD_TO_NEW as PROVINCES_OLD_TO_NEW
from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW as WARDS_OLD_TO_NEW
from vietnam_provinces import Province as TodayProvince
from vietnam_provinces import Ward as TodayWard
from vietnam_provinces.legacy import District, Province, Ward

OUTPUT = Path(__file__).resolve().parent.parent / "portal" / "units" / "data" / "legacy_2025.json"


def name_key(text: str) -> str:
    """The portal's folding (portal/util/text.py), without apostrophes and hyphens; this script runs outside it."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"['’‘\-–—]", " ", stripped).split())


def pinned_codes(pinned_file: Path) -> dict[int, int]:
    """The 2026 release's commune code -> the pinned release's code for the same commune."""
    pinned: dict[tuple[str, str], list[int]] = {}
    for ward in json.loads(pinned_file.read_text(encoding="utf-8")):
        pinned.setdefault((ward["province_codename"], name_key(ward["name"])), []).append(ward["code"])
    translated = {}
    for ward in TodayWard.iter_all():
        code = int(ward.code)
        candidates = pinned.get((TodayProvince.from_code(ward.province_code).codename, name_key(ward.name)), [])
        if code in candidates:
            translated[code] = code
        elif len(candidates) == 1:
            translated[code] = candidates[0]
        else:
            sys.exit(f"{ward.name} ({code}): {len(candidates)} communes of that name in {pinned_file}")
    return translated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pinned", type=Path, required=True,
                        help="flat-divisions.json of the vietnam-provinces release the portal pins")
    parser.add_argument("--pinned-version", required=True, help="that release's version, recorded in the output")
    options = parser.parse_args()
    to_pinned = pinned_codes(options.pinned)
    wards_by_province: dict[int, Counter] = {}
    for entry in WARDS_OLD_TO_NEW.values():
        counter = wards_by_province.setdefault(entry.old_ward.province_code, Counter())
        counter.update({new.province_code for new in entry.new_wards})
    provinces = []
    for old_code, entry in sorted(PROVINCES_OLD_TO_NEW.items()):
        received = wards_by_province.get(old_code, Counter())
        new_codes = sorted((ref.code for ref in entry.new_provinces), key=lambda code: (-received[code], code))
        provinces.append({"code": old_code, "name": Province.from_code(old_code).name, "to": new_codes})
    district_names = {int(d.code): d.name for d in District.iter_all()}
    ward_names = {int(w.code): w.name for w in Ward.iter_all()}
    wards = []
    for old_code, entry in sorted(WARDS_OLD_TO_NEW.items()):
        if old_code not in ward_names:  # a code of the table the legacy list does not name: no name to match
            continue
        wards.append([old_code, ward_names[old_code], district_names.get(entry.old_ward.district_code, ""),
                      entry.old_ward.province_code, sorted({to_pinned[new.code] for new in entry.new_wards})])
    document = {
        "source": f"vietnam-provinces {vietnam_provinces.__version__} (data {vietnam_provinces.__data_version__})",
        "codes": f"vietnam-provinces {options.pinned_version}",
        "effective_date": EFFECTIVE_DATE,
        "provinces": provinces,
        "wards_columns": ["code", "name", "district", "province_code", "to"],
        "wards": wards,
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    # One ward per line keeps the file's diffs readable when the package's tables change.
    OUTPUT.write_text(text.replace("],[", "],\n[") + "\n", encoding="utf-8")
    print(f"{OUTPUT}: {len(provinces)} provinces, {len(wards)} of {len(WARDS_OLD_TO_NEW)} wards "
          f"(the others have no name in the legacy list) from {document['source']}", file=sys.stderr)


if __name__ == "__main__":
    main()
