"""The sign-in throttle counts failures only: a shared office address and a daily sign-in are never refused."""
import pytest

from portal import create_app
from portal.core.extensions import db as database
from tests import factories
from tests.conftest import config_for_tests

PASSWORD = "mật khẩu thử nghiệm"


@pytest.fixture
def throttled_app(database_uri, db):
    """A second app on the same database with the default limits on (the suite's app has them off)."""
    app = create_app({**config_for_tests(database_uri), "RATELIMIT_ENABLED": True})
    yield app
    with app.app_context():
        database.engine.dispose()


def sign_in(client, email, password):
    return client.post("/auth/login", data={"email": email, "password": password})


def test_thirty_officials_behind_one_address_all_sign_in(throttled_app):
    emails = [factories.create_user("viewer", email=f"room{n}@test.vn", password=PASSWORD).email for n in range(30)]
    answers = [sign_in(throttled_app.test_client(), email, PASSWORD).status_code for email in emails]
    assert answers == [302] * 30


def test_successful_sign_ins_do_not_count_and_a_success_forgives_the_failures(throttled_app):
    factories.create_user("coordinator", email="dp@test.vn", password=PASSWORD)
    client = throttled_app.test_client()
    for _ in range(8):
        assert sign_in(client, "dp@test.vn", PASSWORD).status_code == 302
    for _ in range(4):
        assert sign_in(client, "dp@test.vn", "sai").status_code == 200
    assert sign_in(client, "dp@test.vn", PASSWORD).status_code == 302
    for _ in range(4):  # four more failures: the count started again at zero after the success
        assert sign_in(client, "dp@test.vn", "sai").status_code == 200
    assert sign_in(client, "dp@test.vn", PASSWORD).status_code == 302


def test_five_failures_lock_the_account_and_say_when_to_try_again(throttled_app):
    factories.create_user("coordinator", email="dp@test.vn", password=PASSWORD)
    client = throttled_app.test_client()
    for _ in range(5):
        assert sign_in(client, "DP@test.vn ", "sai").status_code == 200
    refused = sign_in(client, "dp@test.vn", PASSWORD)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 600
    assert "Vui lòng thử lại sau 10 phút" in refused.get_data(as_text=True)
    assert sign_in(client, "other@test.vn", "sai").status_code == 200  # another account from the address still may


def test_the_address_limit_counts_failures_across_accounts(database_uri, db):
    app = create_app({**config_for_tests(database_uri), "RATELIMIT_ENABLED": True,
                      "LOGIN_LIMIT_PER_ADDRESS": "3 per 10 minutes"})
    client = app.test_client()
    factories.create_user("viewer", email="v@test.vn", password=PASSWORD)
    for n in range(3):
        assert sign_in(client, f"x{n}@test.vn", "sai").status_code == 200
    assert sign_in(client, "v@test.vn", PASSWORD).status_code == 429
    with app.app_context():
        database.engine.dispose()
