"""Every role lands on its own work; the plan opens on the coordinator's province and the trainer's sessions."""
import pytest

from portal.contacts.services import Seat, save_seat
from portal.support import services as support
from portal.training import enrolment
from portal.training.services import save_session
from tests import factories
from tests.conftest import start_session
from tests.factories import HA_NOI, NGHE_AN


@pytest.mark.parametrize("role, landing", [
    ("admin", "/reports/"), ("viewer", "/reports/"), ("coordinator", f"/reports/provinces/{NGHE_AN}"),
    ("commune_admin", "/my-commune"), ("agent", "/support/?view=mine"),
])
def test_each_role_lands_on_its_own_work(client, db, role, landing):
    start_session(client, factories.create_user(role))
    assert client.get("/").location == landing


def test_a_trainer_lands_on_their_own_week(client, db):
    trainer = factories.create_user("trainer")
    start_session(client, trainer)
    assert client.get("/").location == f"/training/?trainer={trainer.id}"
    assert "<h1>Lịch của tôi</h1>" in client.get(f"/training/?trainer={trainer.id}").get_data(as_text=True)
    assert "<h1>Kế hoạch tập huấn</h1>" in client.get("/training/?trainer=").get_data(as_text=True)


def test_the_coordinator_sees_how_many_units_are_not_registered_and_reaches_them(client, db):
    start_session(client, factories.create_user("coordinator"))
    page = client.get(f"/reports/provinces/{NGHE_AN}").get_data(as_text=True)
    assert "đơn vị chưa đăng ký" in page and f"/contacts/provinces/{NGHE_AN}?status=missing" in page


def test_my_commune_shows_the_entry_the_coming_sessions_and_the_open_tickets(client, db):
    admin, trainer = factories.create_user("admin"), factories.create_user("trainer")
    commune = factories.first_commune(NGHE_AN)
    clerk = factories.create_user("commune_admin", commune_code=commune.code)
    contact = save_seat(None, Seat.of_commune(commune), factories.person(7, full_name="Lê Thị Quản Trị"), None)
    coming = save_session(admin, None, factories.session_input([trainer.id], day="2027-03-02", title="Buổi sắp tới"))
    past = save_session(admin, None, factories.session_input([trainer.id], day="2026-01-20", title="Buổi đã qua"))
    enrolment.enrol(admin, coming, [contact])
    enrolment.enrol(admin, past, [contact])
    support.create_ticket(clerk, 2, "Không nhận được hồ sơ", "Xã chưa được phân quyền.", "normal")
    neighbour = factories.create_user("commune_admin", commune_code=factories.first_commune(HA_NOI).code)
    support.create_ticket(neighbour, 2, "Phiếu của xã khác", "Không thuộc xã này.", "normal")
    start_session(client, clerk)
    page = client.get("/my-commune").get_data(as_text=True)
    assert "Xã của tôi" in page and commune.name in page and "Lê Thị Quản Trị" in page
    assert "Buổi sắp tới" in page and "Buổi đã qua" not in page
    assert "Không nhận được hồ sơ" in page and "Phiếu của xã khác" not in page


def test_my_commune_invites_to_register_when_nobody_is(client, db):
    start_session(client, factories.create_user("commune_admin"))
    page = client.get("/my-commune").get_data(as_text=True)
    assert "Xã chưa đăng ký quản trị hệ thống." in page


def test_my_commune_is_for_commune_administrators_only(client, db):
    start_session(client, factories.create_user("coordinator"))
    assert client.get("/my-commune").status_code == 403


@pytest.mark.parametrize("role, default", [("coordinator", f"province={NGHE_AN}"), ("trainer", "trainer")])
def test_the_plan_opens_on_the_users_own_province_or_sessions(client, db, role, default):
    user = factories.create_user(role)
    start_session(client, user)
    page = client.get("/training/").get_data(as_text=True)
    selected = f'<option selected value="{NGHE_AN if role == "coordinator" else user.id}">'
    assert selected in page
    everything = client.get("/training/?province=&trainer=").get_data(as_text=True)
    assert selected not in everything
