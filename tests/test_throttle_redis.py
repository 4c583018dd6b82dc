"""The login throttle counted in Redis, across 4 gunicorn workers: a 6th try for one account is refused
whichever worker answers it (with memory:// each worker would count alone and let up to 20 through)."""
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL")
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)


def try_login(base: str, email: str, password: str) -> int:
    """A fresh browser each time (new cookie, new connection): a GET for the CSRF token, then the POST."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base}/auth/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
    data = urllib.parse.urlencode({"csrf_token": token.group(1) or token.group(2), "email": email,
                                   "password": password}).encode()
    try:
        return opener.open(f"{base}/auth/login", data=data, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_login_throttle_holds_across_four_workers_on_redis(tmp_path):
    if not REDIS_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but TEST_REDIS_URL is not set")
        pytest.skip("set TEST_REDIS_URL=redis://... to run the throttle test on Redis")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL",)}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}", REDIS_URL=REDIS_URL, SECRET_KEY="throttle",
               PORTAL_ENV="development")
    flask = [sys.executable, "-m", "flask", "--app", "portal"]
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([*flask, "users", "create", "dp@nghean.gov.vn", "--role", "admin"], env=env, cwd=ROOT,
                   input="mat-khau-dung-2026\nmat-khau-dung-2026\n", text=True, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "4", "-b", f"127.0.0.1:{port}", "wsgi:app"],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/healthz")
        answers = [try_login(base, "dp@nghean.gov.vn", "sai-mat-khau") for _ in range(5)]
        assert 429 not in answers
        assert try_login(base, "dp@nghean.gov.vn", "mat-khau-dung-2026") == 429
        assert try_login(base, "DP@nghean.gov.vn", "sai-mat-khau") == 429
    finally:
        server.terminate()
        server.wait(timeout=30)
