"""Where a material is also published: https links only, one row per platform, editors only, a constant-query list."""
import re
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.audit.models import AuditEvent
from portal.core.errors import DomainError
from portal.materials import services as materials
from portal.materials.models import Material, MaterialPublication
from tests.conftest import start_session

BDHVS = "binh_dan_hoc_vu_so"
TODAY = date(2026, 1, 12)  # the tests' clock (CLOCK_NOW) in Vietnam


def add_material(admin, title="Hướng dẫn tiếp nhận hồ sơ", link="https://elearning.gov.vn/tthc"):
    return materials.add_link(admin, title, "", "commune", "1.0", date(2026, 1, 5), True, link)


def publication_rows(db) -> list[MaterialPublication]:
    return db.session.execute(select(MaterialPublication).order_by(MaterialPublication.id)).scalars().all()


def actions(db) -> list[str]:
    return db.session.execute(select(AuditEvent.action).where(AuditEvent.action.startswith("material."))
                              .order_by(AuditEvent.id)).scalars().all()


@pytest.mark.parametrize("url", [
    "http://binhdanhocvuso.gov.vn/tai-lieu/1",
    "javascript:alert(1)",
    "JavaScript://binhdanhocvuso.gov.vn/%0aalert(1)",
    "https://nguoi:matkhau@binhdanhocvuso.gov.vn/tai-lieu/1",
    "https://nguoi@binhdanhocvuso.gov.vn/tai-lieu/1",
    "https://",
    "https:///tai-lieu/1",
    "https://binh dan.gov.vn/",
    "https://binhdanhocvuso.gov.vn/tai lieu",
    "https://binhdanhocvuso.gov.vn\\@evil.vn/",
    "https://localhost/tai-lieu",
    "https://10.0.0.1/tai-lieu",
    "https://binhdanhocvuso.gov.vn:99999/",
    "https://-bad-.gov.vn/",
    "https://binhdanhocvuso.gov.vn/" + "a" * 480,
    "",
    "   ",
])
def test_a_link_that_is_not_a_plain_https_address_is_refused(db, admin, url):
    material = add_material(admin)
    with pytest.raises(DomainError) as refused:
        materials.publish(admin, material, BDHVS, url, TODAY)
    assert refused.value.field == "url"
    db.session.rollback()
    assert publication_rows(db) == [] and actions(db) == []


@pytest.mark.parametrize("url", [
    "https://binhdanhocvuso.gov.vn/khoa-hoc/123?bai=2#muc-1",
    "  https://dichvucong.gov.vn/p/home/dvc-tai-lieu.html  ",
    "https://moj.gov.vn:443/tai-lieu",
    "https://bộtưpháp.vn/tài-liệu",
])
def test_a_well_formed_https_link_is_kept_as_typed(db, admin, url):
    material = add_material(admin)
    saved = materials.publish(admin, material, BDHVS, url, TODAY)
    assert saved.url == url.strip()


def test_the_date_may_be_today_but_not_in_the_future(db, admin):
    material = add_material(admin)
    with pytest.raises(DomainError) as refused:
        materials.publish(admin, material, BDHVS, "https://binhdanhocvuso.gov.vn/1", date(2026, 1, 13))
    assert refused.value.field == "published_on"
    db.session.rollback()
    assert publication_rows(db) == []
    assert materials.publish(admin, material, BDHVS, "https://binhdanhocvuso.gov.vn/1", TODAY).published_on == TODAY


def test_an_unknown_platform_is_refused(db, admin):
    with pytest.raises(DomainError) as refused:
        materials.publish(admin, add_material(admin), "youtube", "https://youtube.com/x", TODAY)
    assert refused.value.field == "platform"


def test_adding_a_platform_again_updates_its_link(db, admin, trainer):
    material = add_material(admin)
    first = materials.publish(admin, material, BDHVS, "https://binhdanhocvuso.gov.vn/cu", date(2026, 1, 2))
    materials.publish(trainer, material, "ministry_portal", "https://moj.gov.vn/tai-lieu", date(2026, 1, 3))
    again = materials.publish(trainer, material, BDHVS, "https://binhdanhocvuso.gov.vn/moi", date(2026, 1, 9))
    rows = publication_rows(db)
    assert again.id == first.id and len(rows) == 2
    assert (again.url, again.published_on, again.added_by_id) == ("https://binhdanhocvuso.gov.vn/moi",
                                                                  date(2026, 1, 9), admin.id)
    assert actions(db) == ["material.publication_add", "material.publication_add", "material.publication_update"]


def test_the_database_holds_one_row_per_platform_a_known_platform_and_drops_them_with_the_material(db, admin):
    """The migration's constraints, whatever the service does."""
    material = add_material(admin)
    materials.publish(admin, material, BDHVS, "https://binhdanhocvuso.gov.vn/1", TODAY)
    for platform in (BDHVS, "youtube"):
        with pytest.raises(IntegrityError):
            with db.session.begin_nested():
                db.session.add(MaterialPublication(material_id=material.id, platform=platform,
                                                   url="https://x.vn/", published_on=TODAY))
    db.session.execute(Material.__table__.delete().where(Material.id == material.id))
    assert db.session.scalar(select(func.count(MaterialPublication.id))) == 0


def test_an_editor_adds_changes_and_removes_a_platform_on_the_material_page(client, db, admin, trainer):
    material = add_material(admin)
    start_session(client, trainer)
    page = client.get(f"/materials/{material.id}/publications")
    assert page.status_code == 200 and 'value="2026-01-12"' in page.get_data(as_text=True)
    url = f"/materials/{material.id}/publications"
    form = {"platform": BDHVS, "url": "https://binhdanhocvuso.gov.vn/khoa-hoc/7", "published_on": "2026-01-10"}
    assert client.post(url, data=form).status_code == 302
    assert client.post(url, data={**form, "url": "https://binhdanhocvuso.gov.vn/khoa-hoc/8"}).status_code == 302
    body = client.get(url).get_data(as_text=True)
    assert "https://binhdanhocvuso.gov.vn/khoa-hoc/8" in body and "khoa-hoc/7" not in body
    assert client.post(f"{url}/remove", data={"platform": BDHVS}).status_code == 302
    assert publication_rows(db) == []
    assert actions(db) == ["material.publication_add", "material.publication_update", "material.publication_remove"]
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "material.publication_remove")).scalar()
    assert (event.actor_id, event.target) == (trainer.id, f"material:{material.id}")


@pytest.mark.parametrize("url, date_text, message", [
    ("http://binhdanhocvuso.gov.vn/1", "2026-01-10", "https://"),
    ("javascript:alert(document.cookie)", "2026-01-10", "https://"),
    ("https://a:b@binhdanhocvuso.gov.vn/1", "2026-01-10", "tên đăng nhập hay mật khẩu"),
    ("https://binhdanhocvuso.gov.vn/1", "2026-02-01", "không được sau ngày hôm nay"),
])
def test_the_page_shows_a_refusal_next_to_the_field_and_writes_nothing(client, db, admin, url, date_text, message):
    material = add_material(admin)
    start_session(client, admin)
    response = client.post(f"/materials/{material.id}/publications",
                           data={"platform": BDHVS, "url": url, "published_on": date_text})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert publication_rows(db) == [] and actions(db) == []


@pytest.mark.parametrize("role", ["coordinator", "commune_admin", "viewer", "agent"])
def test_who_may_not_add_materials_may_not_say_where_they_are_published(client, db, admin, login_as, role):
    material = add_material(admin)
    materials.publish(admin, material, BDHVS, "https://binhdanhocvuso.gov.vn/1", TODAY)
    login_as(role)
    url = f"/materials/{material.id}/publications"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"platform": "ministry_portal", "url": "https://moj.gov.vn/1",
                                  "published_on": "2026-01-10"}).status_code == 403
    assert client.post(f"{url}/remove", data={"platform": BDHVS}).status_code == 403
    assert [row.platform for row in publication_rows(db)] == [BDHVS]
    assert "/publications" not in client.get("/materials/").get_data(as_text=True)


def test_the_public_is_sent_to_sign_in_and_bad_addresses_are_not_errors(client, db, admin):
    material = add_material(admin)
    response = client.get(f"/materials/{material.id}/publications")
    assert response.status_code == 302 and "/auth/login" in response.location
    start_session(client, admin)
    assert client.get("/materials/2147483647/publications").status_code == 404
    assert client.get("/materials/99999999999999999999/publications").status_code == 404
    assert client.post(f"/materials/{material.id}/publications/remove", data={"platform": "youtube"}).status_code == 400
    assert client.post(f"/materials/{material.id}/publications/remove", data={}).status_code == 400


def test_the_list_tags_platforms_and_filters_those_not_yet_on_binh_dan_hoc_vu_so(client, db, admin, login_as):
    sent = add_material(admin, title="Tài liệu đã gửi")
    waiting = add_material(admin, title="Tài liệu chưa gửi")
    materials.publish(admin, sent, BDHVS, "https://binhdanhocvuso.gov.vn/tai-lieu/9", TODAY)
    materials.publish(admin, waiting, "national_public_service_portal", "https://dichvucong.gov.vn/t/4", TODAY)
    everything = client.get("/materials/").get_data(as_text=True)
    assert re.search(r'<a class="tag published" href="https://binhdanhocvuso.gov.vn/tai-lieu/9" rel="noopener">', everything)
    assert 'href="https://dichvucong.gov.vn/t/4" rel="noopener"' in everything
    assert "Tài liệu đã gửi" in everything and "Tài liệu chưa gửi" in everything
    login_as("viewer")
    followed_up = client.get(f"/materials/?not_on={BDHVS}").get_data(as_text=True)
    assert "Tài liệu chưa gửi" in followed_up and "Tài liệu đã gửi" not in followed_up
    assert f'value="{BDHVS}" selected' in followed_up
    on_portal = client.get("/materials/?not_on=national_public_service_portal").get_data(as_text=True)
    assert "Tài liệu đã gửi" in on_portal and "Tài liệu chưa gửi" not in on_portal
    unknown = client.get("/materials/?not_on=youtube").get_data(as_text=True)
    assert "Tài liệu đã gửi" in unknown and "Tài liệu chưa gửi" in unknown
    materials.publish(admin, waiting, BDHVS, "https://binhdanhocvuso.gov.vn/tai-lieu/10", TODAY)
    done = client.get(f"/materials/?not_on={BDHVS}")
    assert done.status_code == 200 and "Tài liệu chưa gửi" not in done.get_data(as_text=True)


def test_the_list_reads_every_materials_publications_in_one_query(client, db, admin, count_queries):
    def page_statements() -> list[str]:
        with count_queries() as statements:
            assert client.get("/materials/").status_code == 200
        return statements

    add_material(admin, title="Tài liệu 0")
    few = page_statements()
    for number in range(1, 7):
        material = add_material(admin, title=f"Tài liệu {number}")
        for platform in ("binh_dan_hoc_vu_so", "ministry_portal", "national_public_service_portal"):
            materials.publish(admin, material, platform, f"https://{platform.replace('_', '-')}.gov.vn/{number}", TODAY)
    many = page_statements()
    assert len(many) == len(few)
    assert sum("material_publications" in statement for statement in many) == 1
    with count_queries() as filtered:
        assert client.get(f"/materials/?not_on={BDHVS}").status_code == 200
    assert len(filtered) == len(few)
