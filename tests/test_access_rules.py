"""Who may do what, rule by rule: each test would fail if one comparison in portal/access.py flipped.

The route walk in test_access.py proves no page leaks another province's objects; these tests pin the
rules themselves, including the answers that must stay "yes" (a rule that refuses everyone is broken too).
"""
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from portal import access
from portal.auth.models import User
from portal.imports.models import PendingImport
from portal.support import services as support
from portal.support.models import Ticket
from portal.units.models import Commune, Province
from tests import factories
from tests.factories import HA_NOI, NGHE_AN

NGHE_AN_COMMUNE, OTHER_NGHE_AN_COMMUNE = 16681, 16684  # any two codes: these rules only compare


def person(role, province_code=None, commune_code=None, id=1):
    return SimpleNamespace(role=role, province_code=province_code, commune_code=commune_code, id=id)


COORDINATOR = person("coordinator", NGHE_AN)
COMMUNE_ADMIN = person("commune_admin", NGHE_AN, NGHE_AN_COMMUNE)


@pytest.mark.parametrize("user, province, commune, allowed", [
    (person("admin"), HA_NOI, None, True),
    (person("admin"), NGHE_AN, NGHE_AN_COMMUNE, True),
    (COORDINATOR, NGHE_AN, None, True),
    (COORDINATOR, NGHE_AN, NGHE_AN_COMMUNE, True),
    (COORDINATOR, HA_NOI, None, False),
    (COMMUNE_ADMIN, NGHE_AN, NGHE_AN_COMMUNE, True),
    (COMMUNE_ADMIN, NGHE_AN, OTHER_NGHE_AN_COMMUNE, False),  # a neighbour's seat
    (COMMUNE_ADMIN, NGHE_AN, None, False),                   # the province's department seats
    (person("commune_admin", NGHE_AN, None), NGHE_AN, None, False),
    (person("viewer"), NGHE_AN, NGHE_AN_COMMUNE, False),
    (person("trainer"), NGHE_AN, None, False),
    (person("agent"), NGHE_AN, NGHE_AN_COMMUNE, False),
])
def test_who_may_edit_a_seat_and_see_its_details(user, province, commune, allowed):
    assert access.may_edit_seat(user, province, commune) is allowed
    assert access.sees_contact_details(user, province, commune) is allowed


@pytest.mark.parametrize("user, province, commune, visible", [
    (person("admin"), HA_NOI, None, True),
    (person("viewer"), HA_NOI, 1, True),
    (COORDINATOR, NGHE_AN, NGHE_AN_COMMUNE, True),
    (COORDINATOR, HA_NOI, None, False),
    (COMMUNE_ADMIN, NGHE_AN, NGHE_AN_COMMUNE, True),
    (COMMUNE_ADMIN, NGHE_AN, OTHER_NGHE_AN_COMMUNE, False),
    (COMMUNE_ADMIN, NGHE_AN, None, False),
    (person("commune_admin", NGHE_AN, None), NGHE_AN, None, False),
    (person("trainer"), NGHE_AN, None, False),
    (person("agent"), NGHE_AN, None, False),
    (person("commune_admin", HA_NOI, 1), NGHE_AN, 1, True),  # the commune decides, whatever its province field
    (person("coordinator", NGHE_AN, NGHE_AN_COMMUNE), HA_NOI, NGHE_AN_COMMUNE, False),
])
def test_who_may_look_at_a_seat(user, province, commune, visible):
    if visible:
        assert access.seat_province_or_404(user, province, commune) is None
    else:
        with pytest.raises(NotFound):
            access.seat_province_or_404(user, province, commune)


def training(trainer_ids=(), province_codes=()):
    return SimpleNamespace(trainers=[SimpleNamespace(id=i) for i in trainer_ids],
                           provinces=[SimpleNamespace(code=c) for c in province_codes])


@pytest.mark.parametrize("user, session, allowed", [
    (person("admin", id=7), training([1]), True),
    (person("trainer", id=7), training([3, 7]), True),
    (person("trainer", id=7), training([3]), False),
    (person("coordinator", NGHE_AN, id=7), training([7]), False),  # not a trainer, whatever the list says
    (person("viewer", id=7), training([7]), False),
])
def test_who_may_manage_a_session(user, session, allowed):
    assert access.may_manage_session(user, session) is allowed


@pytest.mark.parametrize("user, session, allowed", [
    (person("admin"), training(province_codes=[HA_NOI]), True),
    (COORDINATOR, training(province_codes=[HA_NOI, NGHE_AN]), True),
    (COORDINATOR, training(province_codes=[HA_NOI]), False),
    (COMMUNE_ADMIN, training(province_codes=[NGHE_AN]), True),
    (COMMUNE_ADMIN, training(province_codes=[HA_NOI]), False),
    (person("trainer", NGHE_AN), training(province_codes=[NGHE_AN]), False),
    (person("viewer", NGHE_AN), training(province_codes=[NGHE_AN]), False),
    (person("agent", NGHE_AN), training(province_codes=[NGHE_AN]), False),
])
def test_who_may_enrol_into_a_session(user, session, allowed):
    assert access.may_enrol(user, session) is allowed


def codes(db, query, column):
    return set(db.session.execute(query.with_only_columns(column)).scalars())


@pytest.mark.parametrize("role", ["admin", "viewer", "trainer", "agent"])
def test_national_roles_see_every_province_and_commune(db, role):
    user = factories.create_user(role)
    assert len(codes(db, access.visible_provinces(user), Province.code)) == 34
    assert len(codes(db, access.visible_communes(user), Commune.code)) == 3321
    assert access.province_or_404(user, HA_NOI).code == HA_NOI
    assert access.province_or_404(user, NGHE_AN).code == NGHE_AN


@pytest.mark.parametrize("role", ["coordinator", "commune_admin"])
def test_local_roles_see_their_own_province_and_its_communes_only(db, role):
    user = factories.create_user(role)
    assert codes(db, access.visible_provinces(user), Province.code) == {NGHE_AN}
    communes = db.session.execute(access.visible_communes(user)).scalars().all()
    assert len(communes) == 130 and {c.province_code for c in communes} == {NGHE_AN}
    assert access.province_or_404(user, NGHE_AN).code == NGHE_AN
    with pytest.raises(NotFound):
        access.province_or_404(user, HA_NOI)
    assert access.contact_provinces(user).compare(access.visible_provinces(user))


def test_a_province_that_does_not_exist_is_a_404(db):
    with pytest.raises(NotFound):
        access.province_or_404(factories.create_user("admin"), 999)


def test_accounts_each_role_may_list(db):
    admin = factories.create_user("admin")
    coordinator = factories.create_user("coordinator")
    neighbour = factories.create_user("commune_admin")
    hanoi = factories.create_user("coordinator", province_code=HA_NOI)
    trainer = factories.create_user("trainer")
    everyone = {admin.id, coordinator.id, neighbour.id, hanoi.id, trainer.id}

    assert everyone <= codes(db, access.visible_users(admin), User.id)
    seen_by_coordinator = codes(db, access.visible_users(coordinator), User.id)
    assert {coordinator.id, neighbour.id} <= seen_by_coordinator
    assert not {admin.id, hanoi.id, trainer.id} & seen_by_coordinator
    for user in (trainer, neighbour):
        assert codes(db, access.visible_users(user), User.id) == {user.id}

    assert access.user_or_404(coordinator, neighbour.id) == neighbour
    assert access.user_or_404(admin, hanoi.id) == hanoi
    assert access.user_or_404(trainer, trainer.id) == trainer
    for viewer, other in ((coordinator, hanoi), (trainer, admin), (neighbour, coordinator)):
        with pytest.raises(NotFound):
            access.user_or_404(viewer, other.id)


@pytest.fixture
def tickets(db, app, tmp_path):
    """Nghệ An has agent `ours`; a Hà Nội ticket is assigned to `ours`, another to `theirs`."""
    app.config["ATTACHMENTS_DIR"] = str(tmp_path)
    ours = factories.create_user("agent")
    theirs = factories.create_user("agent")
    support.set_province_agents(NGHE_AN, ours.id, None)
    first, second = db.session.execute(
        select(Commune.code).where(Commune.province_code == NGHE_AN).order_by(Commune.code).limit(2)).scalars()
    reporters = {
        "nghe_an_province": factories.create_user("coordinator"),
        "nghe_an_commune": factories.create_user("commune_admin", commune_code=first),
        "other_commune": factories.create_user("commune_admin", commune_code=second),
        "hanoi_ours": factories.create_user("coordinator", province_code=HA_NOI),
        "hanoi_theirs": factories.create_user("coordinator", province_code=HA_NOI),
    }
    filed = {name: support.create_ticket(user, 1, f"Sự cố {name}", "Mô tả", "normal").id
             for name, user in reporters.items()}
    db.session.get(Ticket, filed["nghe_an_province"]).assignee_id = theirs.id  # in our province, someone else's
    db.session.get(Ticket, filed["hanoi_ours"]).assignee_id = ours.id
    db.session.get(Ticket, filed["hanoi_theirs"]).assignee_id = theirs.id
    db.session.commit()
    yield SimpleNamespace(ours=ours, theirs=theirs, reporters=reporters, ids=filed)
    app.config.pop("ATTACHMENTS_DIR")


def visible_names(db, tickets, user) -> set[str]:
    seen = codes(db, access.visible_tickets(user), Ticket.id)
    return {name for name, ticket_id in tickets.ids.items() if ticket_id in seen}


def test_an_agent_sees_their_provinces_tickets_and_those_assigned_to_them_only(db, tickets):
    assert visible_names(db, tickets, tickets.ours) == {"nghe_an_province", "nghe_an_commune", "other_commune",
                                                         "hanoi_ours"}
    assert visible_names(db, tickets, tickets.theirs) == {"nghe_an_province", "hanoi_theirs"}
    assert access.ticket_or_404(tickets.ours, tickets.ids["hanoi_ours"]).id == tickets.ids["hanoi_ours"]
    with pytest.raises(NotFound):
        access.ticket_or_404(tickets.ours, tickets.ids["hanoi_theirs"])


def test_local_roles_see_their_province_or_commune_tickets(db, tickets):
    assert visible_names(db, tickets, tickets.reporters["nghe_an_province"]) == {
        "nghe_an_province", "nghe_an_commune", "other_commune"}
    assert visible_names(db, tickets, tickets.reporters["nghe_an_commune"]) == {"nghe_an_commune"}
    with pytest.raises(NotFound):
        access.ticket_or_404(tickets.reporters["nghe_an_commune"], tickets.ids["other_commune"])


def test_admins_see_every_ticket_and_other_roles_none(db, tickets):
    assert visible_names(db, tickets, factories.create_user("admin")) == set(tickets.ids)
    for role in ("viewer", "trainer"):
        assert visible_names(db, tickets, factories.create_user(role)) == set()
        assert db.session.execute(access.visible_tickets(factories.create_user(role))).first() is None


def keep(user, domain="contacts", province_code=None) -> str:
    token = f"token-{user.id}-{domain}-{province_code}"
    db_session = access.db.session
    db_session.add(PendingImport(token=token, domain=domain, user_id=user.id, province_code=province_code,
                                 filename="danh-sach.xlsx", headers=[], rows=[], mapping={}))
    db_session.commit()
    return token


def test_a_pending_import_belongs_to_its_uploader_within_their_province(db):
    coordinator = factories.create_user("coordinator")
    admin = factories.create_user("admin")
    own = keep(coordinator, province_code=NGHE_AN)
    assert access.pending_import_or_404(coordinator, "contacts", own).token == own
    national = keep(coordinator, domain="training")  # the plan has no province
    assert access.pending_import_or_404(coordinator, "training", national).token == national
    assert access.pending_import_or_404(admin, "contacts", keep(admin, province_code=HA_NOI)).province_code == HA_NOI

    moved = keep(coordinator, province_code=HA_NOI)  # uploaded before the account moved to Nghệ An
    for user, domain, token in ((coordinator, "contacts", moved), (admin, "contacts", own),
                                (coordinator, "training", own), (coordinator, "contacts", "no-such-token")):
        with pytest.raises(NotFound):
            access.pending_import_or_404(user, domain, token)
