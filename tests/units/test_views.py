"""The unit pages as people use them."""
from portal.units.models import Province
from tests.factories import HA_NOI, NGHE_AN


def test_admin_browses_provinces_then_nghe_an_communes(client, login_as):
    login_as("admin")
    page = client.get("/units/").get_data(as_text=True)
    assert "Nghệ An" in page and "Thành phố Hà Nội" in page and "3.321" in page  # counts written the Vietnamese way
    page = client.get(f"/units/provinces/{NGHE_AN}").get_data(as_text=True)
    assert "Sở Văn hóa, Thể thao và Du lịch" in page
    assert "Page 1 of 3" in page or "Trang 1/3" in page


def test_province_search_without_diacritics(client, login_as):
    login_as("viewer")
    page = client.get("/units/?q=nghe+an").get_data(as_text=True)
    assert "Nghệ An" in page and "Thành phố Hà Nội" not in page


def test_commune_search_and_kind_filter(client, login_as):
    login_as("admin")
    page = client.get(f"/units/provinces/{NGHE_AN}?q=cua+lo").get_data(as_text=True)
    assert "Phường Cửa Lò" in page
    page = client.get(f"/units/provinces/{NGHE_AN}?q=cua+lo&kind=xa").get_data(as_text=True)
    assert "Phường Cửa Lò" not in page


def test_commune_pages_cost_the_same_number_of_queries(client, login_as, count_queries):
    login_as("admin")
    with count_queries() as first:
        assert client.get(f"/units/provinces/{HA_NOI}?page=1").status_code == 200
    with count_queries() as last:
        assert client.get(f"/units/provinces/{HA_NOI}?page=3").status_code == 200
    assert len(last) <= len(first) <= 6  # the last page may skip the count


def test_province_list_costs_a_constant_number_of_queries(client, login_as, count_queries):
    login_as("admin")
    with count_queries() as statements:
        assert client.get("/units/").status_code == 200
    assert len(statements) <= 4


def test_coordinator_sees_only_their_province(client, login_as):
    login_as("coordinator", province_code=NGHE_AN)
    page = client.get("/units/").get_data(as_text=True)
    assert "Nghệ An" in page and "Thành phố Hà Nội" not in page
    assert client.get(f"/units/provinces/{NGHE_AN}").status_code == 200
    assert client.get(f"/units/provinces/{HA_NOI}").status_code == 404


def test_admin_renames_and_splits_departments(client, login_as, db):
    login_as("admin")
    department = db.session.get(Province, NGHE_AN).departments[0]
    response = client.post(f"/units/departments/{department.id}/name", data={"name": "Sở VHTTDL tỉnh Nghệ An"})
    assert response.status_code == 302
    db.session.refresh(department)
    assert department.name == "Sở VHTTDL tỉnh Nghệ An"
    client.post(f"/units/provinces/{NGHE_AN}/departments/split")
    db.session.expire_all()
    assert sorted(d.kind for d in db.session.get(Province, NGHE_AN).departments) == ["dl", "vhtt"]


def test_only_admins_change_departments(client, login_as, db):
    login_as("coordinator", province_code=NGHE_AN)
    department = db.session.get(Province, NGHE_AN).departments[0]
    assert client.post(f"/units/departments/{department.id}/name", data={"name": "X"}).status_code == 403
    assert client.post(f"/units/provinces/{NGHE_AN}/departments/split").status_code == 403


def test_units_load_cli_is_idempotent(runner):
    result = runner.invoke(args=["units", "load"])
    assert result.exit_code == 0, result.output
    assert "Already up to date." in result.output


def test_counts_are_written_the_way_each_language_does(client, login_as):
    login_as("viewer")
    assert "3.321" in client.get("/units/").get_data(as_text=True)
    client.post("/language", data={"language": "en"})
    assert "3,321" in client.get("/units/").get_data(as_text=True)
