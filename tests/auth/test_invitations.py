"""Invitations: who may invite whom, communes by name, every registered contact at once, double submits."""
import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.access import may_invite
from portal.auth import invitations
from portal.auth.invitations import CommuneChoiceNeeded, commune_code_for, invite_registered_contacts, invite_user
from portal.auth.models import PasswordToken, User
from portal.contacts.models import Contact
from portal.contacts.services import Seat, save_seat
from portal.core.errors import DomainError
from portal.mail.models import OutboxMessage
from portal.units.models import Commune, Province
from tests import factories
from tests.factories import HA_NOI, NGHE_AN


def commune_named(name: str) -> Commune:
    return factories.db.session.execute(select(Commune).where(Commune.name == name)).scalar_one()


def register_commune(db, name: str, number: int, **fields):
    return save_seat(None, Seat.of_commune(commune_named(name)), factories.person(number, **fields), None)


def register_cadre(db, province_code: int, seat: int, number: int):
    department = db.session.get(Province, province_code).departments[0]
    return save_seat(None, Seat.of_department(department, seat), factories.person(number), None)


@pytest.mark.parametrize("role, province, allowed", [
    ("commune_admin", NGHE_AN, True),
    ("coordinator", NGHE_AN, True),
    ("commune_admin", HA_NOI, False),
    ("coordinator", HA_NOI, False),
    ("commune_admin", None, False),
    ("admin", NGHE_AN, False),
    ("agent", NGHE_AN, False),
    ("trainer", NGHE_AN, False),
    ("viewer", NGHE_AN, False),
])
def test_a_coordinator_invites_their_own_province_below_or_beside_them(db, role, province, allowed):
    coordinator = factories.create_user("coordinator", province_code=NGHE_AN)
    assert may_invite(coordinator, role, province) is allowed


@pytest.mark.parametrize("actor_role", ["commune_admin", "trainer", "agent", "viewer"])
def test_other_roles_invite_nobody(db, actor_role):
    actor = factories.create_user(actor_role)
    assert not any(may_invite(actor, role, NGHE_AN) for role in ("commune_admin", "coordinator", "viewer"))


def test_an_admin_invites_anyone_anywhere(db):
    admin = factories.create_user("admin")
    assert may_invite(admin, "admin", None) and may_invite(admin, "commune_admin", HA_NOI)


def test_a_coordinator_cannot_invite_outside_their_province_or_above_them(db):
    coordinator = factories.create_user("coordinator", province_code=NGHE_AN)
    with pytest.raises(DomainError):
        invite_user(coordinator, "hn@test.vn", "commune_admin", None, factories.first_commune(HA_NOI).code)
    with pytest.raises(DomainError):
        invite_user(coordinator, "quantri@test.vn", "admin")
    with pytest.raises(DomainError):
        invite_user(coordinator, "dp@test.vn", "coordinator", HA_NOI)
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_communes_are_found_by_name_without_diacritics(db):
    assert commune_code_for("commune_admin", "dien chau", NGHE_AN, None) == commune_named("Xã Diễn Châu").code
    # "Anh Sơn" is a whole name: "Anh Sơn Đông", which contains it, is not offered beside it.
    assert commune_code_for("commune_admin", "Xã Anh Sơn", NGHE_AN, None) == commune_named("Xã Anh Sơn").code
    assert commune_code_for("coordinator", "whatever", NGHE_AN, None) is None
    with pytest.raises(DomainError, match="Tỉnh/thành phố đã chọn không có"):
        commune_code_for("commune_admin", "Diễn Châu", HA_NOI, None)
    with pytest.raises(DomainError):
        commune_code_for("commune_admin", "  ", NGHE_AN, None)


def test_names_alike_once_folded_are_offered_to_choose_from(db):
    with pytest.raises(CommuneChoiceNeeded) as choice:
        commune_code_for("commune_admin", "van lang", 19, None)
    names = sorted(c.name for c in choice.value.candidates)
    assert names == ["Xã Văn Lang", "Xã Văn Lăng"]
    assert commune_code_for("commune_admin", "Xã Văn Lang", 19, None) == next(
        c.code for c in choice.value.candidates if c.name == "Xã Văn Lang")
    picked = choice.value.candidates[1].code
    assert commune_code_for("commune_admin", "van lang", 19, picked) == picked
    # A code that does not answer to the name is not taken.
    with pytest.raises(CommuneChoiceNeeded):
        commune_code_for("commune_admin", "van lang", 19, commune_named("Xã Diễn Châu").code)


def test_coordinator_invites_a_commune_administrator_by_name(client, login_as, outbox, db):
    login_as("coordinator", province_code=NGHE_AN)
    form = client.get("/auth/users/invite").get_data(as_text=True)
    assert 'value="admin"' not in form and 'value="agent"' not in form and "Hà Nội" not in form
    assert '<option value="Xã Diễn Châu">' in form  # the browser suggests the province's communes
    response = client.post("/auth/users/invite", data={
        "email": "Xa.DienChau@NgheAn.gov.vn", "full_name": "Hồ Thị Xã", "role": "commune_admin",
        "province_code": NGHE_AN, "commune_name": "dien chau"})
    assert response.status_code == 302, response.get_data(as_text=True)
    person = db.session.execute(select(User).where(User.email == "xa.dienchau@nghean.gov.vn")).scalar_one()
    assert (person.role, person.commune_code) == ("commune_admin", commune_named("Xã Diễn Châu").code)
    assert outbox()[0].to == ["xa.dienchau@nghean.gov.vn"]


def test_a_coordinator_posting_another_province_or_an_admin_role_is_refused(client, login_as, db):
    login_as("coordinator", province_code=NGHE_AN)
    for data in ({"role": "commune_admin", "province_code": HA_NOI, "commune_name": "Phường Ba Đình"},
                 {"role": "admin", "province_code": NGHE_AN}):
        page = client.post("/auth/users/invite", data={"email": "x@test.vn", **data})
        assert page.status_code == 200 and "Lựa chọn không hợp lệ." in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_typing_a_name_where_a_code_was_asked_never_gives_english(client, login_as, db):
    login_as("admin")
    page = client.post("/auth/users/invite", data={
        "email": "x@test.vn", "role": "commune_admin", "province_code": 0, "commune_name": "van lang",
        "commune_code": "Văn Lang"}).get_data(as_text=True)
    assert "Not a valid" not in page and "valid integer" not in page
    assert page.count('class="error"') == 1
    assert "Xã Văn Lăng — Thái Nguyên" in page and "Xã Văn Lãng" in page  # the list to pick from


def test_the_same_invitation_twice_gives_one_account_and_a_clear_page(client, login_as, outbox, db):
    login_as("coordinator", province_code=NGHE_AN)
    data = {"email": "moi@nghean.gov.vn", "role": "coordinator", "province_code": NGHE_AN}
    first = client.post("/auth/users/invite", data=data)
    second = client.post("/auth/users/invite", data=data, follow_redirects=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "đã có tài khoản hoặc đã được mời" in second.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id)).where(User.email == "moi@nghean.gov.vn")) == 1
    assert len(outbox()) == 1


def test_an_invitation_that_loses_the_race_answers_with_the_winner(db, monkeypatch):
    """Two requests both found no account; the second insert hits the unique e-mail and reads the first's row."""
    coordinator = factories.create_user("coordinator", province_code=NGHE_AN)
    winner = invite_user(coordinator, "cung@nghean.gov.vn", "coordinator", NGHE_AN).user
    looked_up = []

    def not_yet_seen(actor, email):
        looked_up.append(email)
        return None if len(looked_up) == 1 else winner

    monkeypatch.setattr(invitations, "existing_account", not_yet_seen)
    monkeypatch.setattr(invitations, "create_user", lambda *args: (_ for _ in ()).throw(
        IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed: users.email"))))
    answer = invite_user(coordinator, "cung@nghean.gov.vn", "coordinator", NGHE_AN)
    assert answer.user is winner and answer.is_new is False and len(looked_up) == 2


def test_an_account_outside_the_actors_view_is_only_named_as_taken(db):
    factories.create_user("coordinator", province_code=HA_NOI, email="hn@test.vn")
    coordinator = factories.create_user("coordinator", province_code=NGHE_AN)
    with pytest.raises(DomainError, match="đã được dùng cho một tài khoản khác"):
        invite_user(coordinator, "hn@test.vn", "coordinator", NGHE_AN)


def test_every_registered_contact_without_an_account_is_invited_once(db, outbox):
    coordinator = factories.create_user("coordinator", province_code=NGHE_AN)
    register_cadre(db, NGHE_AN, 1, 1)
    register_commune(db, "Xã Diễn Châu", 2)
    register_commune(db, "Xã Anh Sơn", 3)
    has_account = register_commune(db, "Xã Con Cuông", 4)
    factories.create_user("commune_admin", commune_code=has_account.commune_code, email=has_account.email)
    already_invited = register_commune(db, "Xã Môn Sơn", 5)
    invite_user(coordinator, already_invited.email, "commune_admin", None, already_invited.commune_code)
    register_commune(db, "Phường Ba Đình", 6)  # Hà Nội: not this coordinator's
    earlier = len(outbox())

    assert invite_registered_contacts(coordinator, NGHE_AN) == 3
    invited = {u.email: u for u in db.session.execute(select(User).where(User.password_hash.is_(None))).scalars()}
    cadre = invited["nguoi1@xa.gov.vn"]
    assert (cadre.role, cadre.province_code, cadre.commune_code) == ("coordinator", NGHE_AN, None)
    dien_chau = invited["nguoi2@xa.gov.vn"]
    assert (dien_chau.role, dien_chau.commune_code) == ("commune_admin", commune_named("Xã Diễn Châu").code)
    assert "nguoi6@xa.gov.vn" not in invited
    assert sorted(m.to[0] for m in outbox()[earlier:]) == ["nguoi1@xa.gov.vn", "nguoi2@xa.gov.vn",
                                                           "nguoi3@xa.gov.vn"]
    assert invite_registered_contacts(coordinator, NGHE_AN) == 0
    assert len(outbox()) == earlier + 3  # nothing new was queued the second time
    assert db.session.scalar(select(func.count(PasswordToken.id))) == 4


def test_a_coordinator_cannot_invite_another_provinces_contacts(db):
    coordinator = factories.create_user("coordinator", province_code=NGHE_AN)
    register_commune(db, "Phường Ba Đình", 1)
    with pytest.raises(DomainError):
        invite_registered_contacts(coordinator, HA_NOI)
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_bulk_invitation_retries_without_those_a_concurrent_request_invited(db, monkeypatch):
    coordinator = factories.create_user("coordinator", province_code=NGHE_AN)
    register_commune(db, "Xã Diễn Châu", 1)
    register_commune(db, "Xã Anh Sơn", 2)
    real = invitations.without_account
    calls = []

    def someone_was_quicker(province_code):
        calls.append(province_code)
        if len(calls) == 1:  # between this request's read and its insert, another one invites nguoi1
            factories.create_user("commune_admin", commune_code=commune_named("Xã Diễn Châu").code,
                                  email="nguoi1@xa.gov.vn")
            return select(Contact).where(Contact.province_code == province_code).order_by(Contact.id)
        return real(province_code)

    monkeypatch.setattr(invitations, "without_account", someone_was_quicker)
    assert invite_registered_contacts(coordinator, NGHE_AN) == 1
    assert len(calls) == 2
    assert db.session.scalar(select(func.count(User.id))) == 3


def test_the_invitation_page_shows_each_persons_state(client, login_as, outbox, db):
    coordinator = login_as("coordinator", province_code=NGHE_AN)
    register_cadre(db, NGHE_AN, 1, 1)
    accepted = register_commune(db, "Xã Diễn Châu", 2)
    factories.create_user("commune_admin", commune_code=accepted.commune_code, email=accepted.email,
                          password="mật khẩu thử nghiệm")
    queued = register_commune(db, "Xã Anh Sơn", 3)
    invite_user(coordinator, queued.email, "commune_admin", None, queued.commune_code)
    sent = register_commune(db, "Xã Con Cuông", 4)
    invite_user(coordinator, sent.email, "commune_admin", None, sent.commune_code)
    failed = register_commune(db, "Xã Môn Sơn", 5)
    invite_user(coordinator, failed.email, "commune_admin", None, failed.commune_code)
    messages = {m.recipient: m for m in db.session.execute(select(OutboxMessage)).scalars()}
    messages[sent.email].status = "sent"
    messages[failed.email].status = "failed"
    messages[queued.email].status = "queued"
    db.session.commit()

    page = client.get("/auth/invitations").get_data(as_text=True)
    rows = {email: re.sub(r"\s+", " ", row) for row, email in
            re.findall(r"(<tr>.*?(nguoi\d@xa\.gov\.vn).*?</tr>)", page, re.S)}
    assert "Chưa mời" in rows["nguoi1@xa.gov.vn"]
    assert "Đã nhận lời mời" in rows["nguoi2@xa.gov.vn"]
    assert "Đã mời ngày" in rows["nguoi3@xa.gov.vn"] and "thư đang chờ gửi" in rows["nguoi3@xa.gov.vn"]
    assert "đã gửi thư" in rows["nguoi4@xa.gov.vn"]
    assert "gửi thư không thành công" in rows["nguoi5@xa.gov.vn"]
    assert page.index("nguoi1@xa.gov.vn") < page.index("nguoi3@xa.gov.vn")  # the Sở's cadres come first


def test_the_invitation_page_costs_a_constant_number_of_queries(client, login_as, count_queries, db, app,
                                                               monkeypatch):
    coordinator = login_as("coordinator", province_code=NGHE_AN)
    monkeypatch.setitem(app.config, "PER_PAGE", 10)
    communes = db.session.execute(select(Commune).where(Commune.province_code == NGHE_AN)
                                  .order_by(Commune.code).limit(25)).scalars().all()
    for number, commune in enumerate(communes[:3], start=1):
        save_seat(None, Seat.of_commune(commune), factories.person(number), None)
    invite_registered_contacts(coordinator, NGHE_AN)
    with count_queries() as few:
        assert client.get("/auth/invitations").status_code == 200
    for number, commune in enumerate(communes[3:], start=4):
        save_seat(None, Seat.of_commune(commune), factories.person(number), None)
    invite_registered_contacts(coordinator, NGHE_AN)
    with count_queries() as more:
        page = client.get("/auth/invitations?page=2").get_data(as_text=True)
    assert page.count("Đã mời ngày") == 10
    assert len(more) == len(few) <= 6


def test_an_admin_chooses_the_province_and_a_bad_choice_shows_none(client, login_as, db):
    login_as("admin")
    register_commune(db, "Phường Ba Đình", 1)
    assert "nguoi1@xa.gov.vn" in client.get(f"/auth/invitations?province_code={HA_NOI}").get_data(as_text=True)
    for value in ("abc", "99999999999999999999999", "-1"):
        response = client.get(f"/auth/invitations?province_code={value}")
        assert response.status_code == 200 and "nguoi1" not in response.get_data(as_text=True)


def test_invite_everyone_through_the_page(client, login_as, outbox, db):
    login_as("coordinator", province_code=NGHE_AN)
    register_commune(db, "Xã Diễn Châu", 1)
    page = client.post("/auth/invitations", data={"province_code": HA_NOI}, follow_redirects=True)
    assert "Đã mời 1 người" in page.get_data(as_text=True)  # a coordinator's own province, whatever is posted
    again = client.post("/auth/invitations", follow_redirects=True).get_data(as_text=True)
    assert "không có thư nào được gửi" in again
    assert db.session.scalar(select(func.count(PasswordToken.id))) == 1


def test_a_coordinator_resends_only_their_provinces_invitations(client, login_as, outbox, db):
    coordinator = login_as("coordinator", province_code=NGHE_AN)
    mine = invite_user(coordinator, "cua.toi@test.vn", "coordinator", NGHE_AN).user
    theirs = factories.create_user("coordinator", province_code=HA_NOI)
    assert client.post(f"/auth/users/{mine.id}/invitation").status_code == 302
    assert client.post(f"/auth/users/{theirs.id}/invitation").status_code == 404
    assert len(outbox()) == 2
