"""Account rules tested directly on the services."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.auth import services
from portal.auth.invitations import invite_user
from portal.auth.models import PasswordToken
from portal.core.errors import DomainError
from portal.mail.models import OutboxMessage
from portal.core.models_base import utcnow
from tests import factories
from tests.factories import HA_NOI, NGHE_AN


def test_email_is_normalised_and_unique(db):
    user = factories.create_user("viewer", email="  Ai.Do@Example.VN ")
    assert user.email == "ai.do@example.vn"
    with pytest.raises(DomainError) as error:
        factories.create_user("viewer", email="ai.do@example.vn")
    assert error.value.field == "email"


@pytest.mark.parametrize(
    ("role", "province", "commune", "field"),
    [
        ("coordinator", None, None, "province_code"),
        ("coordinator", 999, None, "province_code"),
        ("commune_admin", NGHE_AN, None, "commune_name"),
        ("commune_admin", NGHE_AN, 99999, "commune_name"),
        ("wizard", None, None, "role"),
    ],
)
def test_roles_need_their_scope(db, role, province, commune, field):
    with pytest.raises(DomainError) as error:
        services.create_user("x@test.vn", role, province, commune)
    assert error.value.field == field


def test_commune_admin_takes_the_province_of_the_commune(db):
    commune = factories.first_commune(HA_NOI)
    user = services.create_user("xa@test.vn", "commune_admin", None, commune.code)
    assert (user.province_code, user.commune_code) == (HA_NOI, commune.code)
    with pytest.raises(DomainError):
        services.create_user("xa2@test.vn", "commune_admin", NGHE_AN, commune.code)


def test_national_roles_carry_no_province(db):
    user = services.create_user("t@test.vn", "trainer", NGHE_AN, None)
    assert user.province_code is None


def test_password_is_hashed_with_scrypt_and_checked(db):
    user = factories.create_user("viewer", email="p@test.vn", password="mật khẩu dài đủ")
    assert user.password_hash.startswith("scrypt:")
    assert services.authenticate("P@test.vn", "mật khẩu dài đủ") == user
    assert services.authenticate("p@test.vn", "wrong password") is None
    assert services.authenticate("nobody@test.vn", "mật khẩu dài đủ") is None
    assert user.last_login_at is not None


def test_short_passwords_are_refused(db):
    with pytest.raises(DomainError):
        factories.create_user("viewer", password="short")


def test_invitation_sends_a_one_time_link(db, outbox):
    admin = factories.create_user("admin")
    user = invite_user(admin, "moi@test.vn", "coordinator", NGHE_AN, None, "Nguyễn Thị Mới").user
    assert user.password_hash is None
    assert len(outbox()) == 1 and outbox()[0].to == ["moi@test.vn"]
    stored = db.session.execute(select(OutboxMessage)).scalars().all()
    assert [m.recipient for m in stored] == ["moi@test.vn"] and stored[0].sent_at is not None
    link = next(line for line in outbox()[0].body.splitlines() if line.startswith("https://portal.test/auth/password/"))
    token = link.rsplit("/", 1)[1]
    assert token not in db.session.execute(select(PasswordToken.token_hash)).scalar_one()
    services.set_password_with_token(token, "một mật khẩu mới")
    assert services.authenticate("moi@test.vn", "một mật khẩu mới") == user
    with pytest.raises(DomainError):
        services.set_password_with_token(token, "lần thứ hai thì không")


def test_expired_and_replaced_tokens_do_not_work(db):
    user = factories.create_user("viewer")
    first = services.issue_token(user, "invitation")
    second = services.issue_token(user, "invitation")
    assert services.valid_token(first) is None
    assert services.valid_token(second) is not None
    services.valid_token(second).expires_at = utcnow() - timedelta(seconds=1)
    assert services.valid_token(second) is None


def test_password_reset_says_nothing_about_unknown_addresses(db, outbox):
    services.request_password_reset("nobody@test.vn")
    services.request_password_reset("not an address")
    assert outbox() == []
    factories.create_user("viewer", email="known@test.vn")
    services.request_password_reset("KNOWN@test.vn")
    assert [m.to for m in outbox()] == [["known@test.vn"]]


def test_deactivation_and_rescope_end_sessions(db):
    admin = factories.create_user("admin")
    user = factories.create_user("coordinator", province_code=NGHE_AN)
    cookie_id = user.get_id()
    services.rescope(admin, user, "coordinator", HA_NOI, None)
    assert services.load_session_user(cookie_id) is None
    assert user.province_code == HA_NOI
    cookie_id = user.get_id()
    services.set_active(admin, user, False)
    assert services.load_session_user(cookie_id) is None
    assert services.load_session_user(user.get_id()) is None  # inactive: nobody loads


def test_admins_cannot_lock_themselves_out(db):
    admin = factories.create_user("admin")
    with pytest.raises(DomainError):
        services.set_active(admin, admin, False)
    with pytest.raises(DomainError):
        services.rescope(admin, admin, "viewer", None, None)


def test_session_loader_rejects_malformed_ids(db):
    assert services.load_session_user("abc") is None
    assert services.load_session_user("1") is None
    assert services.load_session_user("99999:1") is None
