"""The address bar cannot break a page: every 500 found by hand, then every GET route with hostile query strings.

The property test walks app.url_map as tests/test_access.py does, with URL arguments filled from real rows, signed
in as each role and anonymous, and sends what outside tools send: huge and negative integers, dates out of range,
control characters, repeated keys, unicode, empty values. No answer may be a 5xx.
"""
from datetime import date
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.auth.models import ROLES
from portal.util import query
from tests import factories
from tests.conftest import start_session
from tests.factories import HA_NOI, NGHE_AN
from tests.test_access import build, hanoi_objects, routes  # noqa: F401 (hanoi_objects is a fixture)

HUGE = "99999999999999999999"


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01"])
def test_the_public_plan_takes_any_week(client, db, week):
    response = client.get(f"/training/public?week={week}")
    assert response.status_code == 200
    assert "2100" in response.get_data(as_text=True) or "2000" in response.get_data(as_text=True)


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "2026-02-31", "2026-W04"])
def test_the_plan_takes_any_week(client, login_as, db, week):
    login_as("coordinator")
    assert client.get(f"/training/?week={week}").status_code == 200
    assert client.get(f"/training/?week={week}&view=table&page={HUGE}").status_code == 200


@pytest.mark.parametrize("path", ["/materials/", "/support/", f"/contacts/provinces/{NGHE_AN}", "/auth/users",
                                  "/accounts/", "/audit/", f"/reports/provinces/{NGHE_AN}",
                                  f"/units/provinces/{NGHE_AN}", "/mail/outbox", "/support/recurring"])
def test_a_page_number_too_large_for_the_database_is_an_empty_page(client, login_as, db, path):
    login_as("admin")
    for page in (HUGE, "-" + HUGE, "1e9", "２"):  # the last one is a full-width digit
        assert client.get(f"{path}?page={page}&weeks={page}").status_code == 200, (path, page)


def test_the_materials_page_is_open_to_anyone_with_any_page(client, db):
    assert client.get(f"/materials/?page={HUGE}").status_code == 200


@pytest.mark.parametrize("path", [f"/support/tickets/{HUGE}", f"/training/sessions/{HUGE}",
                                  f"/units/provinces/{HUGE}", f"/contacts/communes/{2**31}"])
def test_a_path_integer_too_large_for_the_database_is_not_found(client, login_as, db, path):
    login_as("admin")
    assert client.get(path).status_code == 404


def test_a_filter_out_of_its_range_is_ignored(client, login_as, db):
    login_as("admin")
    for path in (f"/training/?province={HUGE}&trainer={HUGE}", f"/support/?province={HUGE}&category={HUGE}",
                 f"/contacts/export.csv?province={HUGE}", f"/reports/?sort={HUGE}&order=sideways",
                 f"/contacts/export.csv?kind={HUGE}"):
        assert client.get(path).status_code in (200, 404), path


class TestTheParser:
    def test_integers_are_clamped_and_junk_is_the_default(self, app):
        page = query.Integer("n", default=3, minimum=1, maximum=10)
        for sent, read in (("5", 5), (HUGE, 10), ("-" + HUGE, 1), ("", 3), ("abc", 3), ("٣", 3), (" 7 ", 7)):
            with app.test_request_context(f"/?{urlencode({'n': sent})}"):
                assert page.read() == read, sent

    def test_strict_integers_refuse_what_the_document_excludes(self, app):
        page = query.Integer("n", default=3, minimum=1, maximum=10)
        for sent in (HUGE, "0", "abc"):
            with app.test_request_context(f"/?n={sent}"), pytest.raises(query.OutOfBounds):
                page.read(strict=True)
        with app.test_request_context("/"):
            assert page.read(strict=True) == 3

    def test_filter_dates_stay_between_2000_and_2100(self, app):
        from portal.training.forms import PlanFilterForm

        for sent, kept in (("9999-12-31", date(2100, 12, 31)), ("0001-01-01", date(2000, 1, 1)),
                           ("2026-01-19", date(2026, 1, 19)), ("2026-02-31", None), ("19/01/2026", None)):
            with app.test_request_context(f"/?week={sent}&province={HUGE}"):
                form = PlanFilterForm(query.args())
                form.set_choices([], [])
                query.keep_valid(form)
                assert form.week.data == kept, sent
                assert form.province.data is None  # not in the list: ignored, never sent to the database

    def test_weeks_and_months(self):
        assert query.parse_iso_week("2026-W04") == date(2026, 1, 19)
        assert query.parse_iso_week("2025-W53") is None  # 2025 has 52 ISO weeks, 2026 has 53
        assert query.parse_iso_week("2026-W53") == date(2026, 12, 28)
        assert query.parse_iso_week("2020-W53") == date(2020, 12, 28)
        assert query.parse_iso_week("9999-W01") is None and query.parse_iso_week("2026-W4") is None
        assert query.parse_month("2026-01") == date(2026, 1, 1)
        assert query.parse_month("2026-13") is None and query.parse_month("1999-12") is None

    def test_text_and_choices(self, app):
        with app.test_request_context("/?q=%09a%01b%7F" + "c" * 500 + "&sort=name&order=%00"):
            assert query.Text("q", 50).read() == "ab" + "c" * 48
            assert query.Choice("sort", ("code", "name"), "code").read() == "name"
            assert query.Choice("order", ("asc", "desc"), "asc").read() == "asc"
            assert query.args()["q"].startswith("ab")


# --- the property test ------------------------------------------------------------------------------------------

# Every name a view reads, and a few it does not.
PARAMETER_NAMES = ("page", "per_page", "week", "month", "kind", "province", "trainer", "audience", "mode", "view",
                   "status", "priority", "category", "overdue", "unassigned", "q", "role", "sort", "order", "weeks",
                   "recipient", "next", "lang", "x")
# The first value of each parameter is the one read: the worst for each kind of parameter.
WORST = {"week": "9999-12-31", "month": "0000-00", "q": "ờ" * 300, "recipient": "\u202e" * 300,
         "next": "//evil.example/%2e%2e", "sort": "__class__", "order": "desc;--"}
hostile_integers = st.sampled_from([HUGE, "-" + HUGE, "184467440737095518", str(2**31), str(-2**31 - 1), "0", "-1",
                                    "1e308", "NaN", "0x10", "１２"]) | st.integers().map(str)
hostile_dates = st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "2026-W99", "9999-W52", "0000-00",
                                 "2026-13", "10000-01-01", "2026-1-1", "-2026-01-01"]) | st.dates().map(str)
hostile_text = st.text(max_size=40) | st.sampled_from(["", " ", "\x00", "\r\n", "‮", "ờ" * 300, "%", "'--"])
hostile_value = hostile_integers | hostile_dates | hostile_text
query_strings = st.lists(st.tuples(st.sampled_from(PARAMETER_NAMES) | st.text(max_size=8), hostile_value),
                         max_size=6)


@pytest.fixture
def own_province_objects(db, hanoi_objects):
    """Hà Nội's rows; local roles belong to Hà Nội here, so they open the pages of those rows, not a 404."""
    return hanoi_objects[0]


def get_routes(app) -> list:
    """Every GET route of the app."""
    return [rule for rule, method in routes(app) if method == "GET"]


def user_for(role: str):
    if role == "anonymous":
        return None
    scope = {"province_code": HA_NOI} if role in ("coordinator", "commune_admin") else {}
    if role == "commune_admin":
        scope["commune_code"] = factories.first_commune(HA_NOI).code
    return factories.create_user(role, **scope)


@pytest.mark.parametrize("role", ("anonymous",) + ROLES)
def test_no_query_string_causes_a_server_error(app, client, db, own_province_objects, role):
    user = user_for(role)
    urls = [build(rule, own_province_objects) for rule in get_routes(app)]

    def fetch(url: str, pairs: list) -> None:
        if user is None:
            client.delete_cookie("session")
        else:
            start_session(client, user)
        address = f"{url}?{urlencode(pairs)}"
        response = client.get(address)
        response.close()
        assert response.status_code < 500, f"GET {address} as {role}: {response.status_code}"

    # Every route once with every parameter at its worst, then repeated with other values...
    for url in urls:
        fetch(url, [(name, WORST.get(name, HUGE)) for name in PARAMETER_NAMES]
              + [(name, value) for name in PARAMETER_NAMES for value in ("-1", "")])

    # ...then random hostile strings, spread over the routes.
    @settings(max_examples=len(urls), deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(url=st.sampled_from(urls), pairs=query_strings)
    def hostile(url, pairs):
        fetch(url, pairs)

    hostile()
