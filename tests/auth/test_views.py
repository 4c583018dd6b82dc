"""Signing in and out, session limits, and account management through the browser's eyes."""
import re

from sqlalchemy import select

from portal.auth.models import User
from tests import factories
from tests.factories import HA_NOI, NGHE_AN

PASSWORD = "mật khẩu thử nghiệm"


def sign_in(client, email, password=PASSWORD):
    return client.post("/auth/login", data={"email": email, "password": password})


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_login_page_is_vietnamese_by_default(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page


def test_sign_in_sets_a_hardened_cookie_and_a_fresh_session(client, db):
    factories.create_user("viewer", email="v@test.vn", password=PASSWORD)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    response = sign_in(client, "v@test.vn")
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    with client.session_transaction() as session:
        assert "planted" not in session and "_user_id" in session


def test_wrong_password_gives_one_message_for_every_cause(client, db):
    factories.create_user("viewer", email="v@test.vn", password=PASSWORD)
    wrong = sign_in(client, "v@test.vn", "not the password").get_data(as_text=True)
    unknown = sign_in(client, "nobody@test.vn").get_data(as_text=True)
    message = re.compile(r'class="flash error"[^>]*>([^<]+)<')
    assert message.search(wrong).group(1) == message.search(unknown).group(1)


def test_next_parameter_stays_on_this_site(client, db):
    factories.create_user("viewer", email="v@test.vn", password=PASSWORD)
    response = client.post("/auth/login?next=//evil.example/x", data={"email": "v@test.vn", "password": PASSWORD})
    assert response.location == "/"


def test_a_cookie_copied_before_logout_is_refused(client, db):
    factories.create_user("viewer", email="v@test.vn", password=PASSWORD)
    sign_in(client, "v@test.vn")
    copied = session_cookie(client)
    assert client.get("/units/").status_code == 200
    client.post("/auth/logout")
    client.set_cookie("session", copied)
    assert client.get("/units/").status_code == 302


def test_a_cookie_copied_before_a_password_change_is_refused(client, db):
    factories.create_user("viewer", email="v@test.vn", password=PASSWORD)
    sign_in(client, "v@test.vn")
    copied = session_cookie(client)
    response = client.post(
        "/auth/account",
        data={"current_password": PASSWORD, "password": "mật khẩu mới rất dài", "confirm": "mật khẩu mới rất dài"},
    )
    assert response.status_code == 302
    client.set_cookie("session", copied)
    assert client.get("/units/").status_code == 302
    assert sign_in(client, "v@test.vn", "mật khẩu mới rất dài").status_code == 302


def test_a_cookie_of_a_deactivated_account_is_refused(client, db):
    user = factories.create_user("viewer", email="v@test.vn", password=PASSWORD)
    sign_in(client, "v@test.vn")
    user.is_active = False
    user.session_version += 1
    db.session.commit()
    assert client.get("/units/").status_code == 302


def test_idle_sessions_end(client, login_as):
    login_as("viewer")
    with client.session_transaction() as session:
        session["seen_at"] -= 2 * 3600 + 1
    response = client.get("/units/")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_sessions_end_after_their_absolute_lifetime(client, login_as):
    login_as("viewer")
    with client.session_transaction() as session:
        session["login_at"] -= 12 * 3600 + 1
    assert client.get("/units/").status_code == 302


def test_signed_in_pages_are_not_cached(client, login_as):
    login_as("admin")
    assert client.get("/auth/users").headers["Cache-Control"] == "no-store"


def test_admin_invites_a_coordinator_who_sets_a_password(client, login_as, outbox, db):
    login_as("admin")
    response = client.post(
        "/auth/users/invite",
        data={"email": "dieuphoi@nghean.gov.vn", "full_name": "Trần Văn Điều", "role": "coordinator",
              "province_code": NGHE_AN, "commune_code": ""},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    link = re.search(r"https://portal\.test(/auth/password/\S+)", outbox()[0].body).group(1)
    assert "Trần Văn Điều" in outbox()[0].body
    client.post("/auth/logout")
    response = client.post(link, data={"password": "mật khẩu của tôi", "confirm": "mật khẩu của tôi"})
    assert response.status_code == 302
    assert client.get(link).status_code == 404
    assert sign_in(client, "dieuphoi@nghean.gov.vn", "mật khẩu của tôi").status_code == 302


def test_invite_form_shows_errors_next_to_fields(client, login_as):
    login_as("admin")
    page = client.post(
        "/auth/users/invite", data={"email": "x@test.vn", "role": "commune_admin", "province_code": 0}
    ).get_data(as_text=True)
    assert 'id="commune_name-error"' in page


def test_admin_deactivates_and_rescopes(client, login_as, db):
    login_as("admin")
    person = factories.create_user("coordinator", province_code=NGHE_AN)
    client.post(f"/auth/users/{person.id}/active", data={"active": "0"})
    db.session.refresh(person)
    assert person.is_active is False
    client.post(f"/auth/users/{person.id}/scope", data={"role": "coordinator", "province_code": HA_NOI})
    db.session.refresh(person)
    assert person.province_code == HA_NOI


def test_coordinator_lists_only_their_province_accounts(client, login_as, db):
    mine = factories.create_user("commune_admin", email="mine@test.vn")
    theirs = factories.create_user("coordinator", province_code=HA_NOI, email="theirs@test.vn")
    login_as("coordinator", province_code=NGHE_AN)
    page = client.get("/auth/users").get_data(as_text=True)
    assert "mine@test.vn" in page and "theirs@test.vn" not in page
    assert client.get(f"/auth/users/{mine.id}").status_code == 200
    assert client.get(f"/auth/users/{theirs.id}").status_code == 404
    assert client.post(f"/auth/users/{mine.id}/active", data={"active": "0"}).status_code == 403


def test_user_list_costs_a_constant_number_of_queries(client, login_as, count_queries):
    login_as("admin")
    for number in range(12):
        factories.create_user("commune_admin", email=f"xa{number}@test.vn")
    with count_queries() as statements:
        assert client.get("/auth/users").status_code == 200
    assert len(statements) <= 4


def test_users_create_cli_reads_the_password_from_stdin(runner, db):
    result = runner.invoke(
        args=["users", "create", "cli@test.vn", "--role", "coordinator", "--province", str(NGHE_AN)],
        input="mật khẩu từ dòng lệnh\n",
    )
    assert result.exit_code == 0, result.output
    from portal.auth.services import authenticate

    assert authenticate("cli@test.vn", "mật khẩu từ dòng lệnh").province_code == NGHE_AN


def test_users_create_cli_explains_a_missing_scope(runner, db):
    result = runner.invoke(args=["users", "create", "cli@test.vn", "--role", "coordinator"], input="x" * 12 + "\n")
    assert result.exit_code == 1 and result.output.startswith("Error: ")
    assert db.session.execute(select(User).where(User.email == "cli@test.vn")).first() is None
