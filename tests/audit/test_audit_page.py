"""The audit log as a ministry official reads it: labels, filters, links to the record, and its audited export."""
import ast
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.audit import actions
from portal.audit.models import AuditEvent
from portal.contacts.services import Seat
from tests import factories

PORTAL = Path(__file__).resolve().parents[2] / "portal"
# Action codes built at run time: the template, and every value its placeholder takes in the code that calls it.
DYNAMIC_CODES = {
    "account_request.{}": ("granted", "refused", "requested"),  # accounts.services.decide's statuses
    "user.password_set.{}": ("invitation", "password_reset"),  # auth's token purposes
}


def codes_of(node: ast.expr, where: str) -> set[str]:
    """The action codes an argument of record() can take; a form this test cannot read fails it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return codes_of(node.body, where) | codes_of(node.orelse, where)
    if isinstance(node, ast.JoinedStr):
        template = "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
        assert template in DYNAMIC_CODES, f"{where}: list the values of the action code {template!r} in DYNAMIC_CODES"
        return {template.format(value) for value in DYNAMIC_CODES[template]}
    raise AssertionError(f"{where}: write the action code as a string literal")


def written_codes(source: str, where: str) -> set[str]:
    """Every action code passed to the audit log's record() in one module."""
    tree = ast.parse(source)
    if "portal.audit.services" not in source and "from portal.audit import services" not in source:
        return set()
    codes = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name != "record":
            continue
        action = next((k.value for k in node.keywords if k.arg == "action"), None)
        if action is None and len(node.args) > 1:
            action = node.args[1]
        if action is not None:
            codes |= codes_of(action, f"{where}:{node.lineno}")
    return codes


def all_written_codes() -> set[str]:
    codes = set()
    for path in PORTAL.rglob("*.py"):
        codes |= written_codes(path.read_text(encoding="utf-8"), str(path.relative_to(PORTAL)))
    return codes


def test_every_action_code_written_in_the_portal_has_a_label():
    codes = all_written_codes()
    assert {"training.cancel", "contacts.export", "audit.export", "user.password_set.invitation"} <= codes
    assert sorted(codes - set(actions.LABELS)) == []


def test_the_label_check_fails_for_a_new_unlabelled_action():
    source = "from portal.audit.services import record\nrecord(actor, 'training.teleport', 'session:1')\n"
    assert written_codes(source, "new.py") - set(actions.LABELS) == {"training.teleport"}
    with pytest.raises(AssertionError, match="DYNAMIC_CODES"):
        written_codes("from portal.audit.services import record\nrecord(a, f'ticket.{kind}')\n", "new.py")


def test_labels_no_code_without_its_use():
    """A label whose code is never written any more is dead weight (old rows still show their code)."""
    assert sorted(set(actions.LABELS) - all_written_codes()) == []


def test_the_page_shows_labels_and_an_unknown_code_as_written(client, login_as):
    admin = login_as("admin")
    factories.create_audit_event(admin, "training.cancel", "session:69", "Trùng lịch")
    factories.create_audit_event(admin, "old.renamed", "national")
    page = client.get("/audit/").get_data(as_text=True)
    assert "Hủy buổi tập huấn" in page and "training.cancel" not in page.split("<tbody>")[1]
    assert "old.renamed" in page
    assert "Toàn quốc" in page  # the "national" target in words


def events_listed(client, **params) -> str:
    response = client.get("/audit/", query_string=params)
    assert response.status_code == 200
    return response.get_data(as_text=True).split("<tbody>")[1]


@pytest.fixture
def three_people(login_as):
    admin = login_as("admin")
    lan = factories.create_user("coordinator", email="lan.nguyen@nghean.gov.vn", full_name="Nguyễn Thị Lan")
    minh = factories.create_user("admin", email="minh@bvhttdl.gov.vn", full_name="Trần Minh")
    factories.create_audit_event(lan, "contacts.export", "province:40", "marker-lan-export",
                                 at="2026-01-05T03:00:00+00:00")
    factories.create_audit_event(minh, "training.cancel", "session:7", "marker-minh-cancel-late",
                                 at="2026-01-11T17:30:00+00:00")  # 00:30 on 12/01 in Vietnam
    factories.create_audit_event(minh, "training.cancel", "session:8", "marker-minh-cancel-early",
                                 at="2026-01-11T16:59:00+00:00")  # 23:59 on 11/01 in Vietnam
    factories.create_audit_event(lan, "training.cancel", "session:9", "marker-lan-cancel",
                                 at="2026-01-02T01:00:00+00:00")
    return admin, lan, minh


def markers(listing: str) -> set[str]:
    return {word for word in ("marker-lan-export", "marker-minh-cancel-late", "marker-minh-cancel-early",
                              "marker-lan-cancel") if word in listing}


def test_filter_by_person_matches_the_e_mail_or_the_name(client, three_people):
    assert markers(events_listed(client, person="LAN.nguyen@")) == {"marker-lan-export", "marker-lan-cancel"}
    assert markers(events_listed(client, person="Trần Minh")) == {"marker-minh-cancel-late", "marker-minh-cancel-early"}
    assert markers(events_listed(client, person="nobody-at-all")) == set()
    assert markers(events_listed(client, person="%")) == set()  # a wildcard is a character like any other


def test_filter_by_action(client, three_people):
    assert markers(events_listed(client, action="contacts.export")) == {"marker-lan-export"}
    page = client.get("/audit/").get_data(as_text=True)
    assert '<option value="training.cancel">Hủy buổi tập huấn</option>' in page


def test_filter_by_vietnam_dates_includes_both_days(client, three_people):
    assert markers(events_listed(client, since="2026-01-12")) == {"marker-minh-cancel-late"}
    assert markers(events_listed(client, until="2026-01-11")) == {
        "marker-lan-export", "marker-minh-cancel-early", "marker-lan-cancel"}
    assert markers(events_listed(client, since="2026-01-05", until="2026-01-05")) == {"marker-lan-export"}


def test_filters_combine(client, three_people):
    assert markers(events_listed(client, person="lan.nguyen", action="training.cancel")) == {"marker-lan-cancel"}
    assert markers(events_listed(client, person="minh@", action="training.cancel", since="2026-01-12",
                                 until="2026-01-12")) == {"marker-minh-cancel-late"}
    listing = client.get("/audit/", query_string={"person": "minh@", "action": "training.cancel"}).get_data(as_text=True)
    assert "person=minh%40&amp;action=training.cancel" in listing or "action=training.cancel" in listing


def test_an_end_before_the_start_is_said_and_dropped(client, three_people):
    page = client.get("/audit/?since=2026-01-12&until=2026-01-01").get_data(as_text=True)
    assert "Ngày kết thúc trước ngày bắt đầu." in page
    assert 'value="2026-01-12"' in page and 'value="2026-01-01"' not in page  # the box shows what applies
    assert markers(page.split("<tbody>")[1]) == {"marker-minh-cancel-late"}


@pytest.mark.parametrize("params", [
    {"action": "'; DROP TABLE audit_events; --"}, {"action": "x" * 5000}, {"since": "9999-99-99"},
    {"since": "0001-01-01", "until": "9999-12-31"}, {"until": "2026-13-40"}, {"person": "%_\\'\"<script>"},
    {"person": "ạ" * 3000}, {"page": "-1"}, {"page": "99999999999999999999"}, {"since": "2026-01-12T00:00"},
])
def test_hostile_filter_values_are_answered_not_500(client, three_people, params):
    assert client.get("/audit/", query_string=params).status_code == 200
    assert export(client, **params).status_code == 200


def test_targets_link_to_their_page_and_a_missing_contact_stays_text(client, login_as, register, commune):
    admin = login_as("admin")
    contact = register(Seat.of_commune(commune), 1)
    for target in ("session:69", "ticket:5", f"user:{admin.id}", "province:40", f"contact:{contact.id}",
                   "contact:999999", "api-token-name", "weird:abc"):
        factories.create_audit_event(admin, "training.cancel", target)
    listing = events_listed(client)
    assert 'href="/training/sessions/69">Buổi tập huấn 69</a>' in listing
    assert 'href="/support/tickets/5"' in listing
    assert f'href="/auth/users/{admin.id}"' in listing
    assert 'href="/units/provinces/40"' in listing
    assert f'href="/contacts/communes/{commune.code}"' in listing
    assert "Cán bộ đầu mối 999999" in listing and "999999</a>" not in listing
    assert "api-token-name" in listing and "weird:abc" in listing


def export(client, **params):
    """The export's response, read and closed (the file is served from a temporary file on disk)."""
    with client.get("/audit/export.xlsx", query_string=params) as response:
        response.get_data()
    return response


def read_export(response) -> list[tuple]:
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_export_holds_the_filtered_log_and_is_itself_audited(client, db, three_people):
    admin = three_people[0]
    rows = read_export(export(client, action="training.cancel", person="minh@"))
    assert rows[0][0] == "Nhật ký hệ thống"
    assert "Hủy buổi tập huấn" in rows[1][0] and "minh@" in rows[1][0]
    assert rows[3] == ("Thời gian", "Người thực hiện", "Thao tác", "Mã thao tác", "Đối tượng", "Chi tiết", "Địa chỉ IP")
    body = rows[4:]
    assert [row[5] for row in body] == ["marker-minh-cancel-early", "marker-minh-cancel-late"]  # newest entry first
    assert body[1][:5] == ("12/01/2026 00:30", "minh@bvhttdl.gov.vn", "Hủy buổi tập huấn", "training.cancel",
                           "Buổi tập huấn 7")
    exported = db.session.execute(select(AuditEvent).where(AuditEvent.action == "audit.export")).scalar_one()
    assert exported.actor_id == admin.id
    assert exported.detail == "person=minh@ action=training.cancel rows=2"
    listing = events_listed(client)
    assert "Xuất nhật ký hệ thống" in listing and 'href="/audit/">Nhật ký hệ thống</a>' in listing


def test_a_formula_in_a_detail_stays_text_in_the_export(client, login_as):
    admin = login_as("admin")
    factories.create_audit_event(admin, "contact.cccd_view", "contact:1", "=HYPERLINK(\"http://x\")")
    sheet = load_workbook(io.BytesIO(export(client).data)).active
    cell = sheet.cell(row=5, column=6)
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s"


@pytest.mark.parametrize("role", ["coordinator", "commune_admin", "trainer", "agent", "viewer"])
def test_only_admins_read_or_export_the_log(client, login_as, db, role):
    login_as(role)
    assert client.get("/audit/").status_code == 403
    assert export(client).status_code == 403
    assert db.session.execute(select(AuditEvent).where(AuditEvent.action == "audit.export")).first() is None


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert export(client).status_code == 302


def fill_log(admin, count: int, contacts) -> None:
    """count events by admin and five coordinators, on targets of every kind the page links (contacts too)."""
    people = [factories.create_user("coordinator") for _ in range(5)]
    targets = ["session:1", "ticket:2", "province:40", "national"] + [f"contact:{c.id}" for c in contacts]
    for n in range(count):
        factories.create_audit_event(people[n % len(people)] if n % 3 else admin, "training.cancel",
                                     targets[n % len(targets)], f"lần {n}")


def test_a_page_of_the_log_costs_the_same_few_queries_with_220_events(client, login_as, count_queries,
                                                                     commune_contacts):
    admin = login_as("admin")
    contacts = commune_contacts(6)
    fill_log(admin, 12, contacts[:3])
    with count_queries() as few:
        assert client.get("/audit/").status_code == 200
    fill_log(admin, 210, contacts)
    for params in ({}, {"person": "@test.vn", "action": "training.cancel", "since": "2026-01-01", "page": "2"}):
        with count_queries() as many:
            assert client.get("/audit/", query_string=params).status_code == 200
        assert len(many) == len(few) <= 5, many
