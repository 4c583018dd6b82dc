"""Public pages and feeds served from one cache of generated bodies, with validators (ETag, 304).

Three parts, all plumbing (no domain is imported; a domain hands in its clock and its keys):

- `PageStore`: generated bodies by key, least recently used out first. Its interface is `get(key)` and
  `put(key, body, headers)`, each entry carrying its strong ETag. With REDIS_URL set, `RedisPageStore` stands in,
  shared by every worker and host (`use_redis`, called at start-up); if Redis fails, pages are built as if the
  cache were empty.
- `DataClock`: when each scope's data last changed, read through a reader the domain registers (`use`). The
  reading is kept for DATA_CLOCK_SECONDS (1 s) per process, so a burst of requests costs one query a second, not
  one a request. A write in this process forgets the reading as soon as its transaction commits (`forget`, called
  by the domain's after-commit hook), so the writer's next request is fresh. Another process (another gunicorn
  worker or host) sees the change within DATA_CLOCK_SECONDS: that staleness is the accepted cost. The clock itself
  stays in the database so every host shares it.
- `cached_page(scope, *params)`: the decorator for public GET pages; `serve` answers any cached body with its
  validators (the feeds use it directly with their own keys).
"""
import hashlib
import json
import logging
import time
from collections import OrderedDict
from datetime import datetime, timezone
from functools import wraps
from typing import Callable, NamedTuple

from flask import current_app, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from werkzeug import Response

from portal.core.clock import now
from portal.util.query import canonical

EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)
STORE_SIZE = 512
REDIS_TTL_SECONDS = 600  # keys change with the data and the minute: an old entry only waits to expire
log = logging.getLogger(__name__)


class Entry(NamedTuple):
    body: bytes
    etag: str
    headers: tuple


class PageStore:
    """Generated bodies by key in process memory, at most `size` of them (least recently used out first)."""

    def __init__(self, size: int = STORE_SIZE):
        self.size = size
        self.entries: OrderedDict = OrderedDict()

    def get(self, key: tuple) -> Entry | None:
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
        return found

    def put(self, key: tuple, body: bytes, headers: dict) -> Entry:
        entry = Entry(body, hashlib.sha256(body).hexdigest()[:32], tuple(headers.items()))
        self.entries[key] = entry
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)
        return entry

    def clear(self) -> None:
        self.entries.clear()


class RedisPageStore:
    """The same interface over Redis: an entry is a hash (body, ETag, headers) under a digest of its key."""

    def __init__(self, client, ttl: int = REDIS_TTL_SECONDS):
        self.client, self.ttl = client, ttl

    @staticmethod
    def name(key: tuple) -> str:
        return "portal:page:" + hashlib.sha256(repr(key).encode()).hexdigest()

    def get(self, key: tuple) -> Entry | None:
        from redis import RedisError

        try:
            found = self.client.hgetall(self.name(key))
        except RedisError as error:
            log.warning("page cache: Redis unavailable (%s)", error)
            return None
        if not found:
            return None
        return Entry(found[b"body"], found[b"etag"].decode(), tuple(tuple(pair) for pair in json.loads(found[b"headers"])))

    def put(self, key: tuple, body: bytes, headers: dict) -> Entry:
        from redis import RedisError

        entry = Entry(body, hashlib.sha256(body).hexdigest()[:32], tuple(headers.items()))
        try:
            with self.client.pipeline() as pipe:
                pipe.hset(self.name(key), mapping={"body": body, "etag": entry.etag,
                                                   "headers": json.dumps(list(entry.headers))})
                pipe.expire(self.name(key), self.ttl)
                pipe.execute()
        except RedisError as error:
            log.warning("page cache: Redis unavailable (%s)", error)
        return entry

    def clear(self) -> None:
        for name in self.client.scan_iter("portal:page:*"):
            self.client.delete(name)


def use_redis(url: str) -> None:
    """Keep generated pages in Redis, where every worker and host finds them."""
    global store
    from redis import Redis

    store = RedisPageStore(Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1))


class DataClock:
    """Each scope's last change (scope name -> instant), read at most once per DATA_CLOCK_SECONDS per process."""

    def __init__(self):
        self.reader: Callable[[], dict] | None = None
        self.reading: tuple[float, dict] | None = None  # (monotonic time read, value): replaced whole, never edited

    def use(self, reader: Callable[[], dict]) -> None:
        self.reader = reader

    def read(self) -> dict:
        memo, started = self.reading, time.monotonic()
        if memo is not None and started - memo[0] < current_app.config["DATA_CLOCK_SECONDS"]:
            return memo[1]
        value = self.reader() if self.reader else {}
        self.reading = (started, value)
        return value

    def at(self, scope: str) -> datetime:
        return self.read().get(scope, EPOCH)

    def forget(self) -> None:
        self.reading = None


store = PageStore()
clock = DataClock()


def serve(key: tuple, build: Callable[[], tuple[bytes, dict]], last_modified: datetime | None = None,
          private: bool = False) -> Response:
    """The body cached under `key` (built on a miss), or a 304 when the request's validators match.

    A 304 for If-Modified-Since needs only `last_modified`, one for If-None-Match only the cached ETag: neither
    builds anything when the body is cached.
    """
    entry = store.get(key)
    fresh_by_date = bool(last_modified and not request.if_none_match and request.if_modified_since
                         and request.if_modified_since >= last_modified)
    if entry is None and not fresh_by_date:
        entry = store.put(key, *build())
    return answer(entry, fresh_by_date, last_modified, private)


def answer(entry: Entry | None, fresh_by_date: bool = False, last_modified: datetime | None = None,
           private: bool = False) -> Response:
    if fresh_by_date or (entry is not None and request.if_none_match.contains(entry.etag)):
        response = Response(status=304)
    else:
        response = Response(entry.body, headers=list(entry.headers))
    if entry is not None:
        response.set_etag(entry.etag)
    if last_modified is not None:
        response.last_modified = last_modified
    response.headers["Cache-Control"] = "private, no-cache" if private else "public, no-cache"
    return response


def page_key(scopes: tuple, params: tuple, view_args: dict) -> tuple | None:
    """What a public page depends on, or None when this request must be rendered for the visitor alone.

    Only anonymous visitors with no message waiting share pages (a signed-in user's menu differs; a flash is
    theirs). The key holds the endpoint, its URL values, the query's declared parameters as parsed
    (`query.canonical`: anything else is rendered uncached, so junk never grows the store), the language, the
    scopes' data clocks and the minute: pages say "held" once a session is over, so none outlives a minute.
    """
    if current_user.is_authenticated or session.get("_flashes"):
        return None
    query = canonical(params)
    if query is None:
        return None
    minute = now().replace(second=0, microsecond=0)
    clocks = clock.read()  # one reading for all the page's scopes
    return (request.endpoint, tuple(sorted(view_args.items())), query, str(get_locale()),
            tuple(clocks.get(scope, EPOCH) for scope in scopes), minute)


def cached_page(scopes: str | tuple, *params):
    """Serve a public GET page from the store keyed by `page_key`; `scopes` names the data clocks the page depends
    on (one name, or a tuple when it shows more than one scope's data), `params` declares its query parameters.

    The page must carry nothing of one visitor (no CSRF token, no flash, nothing from the session but the
    language): a render that touched the session, set a cookie or did not answer 200 is passed through uncached.
    """
    def decorate(view):
        @wraps(view)
        def cached(**view_args):
            key = page_key((scopes,) if isinstance(scopes, str) else scopes, params, view_args)
            entry = store.get(key) if key is not None else None
            if entry is None:
                rendered = make_response(view(**view_args))
                if key is None or rendered.status_code != 200 or session.modified or "Set-Cookie" in rendered.headers:
                    if not current_user.is_authenticated:
                        rendered.headers.setdefault("Cache-Control", "private, no-cache")
                    return rendered
                entry = store.put(key, rendered.get_data(), {"Content-Type": rendered.content_type})
            response = answer(entry)
            response.vary.add("Cookie")  # the language is the session's
            return response
        return cached
    return decorate
