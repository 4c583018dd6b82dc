"""Integrations per province: kinds as data, statuses with a dated history, who may edit, masking, the matrix."""
import io
from datetime import datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.core.errors import DomainError
from portal.demo.integrations import CONNECTED_BY_APRIL, load_demo_integrations
from portal.integrations import services
from portal.integrations.models import Integration, IntegrationKind
from portal.units.models import Province
from tests import factories
from tests.conftest import count_statements
from tests.factories import HA_NOI, NGHE_AN

DETAILS = {"software": "eOffice", "vendor": "VNPT", "contact_name": "Kỹ Thuật", "contact_phone": "0912 111 222",
           "contact_email": "kt@nghean.gov.vn", "provided": "Brandname UBND-NGHEAN, nhà mạng Viettel"}


def test_the_eight_kinds_of_letter_1040_are_seeded(db):
    keys = [kind.key for kind in services.kinds()]
    assert keys == ["qlvb", "population_db", "no_boundary", "central_payment", "e_receipt", "public_postal",
                    "sms_brandname", "e_invoice"]
    assert services.kind_by_key("sms_brandname").due_on.isoformat() == "2026-02-08"


def test_a_coordinator_updates_their_province_and_the_history_is_dated(client, login_as, db):
    login_as("coordinator")
    client.post(f"/integrations/{NGHE_AN}/sms_brandname", data={**DETAILS, "status": "info_sent"})
    refused = client.post(f"/integrations/{NGHE_AN}/sms_brandname", data={**DETAILS, "status": "blocked", "reason": " "})
    assert refused.status_code == 422 and "Cho biết điều gì" in refused.get_data(as_text=True)
    kind = services.kind_by_key("sms_brandname")
    item = services.find(NGHE_AN, kind)
    assert item.status == "info_sent" and item.provided.startswith("Brandname")  # blocked needs a reason
    client.post(f"/integrations/{NGHE_AN}/sms_brandname", data={**DETAILS, "status": "blocked", "reason": "Chờ nhà mạng"})
    changes = db.session.execute(services.history(item)).scalars().all()
    assert [(c.old_status, c.new_status) for c in changes] == [("info_sent", "blocked"), ("not_started", "info_sent")]
    assert all(c.changed_by_id is not None for c in changes)
    assert client.post(f"/integrations/{HA_NOI}/sms_brandname", data={"status": "live"}).status_code == 404
    assert client.get(f"/integrations/{NGHE_AN}/no_such_kind").status_code == 404
    assert client.get("/integrations/").location.endswith(f"/integrations/{NGHE_AN}")


def test_viewers_see_the_focal_point_masked_and_cannot_edit(client, login_as, db):
    coordinator = factories.create_user("coordinator")
    kind = services.kind_by_key("qlvb")
    services.update(coordinator, NGHE_AN, kind, services.IntegrationUpdate(status="testing", **DETAILS))
    login_as("viewer")
    page = client.get(f"/integrations/{NGHE_AN}/qlvb").get_data(as_text=True)
    assert "0912 *** 222" in page and "0912 111 222" not in page and "kt@nghean.gov.vn" not in page
    assert "<form method=\"post\">" not in page
    assert client.post(f"/integrations/{NGHE_AN}/qlvb", data={"status": "live"}).status_code == 403
    assert services.find(NGHE_AN, kind).status == "testing"
    login_as("commune_admin")
    assert client.get(f"/integrations/{NGHE_AN}").status_code == 403


@pytest.mark.parametrize("field, value, message", [
    ("status", "connected", "Chọn trạng thái"),
    ("contact_phone", "12345", "số điện thoại"),
    ("contact_email", "not an address", "Nhập địa chỉ thư điện tử"),
])
def test_bad_input_is_refused_and_nothing_is_written(db, field, value, message):
    kind = services.kind_by_key("e_invoice")
    change = services.IntegrationUpdate(**{"status": "info_sent", **DETAILS, field: value})
    with pytest.raises(DomainError, match=message):
        services.update(None, NGHE_AN, kind, change)
    db.session.rollback()
    assert services.find(NGHE_AN, kind) is None


def test_an_admin_adds_and_edits_a_kind(client, login_as, db):
    login_as("admin")
    response = client.post("/integrations/kinds/new", data={"key": "internal_news", "name": "Điều tin nội bộ",
                                                             "name_en": "Internal news", "due_on": "2026-02-08"})
    assert response.status_code == 302
    kind = services.kind_by_key("internal_news")
    assert kind.position == 9 and kind.due_on.isoformat() == "2026-02-08"
    assert client.post("/integrations/kinds/new", data={"key": "internal_news", "name": "Lặp"}).status_code == 422
    assert client.post("/integrations/kinds/new", data={"key": "Bad Key!", "name": "X"}).status_code == 422
    bad_date = client.post(f"/integrations/kinds/{kind.id}", data={"name": "Điều tin", "due_on": "2026-02-30"})
    assert bad_date.status_code == 422 and db.session.get(IntegrationKind, kind.id).name == "Điều tin nội bộ"
    client.post(f"/integrations/kinds/{kind.id}", data={"name": "Điều tin nội bộ (tin bài)", "to_provide": "Đầu mối"})
    db.session.expire_all()
    assert kind.name == "Điều tin nội bộ (tin bài)" and kind.due_on is None and kind.key == "internal_news"
    page = client.get("/integrations/").get_data(as_text=True)
    assert "Điều tin nội bộ (tin bài)" in page
    login_as("viewer")
    assert client.get("/integrations/kinds").status_code == 403
    assert client.post("/integrations/kinds/new", data={"key": "x_y", "name": "X"}).status_code == 403


def test_the_matrix_counts_filters_and_sorts(client, login_as, db):
    load_demo_integrations()
    matrix = services.matrix(select(Province))
    qlvb = services.kind_by_key("qlvb")
    assert matrix.counts[qlvb.id]["live"] == 7 and sum(matrix.counts[qlvb.id].values()) == 34
    login_as("viewer")
    page = client.get("/integrations/?kind=qlvb&status=live").get_data(as_text=True)
    assert "7 tỉnh" in page and page.count('class="tag status-live"') >= 7
    blocked_first = client.get("/integrations/?sort=qlvb").get_data(as_text=True)
    # 48 is blocked on QLVB, 8 not started, 24 live: blocked first, then by how far along
    assert (blocked_first.index('href="/integrations/48"') < blocked_first.index('href="/integrations/8"')
            < blocked_first.index('href="/integrations/24"'))
    assert client.get("/integrations/?kind=nope&status=%00&sort=<script>").status_code == 400  # named, not a 500


def test_the_matrix_costs_the_same_queries_as_history_grows(client, login_as, db):
    login_as("admin")
    with count_statements(db) as empty:
        assert client.get("/integrations/").status_code == 200
    load_demo_integrations()
    kind = services.kind_by_key("public_postal")
    for code in (1, 4, 8, 11):
        for status in ("info_sent", "configuring", "testing", "live"):
            services.update(None, code, kind, services.IntegrationUpdate(status=status))
    with count_statements(db) as full:
        assert client.get("/integrations/").status_code == 200
    assert len(full) == len(empty) <= 6


def test_the_matrix_exports_as_xlsx_without_personal_data(client, login_as, db):
    load_demo_integrations()
    services.update(None, NGHE_AN, services.kind_by_key("sms_brandname"),
                    services.IntegrationUpdate(status="info_sent", **DETAILS))
    login_as("viewer")
    response = client.get("/integrations/matrix.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[2]
    assert header[:2] == ("Mã", "Tỉnh/thành phố") and "Tin nhắn SMS Brandname" in header
    nghe_an = next(row for row in rows if row[0] == NGHE_AN)
    assert nghe_an[header.index("Tin nhắn SMS Brandname")].startswith("Đã gửi thông tin")
    text = " ".join(str(value) for row in rows for value in row if value is not None)
    assert "0912" not in text and "kt@nghean" not in text and "Kỹ Thuật" not in text
    login_as("coordinator")
    assert client.get("/integrations/matrix.xlsx").status_code == 403


def test_demo_connects_the_seven_provinces_to_qlvb_by_28_april(db):
    load_demo_integrations()
    qlvb = services.kind_by_key("qlvb")
    live = db.session.execute(select(Integration).where(Integration.kind_id == qlvb.id,
                                                        Integration.status == "live")).scalars().all()
    assert sorted(i.province_code for i in live) == sorted(CONNECTED_BY_APRIL)
    deadline = datetime(2026, 4, 28, 23, 59, tzinfo=timezone(timedelta(hours=7)))
    assert all(i.status_changed_at <= deadline for i in live)
    assert load_demo_integrations() == 0


def test_the_old_qlvb_addresses_lead_to_the_integrations(client, login_as):
    login_as("viewer")
    assert client.get("/connections/").location.endswith("/integrations/")
    assert client.get(f"/connections/{NGHE_AN}").location.endswith(f"/integrations/{NGHE_AN}/qlvb")


def test_the_readiness_api_carries_each_provinces_integrations(client, db, admin):
    from portal.api import services as api

    load_demo_integrations()
    token = api.create_token(admin, "Hệ thống của Bộ")
    body = client.get("/api/v1/readiness?per_page=50", headers={"Authorization": f"Bearer {token}"}).json
    by_code = {item["code"]: item for item in body["items"]}
    qlvb = {i["kind"]: i for i in by_code[24]["integrations"]}["qlvb"]
    assert qlvb["status"] == "live" and qlvb["since"].startswith("2026-03-")
    assert by_code[24]["connection"] == "live"
    assert [i["kind"] for i in by_code[NGHE_AN]["integrations"]] == [k.key for k in services.kinds()]
    assert {i["kind"]: i["status"] for i in by_code[48]["integrations"]}["qlvb"] == "blocked"
    assert {i["kind"]: i for i in by_code[8]["integrations"]}["sms_brandname"] == {
        "kind": "sms_brandname", "name": "Tin nhắn SMS Brandname", "status": "not_started", "since": None}
