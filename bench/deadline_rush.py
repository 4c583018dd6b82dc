"""Deadline-day load: gunicorn with 4 workers on 127.0.0.1, many clients registering an administrator for
each of the 3,321 communes at once, duplicate submissions mixed in; then the database is checked.

Run against SQLite always, and against PostgreSQL when BENCH_DATABASE_URL (or TEST_DATABASE_URL) names an
empty database. Prints requests per second, p50/p95/p99 latency and the error count, and writes each run's
figures to bench/results/deadline_rush-<database>.json.
"""
import http.cookiejar
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
PASSWORD = "mat-khau-tai-tai-2026"
CLIENTS = 32
DUPLICATE_SHARE = 0.15
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def flask(env: dict, *args: str, stdin: str = "") -> None:
    subprocess.run([PYTHON, "-m", "flask", "--app", "portal", *args], env=env, cwd=ROOT, check=True,
                   input=stdin, capture_output=True, text=True)


def prepare(env: dict) -> list[tuple[int, list[int]]]:
    """Migrate, load the units, and make one coordinator per province; return the communes per province."""
    flask(env, "db", "upgrade")
    flask(env, "units", "load")
    engine = create_engine(env["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        communes = connection.execute(text("SELECT province_code, code FROM communes ORDER BY code")).all()
    engine.dispose()
    by_province: dict[int, list[int]] = {}
    for province_code, code in communes:
        by_province.setdefault(province_code, []).append(code)
    for province_code in by_province:
        flask(env, "users", "create", f"dp{province_code}@rush.vn", "--role", "coordinator",
              "--province", str(province_code), stdin=PASSWORD + "\n")
    return sorted(by_province.items())


class Client:
    """One browser: a cookie jar, the CSRF token of the last page, and the time of each submission."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def sign_in(self, email: str) -> None:
        _, page = self.request("/auth/login")
        status, _ = self.request("/auth/login", {"csrf_token": CSRF.search(page).group(1), "email": email,
                                                 "password": PASSWORD})
        assert status == 200, status  # the redirect is followed to the landing page

    def register(self, code: int, number: int) -> tuple[int, float]:
        _, page = self.request(f"/contacts/communes/{code}")
        token = CSRF.search(page).group(1)
        started = time.perf_counter()
        status, _ = self.request(f"/contacts/communes/{code}", {
            "csrf_token": token, "full_name": f"Quản Trị Viên {number}", "position": "Công chức",
            "unit_name": "", "phone": f"09{number:08d}", "email": f"qtv{number}@rush.vn", "cccd": "",
            "accept_notice": "y", "version": ""})
        return status, time.perf_counter() - started


def run(database: str, url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "rush", "PORTAL_ENV": "development",
           "RATELIMIT_ENABLED": "false", "PYTHONPATH": str(ROOT)}
    provinces = prepare(env)
    port = free_port()
    server = subprocess.Popen([GUNICORN, "--workers", "4", "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--graceful-timeout", "5",
                               "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # the request log would fill an unread pipe
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)  # nosec B310 (our own server on loopback)
                break
            except OSError:
                time.sleep(0.2)
        # Two signed-in browsers per province, ready before the clock starts (sign-in is not what is measured).
        clients = {code: [Client(base), Client(base)] for code, _ in provinces}
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda pair: pair[0].sign_in(f"dp{pair[1]}@rush.vn"),
                          [(client, code) for code, pair in clients.items() for client in pair]))
        rng = random.Random(2026)
        jobs = []
        for province_code, codes in provinces:
            for code in codes:
                jobs.append((clients[province_code][0], code))
                if rng.random() < DUPLICATE_SHARE:  # the same commune from the other browser, at about the same time
                    jobs.append((clients[province_code][1], code))
        rng.shuffle(jobs)
        statuses, latencies, lock = [], [], threading.Lock()

        def submit(job):
            client, code = job
            try:
                status, latency = client.register(code, code)
            except OSError:
                status, latency = 599, 0.0
            with lock:
                statuses.append(status)
                latencies.append(latency)

        started = time.perf_counter()
        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(submit, jobs))
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT count(*), count(DISTINCT commune_code) FROM contacts "
                                       "WHERE kind = 'commune'")).one()
    engine.dispose()
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "database": database, "submissions": len(jobs), "communes": sum(len(c) for _, c in provinces),
        "registered": rows[0], "distinct_communes": rows[1],
        "saved": statuses.count(200), "refused_duplicates": statuses.count(422),
        "errors": sum(1 for s in statuses if s >= 500), "other": sum(1 for s in statuses if s not in (200, 422) and s < 500),
        "requests_per_second": round(2 * len(jobs) / elapsed, 1),
        "p50_ms": round(quantiles[49] * 1000, 1), "p95_ms": round(quantiles[94] * 1000, 1),
        "p99_ms": round(quantiles[98] * 1000, 1), "seconds": round(elapsed, 1),
    }


def report(results: dict) -> None:
    print(f"{results['database']}: {results['registered']} of {results['communes']} communes registered "
          f"({results['distinct_communes']} distinct) from {results['submissions']} submissions; "
          f"{results['refused_duplicates']} duplicates refused, {results['errors']} errors (5xx), "
          f"{results['other']} other")
    print(f"  {results['requests_per_second']} requests/s; POST latency p50 {results['p50_ms']} ms, "
          f"p95 {results['p95_ms']} ms, p99 {results['p99_ms']} ms; {results['seconds']} s")
    out = ROOT / "bench" / "results" / f"deadline_rush-{results['database']}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        report(run("sqlite", f"sqlite:///{folder}/rush.sqlite3"))
    postgres = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if postgres:
        engine = create_engine(postgres.replace("postgresql://", "postgresql+psycopg://"))
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        report(run("postgresql", postgres))
    else:
        print("PostgreSQL run skipped: set BENCH_DATABASE_URL to an empty database (its schema is dropped).")
