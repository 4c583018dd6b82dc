"""Public pages served from the page cache: validators, what the key holds, what a cached page never carries."""
import re

import pytest

from portal.core import page_cache
from portal.core.page_cache import EPOCH
from portal.core.extensions import db as database
from portal.feeds.clock import read_clocks
from portal.support import directory
from portal.support.models import FaqEntry, TicketCategory
from portal.training.services import save_session
from tests import factories
from tests.conftest import start_session

PAGES = ("/training/public", "/support/directory", "/support/help")


@pytest.fixture(autouse=True)
def empty_store(app):
    page_cache.store.clear()
    page_cache.clock.forget()
    yield
    page_cache.store.clear()
    page_cache.clock.forget()


@pytest.fixture
def remembered_clock(app, monkeypatch):
    """The clock's reading kept for a minute, as a busy process would see within its second."""
    monkeypatch.setitem(app.config, "DATA_CLOCK_SECONDS", 60)


@pytest.mark.parametrize("path", PAGES)
def test_an_anonymous_visitor_gets_a_shared_page_with_a_strong_etag_and_a_304(client, path, count_queries):
    first = client.get(path)
    assert first.status_code == 200 and first.headers["Cache-Control"] == "public, no-cache"
    assert first.headers["ETag"].startswith('"') and "Cookie" in first.headers["Vary"]
    with count_queries() as statements:
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == first.headers["ETag"]
    assert len(statements) <= 1  # the data clock, nothing else


@pytest.mark.parametrize("path", PAGES)
def test_a_304_costs_no_query_within_the_clocks_second(client, path, remembered_clock, count_queries):
    etag = client.get(path).headers["ETag"]
    with count_queries() as statements:
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
        assert client.get(path).status_code == 200
    assert statements == []


def test_a_changed_hotline_shows_on_the_next_request_even_with_the_clock_remembered(client, remembered_clock):
    before = client.get("/support/directory")
    assert "tel:+842383844556" not in before.get_data(as_text=True)
    directory.save_channel(factories.NGHE_AN, "0238 3 844 556", "", "")
    after = client.get("/support/directory", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and "tel:+842383844556" in after.get_data(as_text=True)


def test_a_new_faq_entry_and_a_renamed_category_show_on_the_next_request(client, db):
    etag = client.get("/support/help").headers["ETag"]
    category = TicketCategory(name="Tài khoản", position=99)
    db.session.add(category)
    db.session.flush()
    db.session.add(FaqEntry(category_id=category.id, question="Quên mật khẩu?", answer="Dùng chức năng quên mật khẩu."))
    db.session.commit()
    page = client.get("/support/help", headers={"If-None-Match": etag})
    assert page.status_code == 200 and "Quên mật khẩu?" in page.get_data(as_text=True)
    category.name = "Tài khoản và mật khẩu"
    db.session.commit()
    assert "Tài khoản và mật khẩu" in client.get("/support/help").get_data(as_text=True)


def test_each_scope_has_its_own_clock_and_a_sign_in_moves_none(client, db):
    before = read_clocks()
    directory.save_channel(factories.NGHE_AN, "0912345678", "", "")
    clocks = read_clocks()
    assert clocks["directory"] > before.get("directory", EPOCH) and clocks.get("plan") == before.get("plan")
    user = factories.create_user("agent")
    moved = read_clocks()
    assert moved["directory"] > clocks["directory"] and moved["plan"] > clocks.get("plan", EPOCH)  # on both pages
    user.last_login_at, user.session_version = moved["plan"], 2
    database.session.commit()
    assert read_clocks() == moved


def test_languages_never_mix(app, client):
    vietnamese = client.get("/support/help")
    english_client = app.test_client()
    english_client.post("/language", data={"language": "en"})
    english_client.get("/support/help")  # Flask-Login marks the session not fresh once: that answer is its own
    english = english_client.get("/support/help")
    assert 'lang="vi"' in vietnamese.get_data(as_text=True) and 'lang="en"' in english.get_data(as_text=True)
    assert english.headers["ETag"] != vietnamese.headers["ETag"]
    again = client.get("/support/help", headers={"If-None-Match": english.headers["ETag"]})
    assert again.status_code == 200 and 'lang="vi"' in again.get_data(as_text=True)


@pytest.mark.parametrize("path", PAGES)
def test_two_anonymous_visitors_never_get_each_others_cookie_or_token(app, path):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        first, second = app.test_client(), app.test_client()
        answers = [first.get(path), second.get(path), first.get(path)]
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    for answer in answers:
        assert answer.status_code == 200 and "Set-Cookie" not in answer.headers
        assert "csrf_token" not in answer.get_data(as_text=True)
    assert answers[0].data == answers[1].data


def test_the_language_switch_works_from_a_cached_page_with_csrf_on(app, db):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        app.test_client().get("/training/public?province=40")  # another visitor fills the cache
        visitor = app.test_client()
        page = visitor.get("/training/public?province=40").get_data(as_text=True)
        form = re.search(r'<form class="lang" method="post" action="([^"]+)">(.*?)</form>', page, re.S)
        fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(2)))
        switched = visitor.post(form.group(1), data={"next": fields["next"].replace("&amp;", "&"), "language": "en"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert switched.status_code == 302 and switched.location.endswith("/training/public?province=40")
    assert 'lang="en"' in visitor.get(switched.location).get_data(as_text=True)


def test_a_cross_site_language_switch_is_refused(client):
    assert client.post("/language", data={"language": "en"}, headers={"Origin": "https://evil.example"}).status_code == 403
    assert client.post("/language", data={"language": "en"}, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert client.post("/language", data={"language": "en"}, headers={"Origin": "http://localhost"}).status_code == 302


def test_hostile_query_strings_never_grow_the_cache(client):
    client.get("/training/public")
    stored = len(page_cache.store.entries)
    for junk in ("province=05", "province=+5", "province=%205", "week=20260119", "week=2026-02-30", "mode=x",
                 "page=0", "utm=1", "province=5&province=6", "view=TABLE", "trainer=99999999999"):
        answer = client.get(f"/training/public?{junk}")
        assert answer.status_code == 200 and answer.headers["Cache-Control"] == "private, no-cache", junk
    assert len(page_cache.store.entries) == stored
    valid = client.get("/training/public?week=2026-01-19&province=40&audience=commune&mode=online&view=table&page=1")
    assert valid.headers["Cache-Control"] == "public, no-cache" and len(page_cache.store.entries) == stored + 1


def test_the_store_keeps_at_most_its_size():
    store = page_cache.PageStore(size=2)
    for number in range(5):
        store.put(("page", number), b"x%d" % number, {})
    assert list(store.entries) == [("page", 3), ("page", 4)] and store.get(("page", 0)) is None


def test_signed_in_users_and_visitors_with_a_message_get_their_own_render(app, client, login_as):
    client.get("/support/directory")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Đã lưu thay đổi.")]
    flashed = client.get("/support/directory")
    assert "Đã lưu thay đổi." in flashed.get_data(as_text=True) and flashed.headers["Cache-Control"] == "private, no-cache"
    assert "Đã lưu thay đổi." not in app.test_client().get("/support/directory").get_data(as_text=True)
    admin = login_as("admin")
    signed_in = client.get("/support/directory")
    assert signed_in.headers["Cache-Control"] == "no-store" and "ETag" not in signed_in.headers
    assert admin.email in signed_in.get_data(as_text=True) or admin.full_name in signed_in.get_data(as_text=True)


def test_a_signed_in_user_never_receives_the_anonymous_copy(app, db):
    trainer = factories.create_user("trainer", full_name="Giảng viên Lê")
    visitor = app.test_client()
    visitor.get("/training/public")
    start_session(visitor, trainer)
    assert "Giảng viên Lê" in visitor.get("/training/public").get_data(as_text=True)


def test_a_sessions_ics_is_served_from_the_cache_until_the_session_changes(client, db, count_queries):
    admin, trainer = factories.create_user("admin"), factories.create_user("trainer")
    item = save_session(admin, None, factories.session_input([trainer.id]))
    first = client.get(f"/feeds/sessions/{item.id}.ics")
    assert first.status_code == 200 and "attachment" in first.headers["Content-Disposition"]
    with count_queries() as statements:
        assert client.get(f"/feeds/sessions/{item.id}.ics", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert len(statements) <= 1
    save_session(admin, item, factories.session_input([trainer.id], title="Tập huấn đã đổi tên"))
    changed = client.get(f"/feeds/sessions/{item.id}.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and "đổi tên" in changed.get_data(as_text=True)
    assert client.get("/feeds/sessions/999999.ics").status_code == 404


@pytest.mark.parametrize("path", PAGES)
def test_a_page_first_rendered_for_a_signed_in_person_leaves_nothing_of_them_in_the_shared_copy(app, db, path):
    """The other order than above: the signed-in render must not become the cached copy an anonymous visitor gets."""
    person = factories.create_user("commune_admin", full_name="Người Đăng Nhập Trước", email="truoc@nghean.gov.vn")
    signed_in = app.test_client()
    start_session(signed_in, person)
    assert "Người Đăng Nhập Trước" in signed_in.get(path).get_data(as_text=True)
    shared = app.test_client().get(path)
    assert shared.headers["Cache-Control"] == "public, no-cache"
    assert "Người Đăng Nhập Trước" not in shared.get_data(as_text=True)
    assert "truoc@nghean.gov.vn" not in shared.get_data(as_text=True)
