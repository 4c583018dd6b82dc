"""Loading the official unit list, and the queries and changes behind the unit pages."""
import re
import unicodedata
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, insert, select
from sqlalchemy.orm import joinedload
from vietnam_provinces import Province as OfficialProvince
from vietnam_provinces import VietNamDivisionType as DivisionType
from vietnam_provinces import Ward as OfficialWard

from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.util.text import fold, sort_key
from portal.units.models import Commune, Department, Province

COMMUNE_KIND_BY_TYPE = {DivisionType.XA: "xa", DivisionType.PHUONG: "phuong", DivisionType.DAC_KHU: "dac_khu"}
PROVINCE_KIND_BY_TYPE = {DivisionType.TINH: "tinh", DivisionType.THANH_PHO_TRUNG_UONG: "thanh_pho"}
COMMUNE_KIND_LABELS = {"xa": _l("Commune (xã)"), "phuong": _l("Ward (phường)"), "dac_khu": _l("Special zone (đặc khu)")}
DEPARTMENT_NAMES = {
    "vhttdl": "Sở Văn hóa, Thể thao và Du lịch",
    "vhtt": "Sở Văn hóa và Thể thao",
    "dl": "Sở Du lịch",
}


@dataclass
class LoadReport:
    provinces_added: int = 0
    provinces_updated: int = 0
    communes_added: int = 0
    communes_updated: int = 0
    departments_added: int = 0

    @property
    def changed(self) -> bool:
        return any(vars(self).values())


def official_provinces() -> list[dict]:
    return [
        {
            "code": int(p.code),
            "name": p.name,
            "kind": PROVINCE_KIND_BY_TYPE[p.division_type],
            "codename": p.codename,
            "phone_code": p.phone_code,
            "search_name": fold(p.name),
            "sort_key": sort_key(p.name),
        }
        for p in OfficialProvince.iter_all()
    ]


def official_communes() -> list[dict]:
    return [
        {
            "code": int(w.code),
            "province_code": int(w.province_code),
            "name": w.name,
            "kind": COMMUNE_KIND_BY_TYPE[w.division_type],
            "codename": w.codename,
            "search_name": fold(w.name),
            "sort_key": sort_key(w.name),
        }
        for w in OfficialWard.iter_all()
    ]


def upsert(model, rows: list[dict], fields: tuple[str, ...]) -> tuple[int, int]:
    """Insert rows missing by code and update rows whose fields differ; return (added, updated)."""
    existing = {obj.code: obj for obj in db.session.execute(select(model)).scalars()}
    new_rows = [row for row in rows if row["code"] not in existing]
    updated = 0
    for row in rows:
        obj = existing.get(row["code"])
        if obj is not None and any(getattr(obj, f) != row[f] for f in fields):
            for field in fields:
                setattr(obj, field, row[field])
            updated += 1
    if new_rows:
        db.session.execute(insert(model), new_rows)
    return len(new_rows), updated


def load_official_units() -> LoadReport:
    """Bring provinces and communes in line with the vietnam-provinces package, in one transaction.

    Idempotent: a second run changes nothing; a unit renamed upstream is updated in place by its code.
    Each province without a department gets one Sở VHTTDL, which admins may later rename or split.
    """
    report = LoadReport()
    province_fields = ("name", "kind", "codename", "phone_code", "search_name", "sort_key")
    commune_fields = ("province_code", "name", "kind", "codename", "search_name", "sort_key")
    report.provinces_added, report.provinces_updated = upsert(Province, official_provinces(), province_fields)
    report.communes_added, report.communes_updated = upsert(Commune, official_communes(), commune_fields)
    with_department = set(db.session.execute(select(Department.province_code).distinct()).scalars())
    missing = [code for code in db.session.execute(select(Province.code)).scalars() if code not in with_department]
    if missing:
        db.session.execute(
            insert(Department),
            [{"province_code": code, "kind": "vhttdl", "name": DEPARTMENT_NAMES["vhttdl"]} for code in missing],
        )
    report.departments_added = len(missing)
    db.session.commit()
    return report


def province_rows(provinces: Select, search: str = "") -> list[tuple[Province, dict[str, int]]]:
    """Provinces in official code order with their commune counts per kind, in two queries."""
    if search:
        provinces = provinces.where(Province.search_name.contains(fold(search), autoescape=True))
    found = db.session.execute(provinces.order_by(Province.code)).scalars().all()
    counts: dict[int, dict[str, int]] = {p.code: {"xa": 0, "phuong": 0, "dac_khu": 0} for p in found}
    if found:
        grouped = db.session.execute(
            select(Commune.province_code, Commune.kind, func.count())
            .where(Commune.province_code.in_(counts))
            .group_by(Commune.province_code, Commune.kind)
        )
        for province_code, kind, count in grouped:
            counts[province_code][kind] = count
    return [(province, counts[province.code]) for province in found]


def communes_query(province: Province, search: str = "", kind: str = "") -> Select:
    """A province's communes in Vietnamese dictionary order, filtered by folded name and kind."""
    query = select(Commune).where(Commune.province_code == province.code)
    if search:
        query = query.where(Commune.search_name.contains(fold(search), autoescape=True))
    if kind in COMMUNE_KIND_LABELS:
        query = query.where(Commune.kind == kind)
    return query.order_by(Commune.sort_key, Commune.code)


def rename_department(department: Department, name: str) -> Department:
    name = " ".join(name.split())
    if not name:
        raise DomainError(_l("The department needs a name."))
    department.name = name
    db.session.commit()
    return department


def split_department(province: Province) -> list[Department]:
    """Turn the province's single Sở VHTTDL into a Sở VH&TT and a Sở DL (the other arrangement)."""
    kinds = {d.kind for d in province.departments}
    if kinds != {"vhttdl"}:
        raise DomainError(_l("Only a single Sở VHTTDL can be split into Sở VH&TT and Sở DL."))
    combined = province.departments[0]
    combined.kind = "vhtt"
    combined.name = DEPARTMENT_NAMES["vhtt"]
    db.session.flush()
    db.session.add(Department(province_code=province.code, kind="dl", name=DEPARTMENT_NAMES["dl"]))
    db.session.commit()
    return province.departments


def merge_departments(province: Province) -> Department:
    """Undo a split: Sở VH&TT and Sở DL become one Sở VHTTDL again."""
    by_kind = {d.kind: d for d in province.departments}
    if set(by_kind) != {"vhtt", "dl"}:
        raise DomainError(_l("Only a Sở VH&TT and a Sở DL can be merged into one Sở VHTTDL."))
    db.session.delete(by_kind["dl"])
    db.session.flush()
    merged = by_kind["vhtt"]
    merged.kind = "vhttdl"
    merged.name = DEPARTMENT_NAMES["vhttdl"]
    db.session.commit()
    return merged


KIND_WORDS = re.compile(r"^(xa|phuong|dac khu)\s+")
KIND_WORDS_WRITTEN = re.compile(r"^(xã|phường|đặc khu)\s+")


def communes_named(text: str, province_code: int | None = None, limit: int = 20) -> list[Commune]:
    """The communes a person means by a typed name, with or without diacritics and the word "xã"/"phường".

    Names equal once folded come first ("Dien Chau" finds "Xã Diễn Châu"); when none is, names that contain
    the text. Among several, the ones written exactly as typed (diacritics included) win, since folding
    makes "Vân Lăng" and "Văn Lang" alike. In dictionary order, each with its province loaded.
    """
    core = KIND_WORDS.sub("", fold(text))
    if not core:
        return []
    query = select(Commune).options(joinedload(Commune.province)).order_by(Commune.sort_key, Commune.code)
    if province_code:
        query = query.where(Commune.province_code == province_code)
    whole_names = [core] + [f"{kind} {core}" for kind in ("xa", "phuong", "dac khu")]
    found = db.session.execute(query.where(Commune.search_name.in_(whole_names)).limit(limit)).scalars().all()
    if not found:
        found = db.session.execute(
            query.where(Commune.search_name.contains(core, autoescape=True)).limit(limit)
        ).scalars().all()
    typed = KIND_WORDS_WRITTEN.sub("", " ".join(unicodedata.normalize("NFC", text).lower().split()))
    written_alike = [c for c in found if KIND_WORDS_WRITTEN.sub("", c.name.lower()) == typed]
    return written_alike or found
