"""Public pages and feeds cached in Redis: what one host built, another serves; Redis down costs only speed."""
import os

import pytest

from portal import create_app
from portal.core import page_cache
from tests.conftest import config_for_tests

REDIS_URL = os.environ.get("TEST_REDIS_URL")


@pytest.fixture
def redis_store():
    if not REDIS_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but TEST_REDIS_URL is not set")
        pytest.skip("no Redis (TEST_REDIS_URL)")
    kept = page_cache.store
    page_cache.use_redis(REDIS_URL)
    shared = page_cache.store
    shared.clear()
    yield shared
    shared.clear()
    page_cache.store = kept


def test_a_page_one_host_built_is_served_by_another(client, db, redis_store):
    first = client.get("/")
    assert first.status_code == 200
    names = list(redis_store.client.scan_iter("portal:page:*"))
    assert len(names) == 1 and 0 < redis_store.client.ttl(names[0]) <= page_cache.REDIS_TTL_SECONDS
    other_host = page_cache.RedisPageStore(redis_store.client)
    page_cache.store = other_host
    again = client.get("/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and list(redis_store.client.scan_iter("portal:page:*")) == names
    assert client.get("/").get_data() == first.get_data()


def test_redis_down_means_pages_built_each_time_not_errors(client, db, redis_store):
    from redis import Redis

    page_cache.store = page_cache.RedisPageStore(Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2))
    assert client.get("/").status_code == 200 and client.get("/").status_code == 200


def test_an_app_given_redis_url_caches_in_redis(tmp_path, redis_store):
    page_cache.store = page_cache.PageStore()
    create_app({**config_for_tests(f"sqlite:///{tmp_path / 'x.sqlite3'}"), "REDIS_URL": REDIS_URL})
    assert isinstance(page_cache.store, page_cache.RedisPageStore)
