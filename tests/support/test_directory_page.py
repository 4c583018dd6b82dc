"""The support directory: "chưa có" for empty channels, the jump to a province, phones kept as typed, agents' work
phones, the .xlsx export for letter 002 (audited) and a constant number of queries."""
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.core.errors import DomainError
from portal.support import services
from portal.support.directory import save_channel, set_work_phones
from portal.support.models import SupportAgent
from portal.util.validators import display_phone, phone_as_typed, shown_phone, tel_uri
from tests import factories
from tests.factories import HA_NOI, HO_CHI_MINH, NGHE_AN

NGHE_AN_HOTLINE = "0238 3 844 556"


def page_of(client, url="/support/directory") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_empty_channels_and_agents_say_none_yet(client, db):
    page = page_of(client)
    assert page.count('<span class="muted">chưa có</span>') == 34 * 4  # agents, hotline, room and Zalo of each


def test_a_province_with_channels_shows_them_and_no_none_yet(client, db, agents):
    save_channel(NGHE_AN, NGHE_AN_HOTLINE, "https://hop.tthc.gov.vn/nghe-an", "https://zalo.me/g/nghean")
    page = page_of(client, f"/support/directory?province={NGHE_AN}")
    row = page.split('id="province-40"', 1)[1].split("</tr>", 1)[0]
    assert "chưa có" not in row and "Hỗ Trợ Chính" in row and "Hỗ Trợ Phụ" in row
    assert 'href="https://zalo.me/g/nghean"' in row and 'href="https://hop.tthc.gov.vn/nghe-an"' in row


def test_jumping_to_a_province_shows_its_row_only(client, db):
    page = page_of(client, f"/support/directory?province={NGHE_AN}")
    assert 'id="province-40"' in page and 'id="province-1"' not in page
    assert f'<option value="{NGHE_AN}" selected>' in page
    assert 'action="/support/directory#by-province"' in page  # the form lands on the list, without JavaScript


@pytest.mark.parametrize("value", ["abc", "-1", "0", "99999999999999999999999", "40<script>", "4 0", "", "١٢"])
def test_a_hostile_province_shows_every_province(client, db, value):
    page = page_of(client, "/support/directory?province=" + value)
    assert page.count('<tr id="province-') == 34 and "<script>" not in page.split("<main", 1)[1].split("</main>")[0]


def test_an_unknown_province_code_says_so(client, db):
    page = page_of(client, "/support/directory?province=999")
    assert page.count('<tr id="province-') == 34 and "Không có tỉnh, thành phố nào có mã này" in page


@pytest.mark.parametrize("typed, tel", [
    (NGHE_AN_HOTLINE, "tel:+842383844556"),
    ("024 3825 6789", "tel:+842438256789"),
    ("0912.345.678", "tel:+84912345678"),
    ("+84 912 345 678", "tel:+84912345678"),
    ("(0238) 3844 556", "tel:+842383844556"),
    ("0912-345-678", "tel:+84912345678"),
])
def test_a_hotline_is_shown_as_typed_with_a_tel_link(client, db, typed, tel):
    save_channel(NGHE_AN, typed, "", "")
    row = page_of(client).split('id="province-40"', 1)[1].split("</tr>", 1)[0]
    assert f'<a href="{tel}">{typed}</a>' in row


def test_runs_of_spaces_become_one_and_junk_is_refused(db):
    assert phone_as_typed("  0238   3 844  556 ") == NGHE_AN_HOTLINE
    assert phone_as_typed("0238 3 844 55") is None and phone_as_typed("0" + " 9" * 20) is None
    with pytest.raises(DomainError):
        save_channel(NGHE_AN, "hotline", "", "")


def test_numbers_stored_before_keep_their_area_code_whole():
    assert display_phone("+842383844556") == "0238 384 4556"
    assert display_phone("+842438261234") == "024 3826 1234" and display_phone("+842838296052") == "028 3829 6052"
    assert shown_phone("+842383844556") == "0238 384 4556" and shown_phone(NGHE_AN_HOTLINE) == NGHE_AN_HOTLINE
    assert tel_uri(NGHE_AN_HOTLINE) == "tel:+842383844556" and tel_uri("") == ""


def test_admins_set_agents_work_phones_and_the_directory_shows_them(client, db, login_as, agents):
    primary, backup = agents
    login_as("admin")
    assert f'name="work_phone-{primary.id}"' in page_of(client, "/support/agents")
    client.post("/support/agents/phones", data={f"work_phone-{primary.id}": NGHE_AN_HOTLINE,
                                                f"work_phone-{backup.id}": "0912 345 601"})
    assert db.session.get(SupportAgent, primary.id).work_phone == NGHE_AN_HOTLINE
    with client.session_transaction() as session:
        session.clear()
    row = page_of(client).split('id="province-40"', 1)[1].split("</tr>", 1)[0]
    assert f'<a class="nowrap" href="tel:+842383844556">{NGHE_AN_HOTLINE}</a>' in row
    assert '<a class="nowrap" href="tel:+84912345601">0912 345 601</a>' in row
    assert primary.email not in row  # e-mails only for signed-in users


def test_a_bad_work_phone_saves_none_and_names_the_agent(client, db, login_as, agents):
    primary, backup = agents
    login_as("admin")
    response = client.post("/support/agents/phones", data={f"work_phone-{primary.id}": "0912 345 601",
                                                           f"work_phone-{backup.id}": "12345"}, follow_redirects=True)
    assert "Hỗ Trợ Phụ:" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SupportAgent).where(SupportAgent.work_phone != "")) == 0


def test_an_agent_sets_their_own_work_phone(client, db, login_as):
    agent = login_as("agent")
    assert 'name="work_phone"' in page_of(client, "/auth/account")
    client.post("/support/agents/me/phone", data={"work_phone": "024 3943 1188"})
    assert db.session.get(SupportAgent, agent.id).work_phone == "024 3943 1188"
    assert 'value="024 3943 1188"' in page_of(client, "/auth/account")


def test_only_agents_set_their_own_phone(client, db, login_as):
    login_as("coordinator")
    assert client.post("/support/agents/me/phone", data={"work_phone": "0912 345 601"}).status_code == 403
    assert 'name="work_phone"' not in page_of(client, "/auth/account")


def test_signed_in_users_see_agents_e_mails(client, db, login_as, agents):
    login_as("coordinator")
    assert f'href="mailto:{agents[0].email}"' in page_of(client)


def test_the_export_has_one_row_per_province_as_the_directory_shows_it(client, db, login_as, agents):
    primary, _backup = agents
    set_work_phones({primary.id: NGHE_AN_HOTLINE})
    save_channel(NGHE_AN, NGHE_AN_HOTLINE, "https://hop.tthc.gov.vn/nghe-an", "https://zalo.me/g/nghean")
    save_channel(HO_CHI_MINH, "028 3829 6052", "", "")
    admin = login_as("admin")
    assert 'href="/support/directory.xlsx"' in page_of(client)
    response = client.get("/support/directory.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.freeze_panes == "C6" and sheet.column_dimensions["B"].width == 22
    assert [cell.value for cell in sheet[5]][:5] == ["STT", "Tỉnh/thành phố", "Cán bộ hỗ trợ chính", "Điện thoại", "Email"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=6)]
    assert len(rows) == 34 and rows[0][:2] == [1, "Thành phố Hà Nội"]
    nghe_an = next(row for row in rows if row[1] == "Nghệ An")
    assert nghe_an[2:] == ["Hỗ Trợ Chính", NGHE_AN_HOTLINE, primary.email, "Hỗ Trợ Phụ", "chưa có", agents[1].email,
                           NGHE_AN_HOTLINE, "https://hop.tthc.gov.vn/nghe-an", "https://zalo.me/g/nghean"]
    hcm = next(row for row in rows if row[1] == "Thành phố Hồ Chí Minh")
    assert hcm[2:] == ["chưa có", None, None, "chưa có", None, None, "028 3829 6052", "chưa có", "chưa có"]
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "support.directory_export")).scalar_one()
    assert event.actor_id == admin.id and event.target == "national"


@pytest.mark.parametrize("role", ["agent", "coordinator", "commune_admin", "trainer", "viewer"])
def test_only_admins_export_the_directory(client, db, login_as, role):
    login_as(role)
    assert client.get("/support/directory.xlsx").status_code == 403
    assert 'href="/support/directory.xlsx"' not in page_of(client)


def test_visitors_cannot_export_the_directory(client, db):
    assert client.get("/support/directory.xlsx").status_code in (302, 401)
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


def test_the_directory_costs_the_same_queries_with_every_province_filled(client, db, count_queries):
    with count_queries() as empty:
        page_of(client)
    agents = [factories.create_user("agent", full_name=f"Cán Bộ {n}") for n in range(4)]
    set_work_phones({agent.id: f"0912 345 60{n}" for n, agent in enumerate(agents)})
    for code in (HA_NOI, NGHE_AN, HO_CHI_MINH, 4, 8, 11, 12, 14):
        services.set_province_agents(code, agents[code % 4].id, agents[(code + 1) % 4].id)
        save_channel(code, "024 3825 6789", "https://hop.tthc.gov.vn/x", "https://zalo.me/g/x")
    with count_queries() as filled:
        page_of(client)
    assert len(filled) == len(empty) <= 5
