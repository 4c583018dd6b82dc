"""Loading the official units and the department rules."""
import pytest
from sqlalchemy import func, select

from portal.core.errors import DomainError
from portal.core.extensions import db as database
from portal.util.text import fold, sort_key
from portal.units import services
from portal.units.models import Commune, Department, Province
from tests.factories import HA_NOI, HO_CHI_MINH, NGHE_AN


def count(model, *where) -> int:
    return database.session.scalar(select(func.count()).select_from(model).where(*where))


def test_official_list_is_complete(db):
    assert count(Province) == 34
    assert count(Commune) == 3321
    assert count(Commune, Commune.kind == "xa") == 2621
    assert count(Commune, Commune.kind == "phuong") == 687
    assert count(Commune, Commune.kind == "dac_khu") == 13
    assert count(Commune, Commune.province_code == HA_NOI) == 126
    assert count(Commune, Commune.province_code == NGHE_AN) == 130
    assert count(Commune, Commune.province_code == HO_CHI_MINH) == 168
    assert db.session.get(Province, NGHE_AN).name == "Nghệ An"


def test_each_province_starts_with_one_combined_department(db):
    assert count(Department) == 34
    assert count(Department, Department.kind == "vhttdl") == 34


def test_loading_again_changes_nothing(db):
    report = services.load_official_units()
    assert not report.changed
    assert count(Province) == 34 and count(Commune) == 3321 and count(Department) == 34


def test_a_unit_renamed_upstream_is_updated_not_duplicated(db):
    commune = db.session.execute(select(Commune).where(Commune.province_code == NGHE_AN).limit(1)).scalar_one()
    official_name = commune.name
    commune.name, commune.search_name = "Xã Tên Cũ", "xa ten cu"
    db.session.commit()
    report = services.load_official_units()
    assert (report.communes_added, report.communes_updated) == (0, 1)
    db.session.refresh(commune)
    assert commune.name == official_name and commune.search_name == fold(official_name)
    assert count(Commune) == 3321


def test_fold_ignores_diacritics_and_case():
    assert fold("Nghệ An") == "nghe an"
    assert fold("  ĐẮK   LẮK ") == "dak lak"


def test_sort_key_puts_d_with_stroke_after_d():
    names = ["Điện Biên", "Đà Nẵng", "Dương Minh Châu", "Cà Mau", "An Giang", "Ân Thi", "Hải Phòng", "Hà Nội"]
    assert sorted(names, key=sort_key) == [
        "An Giang", "Ân Thi", "Cà Mau", "Dương Minh Châu", "Đà Nẵng", "Điện Biên", "Hà Nội", "Hải Phòng",
    ]


def test_communes_are_listed_in_dictionary_order(db):
    province = db.session.get(Province, NGHE_AN)
    names = [c.name for c in db.session.execute(services.communes_query(province)).scalars()]
    assert names == sorted(names, key=sort_key)
    assert len(names) == 130


def test_commune_search_ignores_diacritics(db):
    province = db.session.get(Province, NGHE_AN)
    accented = db.session.execute(services.communes_query(province, "Cửa Lò")).scalars().all()
    plain = db.session.execute(services.communes_query(province, "cua lo")).scalars().all()
    assert accented and accented == plain
    assert all("Cửa Lò" in c.name for c in plain)


def test_province_search_finds_nghe_an_without_diacritics(db):
    rows = services.province_rows(select(Province), "nghe an")
    assert [p.name for p, _ in rows] == ["Nghệ An"]
    assert sum(rows[0][1].values()) == 130


def test_split_and_merge_departments(db):
    province = db.session.get(Province, NGHE_AN)
    departments = services.split_department(province)
    assert sorted(d.kind for d in departments) == ["dl", "vhtt"]
    assert {d.name for d in departments} == {"Sở Văn hóa và Thể thao", "Sở Du lịch"}
    with pytest.raises(DomainError):
        services.split_department(province)
    merged = services.merge_departments(province)
    assert merged.kind == "vhttdl" and len(province.departments) == 1
    with pytest.raises(DomainError):
        services.merge_departments(province)


def test_rename_department_refuses_an_empty_name(db):
    department = db.session.get(Province, NGHE_AN).departments[0]
    with pytest.raises(DomainError):
        services.rename_department(department, "   ")
    assert services.rename_department(department, "  Sở  VHTTDL Nghệ An ").name == "Sở VHTTDL Nghệ An"
