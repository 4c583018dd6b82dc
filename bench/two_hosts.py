"""Two app hosts behind nginx on 127.0.0.1, one killed with SIGKILL under load and brought back.

Two gunicorn processes from this checkout play two hosts: each has its own instance folder (PORTAL_INSTANCE_PATH)
and shares only what hosts share in production, PostgreSQL (a fresh database on the server of the given URL),
Redis, the S3 store (STORAGE_URL and boto3's AWS_* variables) and SECRET_KEY. nginx from Debian balances them.
Simulated people sign in, view pages, file tickets with a PNG, download the attachments and poll feeds; host A is
killed mid-run and started again. The report: requests per second before, during and after; every failed request
by method; no failure once the proxy has noticed (fail_timeout plus a second); every ticket posted stored once,
its attachment readable through each host directly; the login throttle counting across hosts. With --postgres-outage
(on by default when this script starts its own PostgreSQL) the database is also stopped for a while under load.

    .venv/bin/python bench/two_hosts.py [--database-url postgresql://...] [--redis-url redis://...]

Without URLs it starts its own PostgreSQL cluster (as the postgres user when run as root), Redis and `weed mini`.
tests/test_two_hosts.py runs a shorter version of the same harness in CI.

Retries, and why `non_idempotent` is off: nginx passes a request to the other host on a connection error, a
timeout or a 502/503 (`proxy_next_upstream error timeout http_502 http_503`). For POST it does so only while the
request has not been sent (connection refused, connect timeout), which is safe: the dead host never saw it. A POST
that was sent and then lost its answer (the host died mid-request, or a read timed out) may have been committed,
so nginx answers 502 instead of sending it again; `non_idempotent` would send it again, and not every form in the
portal carries an idempotency key. The browser (here, the load client) retries such a POST with the same
submission token, and the service answers with the ticket the first attempt stored.
"""
import argparse
import http.client
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections import Counter, defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEMO_PASSWORD = "demo-tthc-2026"
REPORTERS = ("commune.nghean@demo.tthc.vn", "coordinator.nghean@demo.tthc.vn", "coordinator.hanoi@demo.tthc.vn")
READERS = ("admin@demo.tthc.vn", "agent@demo.tthc.vn")
THROTTLED_ACCOUNT = "trainer6@demo.tthc.vn"  # no load thread signs in as this one
LOGIN_LIMIT = 5  # LOGIN_LIMIT_PER_ACCOUNT's default, "5 per 10 minutes"
SECRET_KEY = "two-hosts-" + secrets.token_hex(16)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def wait_for(check, seconds: float, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            found = f"; its log:\n{tail(log)}" if log else ""
            raise RuntimeError(f"{what} did not come up in {seconds:.0f} s{found}")
        time.sleep(0.1)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.HTTPError):
        return False


def stop_process(process: subprocess.Popen | None, group: bool = True, grace: float = 10) -> None:
    """SIGTERM to the process (and its group), SIGKILL after `grace` seconds."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM) if group else process.terminate()
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL) if group else process.kill()
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


# ---------------------------------------------------------------- services the hosts share

class Postgres:
    """A throwaway PostgreSQL cluster on a free port (only when no URL is given), which can be stopped and started."""

    def __init__(self, folder: Path):
        self.folder = folder
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
        pg_ctl = str(versions[-1]) if versions else shutil.which("pg_ctl")
        if pg_ctl is None:
            raise RuntimeError("no PostgreSQL binaries: apt-get install postgresql, or pass --database-url")
        self.bin = Path(pg_ctl).parent
        self.port = free_port()
        self.data = folder / "data"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def run(self, *command: str) -> None:
        done = subprocess.run([*self.as_user, *command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode:
            raise RuntimeError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def init(self) -> "Postgres":
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o755)
        self.data.mkdir()
        if self.as_user:
            shutil.chown(self.data, "postgres", "postgres")
            shutil.chown(self.folder, "postgres", "postgres")
        self.run(str(self.bin / "initdb"), "--pgdata", str(self.data), "--auth", "trust", "--username", "postgres",
                 "--encoding", "UTF8", "--locale", "C.UTF-8")
        self.start()
        return self

    def start(self) -> None:
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.folder} "
                   "-c fsync=off -c max_connections=200")
        self.run(str(self.bin / "pg_ctl"), "--pgdata", str(self.data), "--wait", "--log",
                 str(self.folder / "server.log"), "--options", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self.run(str(self.bin / "pg_ctl"), "--pgdata", str(self.data), "--mode", mode, "--wait", "stop")

    def close(self) -> None:
        try:
            self.stop("immediate")
        except RuntimeError:
            pass


class Redis:
    def __init__(self, folder: Path):
        self.folder, self.port, self.process = folder, free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "Redis":
        if not shutil.which("redis-server"):
            raise RuntimeError("no redis-server: apt-get install redis-server, or pass --redis-url")
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / "redis.log", "wb") as log:
            self.process = subprocess.Popen(
                ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
                 "--dir", str(self.folder)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

        def up() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    return s.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        wait_for(up, 10, "redis-server", self.folder / "redis.log")
        return self

    def close(self) -> None:
        stop_process(self.process)


def fresh_database(server_url: str) -> str:
    """A new, empty database on the server of `server_url`; its URL."""
    from sqlalchemy import create_engine, text

    from portal.core.config import database_url

    name = f"portal_hosts_{secrets.token_hex(4)}"
    engine = create_engine(database_url(server_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return urllib.parse.urlsplit(server_url)._replace(path="/" + name).geturl()


def drop_database(url: str) -> None:
    from sqlalchemy import create_engine, text

    from portal.core.config import database_url

    name = urllib.parse.urlsplit(url).path.strip("/")
    engine = create_engine(database_url(url).rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


# ---------------------------------------------------------------- the two hosts and the proxy

class Cluster:
    """Hosts A and B (gunicorn, each with its own instance folder) behind nginx, sharing database, Redis, S3."""

    def __init__(self, folder: Path, database_url: str, redis_url: str, s3_env: dict, workers: int = 2,
                 fail_timeout: int = 2):
        self.folder, self.database_url, self.redis_url, self.s3_env = folder, database_url, redis_url, s3_env
        self.workers, self.fail_timeout = workers, fail_timeout
        self.ports = {"A": free_port(), "B": free_port()}
        self.proxy_port = free_port()
        self.hosts: dict[str, subprocess.Popen | None] = {"A": None, "B": None}
        self.nginx: subprocess.Popen | None = None

    def env(self, host: str | None = None) -> dict:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("AWS_", "TEST_", "PORTAL_", "BENCH_", "STORAGE_")) and key not in (
                   "DATABASE_URL", "REDIS_URL", "QUEUE_URL", "RATELIMIT_STORAGE_URI", "MAIL_URL")}
        env.update(self.s3_env)
        env.update(DATABASE_URL=self.database_url, REDIS_URL=self.redis_url, SECRET_KEY=SECRET_KEY,
                   PORTAL_ENV="development", TRUSTED_PROXIES="1", PYTHONPATH=str(ROOT),
                   PORTAL_INSTANCE_PATH=str(self.folder / f"host-{(host or 'cli').lower()}" / "instance"))
        return env

    def flask(self, *args: str) -> None:
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "portal", *args], cwd=ROOT, env=self.env(),
                              capture_output=True, text=True, timeout=300)
        if done.returncode:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")

    def prepare(self) -> None:
        """Empty the Redis database (an earlier run's throttle counts and queued jobs), migrate the fresh database
        and load the units and the demo (accounts, plan, tickets)."""
        import redis

        client = redis.Redis.from_url(self.redis_url)
        client.flushdb()
        client.close()
        self.flask("db", "upgrade")
        self.flask("units", "load")
        self.flask("demo", "load")

    def host_url(self, host: str) -> str:
        return f"http://127.0.0.1:{self.ports[host]}"

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}"

    def log(self, host: str) -> Path:
        return self.folder / f"host-{host.lower()}.log"

    def start_host(self, host: str, wait: bool = True) -> None:
        with open(self.log(host), "ab") as log:
            self.hosts[host] = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--bind",
                 f"127.0.0.1:{self.ports[host]}", "--timeout", "30", "--graceful-timeout", "5",
                 "--no-control-socket", "wsgi:app"],  # gunicorn 27's socket in ~/.gunicorn would be shared
                cwd=ROOT, env=self.env(host), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        if wait:
            self.wait_host(host)

    def wait_host(self, host: str, seconds: float = 30) -> None:
        def up() -> bool:
            if self.hosts[host].poll() is not None:
                raise RuntimeError(f"host {host} exited with {self.hosts[host].returncode}:\n{tail(self.log(host))}")
            return answers(self.host_url(host) + "/healthz")

        wait_for(up, seconds, f"host {host}", self.log(host))

    def kill_host(self, host: str) -> None:
        """What a host dying looks like: SIGKILL to gunicorn and every worker at once, mid-request."""
        process = self.hosts[host]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def nginx_config(self) -> str:
        folder = self.folder / "nginx"
        servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout={self.fail_timeout}s;"
                            for port in self.ports.values())
        return f"""# Written by bench/two_hosts.py. nginx passes a request to the other host on a connection error, a
# timeout or a 502/503; a POST only while it has not been sent (no `non_idempotent`: see the module's docstring).
worker_processes 2;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format upstreams '$remote_addr "$request" $status $request_time upstream=$upstream_addr '
                         'upstream_status=$upstream_status';
    access_log {folder}/access.log upstreams;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    # Bodies and answers stay in memory: the temp folders sit in a private tmp folder nginx's workers may not
    # enter when the master runs as root.
    client_max_body_size 101m;
    client_body_buffer_size 2m;
    proxy_max_temp_file_size 0;

    upstream portal_hosts {{
        zone portal_hosts 64k;  # one view of a failed host for every nginx worker
{servers}
    }}
    server {{
        listen 127.0.0.1:{self.proxy_port};
        location / {{
            proxy_pass http://portal_hosts;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;  # the edge proxy: a client's own header is dropped
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $http_host;
            proxy_set_header X-Forwarded-Port $server_port;
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries 2;
            proxy_next_upstream_timeout 10s;
            proxy_connect_timeout 1s;
            proxy_read_timeout 30s;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""

    def start_nginx(self) -> None:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("no nginx: apt-get install nginx")
        folder = self.folder / "nginx"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "nginx.conf").write_text(self.nginx_config())
        command = [binary, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        if checked.returncode:
            raise RuntimeError(f"nginx refused its config:\n{checked.stderr}")
        with open(folder / "stderr.log", "wb") as stderr:
            self.nginx = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
                                          start_new_session=True)
        wait_for(lambda: answers(self.proxy_url + "/healthz"), 10, "nginx", folder / "error.log")

    def start(self) -> "Cluster":
        for host in self.hosts:
            self.start_host(host, wait=False)
        for host in self.hosts:
            self.wait_host(host)
        self.start_nginx()
        return self

    def close(self) -> None:
        stop_process(self.nginx, grace=5)
        for host in self.hosts:
            stop_process(self.hosts[host], grace=10)

    def logs(self) -> str:
        """The tail of every log, for a failure's report."""
        parts = [f"== {path.name}\n{tail(path, 40)}" for path in (
            self.log("A"), self.log("B"), self.folder / "nginx" / "error.log", self.folder / "nginx" / "access.log")]
        return "\n".join(parts)


# ---------------------------------------------------------------- the load

def png(text: str) -> bytes:
    """A valid 1×1 PNG that carries `text`, so that every ticket's attachment has bytes of its own."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"tEXt", b"Comment\x00" + text.encode()) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = "----portal" + secrets.token_hex(12)
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (file_name, data, content_type) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class Outcome:
    started: float
    ended: float
    method: str
    label: str
    status: int | None
    error: str = ""
    upstream: str = ""
    ok: bool = True
    location: str = ""


@dataclass
class Answer:
    status: int | None
    headers: dict
    body: bytes
    error: str = ""

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class InFlight:
    """How many requests of each kind are under way, so the kill can wait for a ticket POST to be in flight."""

    def __init__(self):
        self.lock, self.counts = threading.Lock(), Counter()

    def add(self, label: str, step: int) -> None:
        with self.lock:
            self.counts[label] += step

    def wait_for(self, label: str, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.counts[label] > 0:
                return True
            time.sleep(0.002)
        return False


class Browser:
    """One person's browser: a cookie jar and requests that never follow redirects, each recorded."""

    in_flight = InFlight()

    def __init__(self, base: str, record: list | None, timeout: float = 20):
        self.base, self.record, self.timeout = base, record, timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, method: str, path: str, label: str, expect=(200,), data: bytes | None = None,
                headers: dict | None = None, base: str | None = None) -> Answer:
        url = (base or self.base) + path
        started = time.monotonic()
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        self.in_flight.add(label, 1)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                answer = Answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            answer = Answer(error.code, dict(error.headers), error.read())
        except (OSError, http.client.HTTPException) as error:
            answer = Answer(None, {}, b"", f"{type(error).__name__}: {error}")
        finally:
            self.in_flight.add(label, -1)
        location = answer.headers.get("Location", "")
        # Sent to the sign-in page means signed out: a session one host made was not honoured by the other.
        ok = answer.status in expect and not (label != "sign in" and "/auth/login" in location)
        if self.record is not None:
            self.record.append(Outcome(started, time.monotonic(), method, label, answer.status, answer.error,
                                       answer.headers.get("X-Upstream", ""), ok, location))
        return answer

    def form_tokens(self, page: str) -> tuple[str, str | None]:
        csrf = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', page)
        submission = re.search(r'name="submission_token"[^>]*?value="([^"]+)"', page)
        return (csrf.group(1) if csrf else ""), (submission.group(1) if submission else None)

    def login(self, email: str, password: str = DEMO_PASSWORD, base: str | None = None, expect=(302,)) -> int | None:
        """Sign in as a fresh browser would (a new cookie); the POST's status (302 when signed in)."""
        self.jar.clear()
        page = self.request("GET", "/auth/login", "login page", base=base)
        if page.status != 200:
            return page.status
        csrf, _ = self.form_tokens(page.text)
        body = urllib.parse.urlencode({"csrf_token": csrf, "email": email, "password": password}).encode()
        return self.request("POST", "/auth/login", "sign in", expect=expect, data=body, base=base,
                            headers={"Content-Type": "application/x-www-form-urlencoded"}).status


@dataclass
class PostedTicket:
    token: str
    reporter: str
    png: bytes
    ticket_id: int | None = None
    attempts: int = 0
    upstreams: list = field(default_factory=list)


class Person(threading.Thread):
    """Signs in, walks the pages of the role, files tickets with a PNG (reporters), downloads the attachment,
    polls feeds; signs in afresh every few rounds. A ticket POST that fails is sent again with the same form."""

    def __init__(self, base: str, email: str, record: list, tickets: list, stop: threading.Event, pause: float):
        super().__init__(daemon=True)
        self.email, self.record, self.tickets, self.stop, self.pause = email, record, tickets, stop, pause
        self.browser = Browser(base, record)
        self.etag = ""
        self.crash: BaseException | None = None

    def sign_in(self) -> bool:
        for _ in range(20):
            if self.stop.is_set():
                return False
            if self.browser.login(self.email) == 302:
                return True
            time.sleep(0.2)
        return False

    def run(self) -> None:
        try:
            rounds = 0
            while not self.stop.is_set():
                if rounds % 4 == 0 and not self.sign_in():
                    return
                self.one_round()
                rounds += 1
        except BaseException as error:  # reported by the harness, never swallowed
            self.crash = error

    def one_round(self) -> None:
        b = self.browser
        b.request("GET", "/", "home", expect=(200, 302))
        b.request("GET", "/training/", "plan")
        b.request("GET", "/support/", "tickets")
        answer = b.request("GET", "/feeds/plan.ics", "feed", expect=(200, 304),
                           headers={"If-None-Match": self.etag} if self.etag else {})
        self.etag = answer.headers.get("ETag", self.etag)
        b.request("GET", "/feeds/provinces/40.ics", "feed", expect=(200, 304))
        if self.email in REPORTERS:
            self.file_ticket()
        time.sleep(self.pause)

    def file_ticket(self) -> None:
        b = self.browser
        page = b.request("GET", "/support/new", "ticket form")
        if page.status != 200:
            return
        csrf, token = b.form_tokens(page.text)
        category = re.search(r'<option value="(\d+)"', page.text)
        posted = PostedTicket(token or "", self.email, png(f"{self.email} {token}"))
        fields = {"csrf_token": csrf, "submission_token": token or "",
                  "category_id": category.group(1) if category else "1",
                  "title": f"Không tải được hồ sơ {token[:8] if token else ''}", "priority": "normal",
                  "description": "Cán bộ một cửa không tải được tệp đính kèm của hồ sơ.", "procedure_ref": ""}
        body, content_type = multipart(fields, {"attachments": ("man-hinh.png", posted.png, "image/png")})
        give_up = time.monotonic() + 60
        while time.monotonic() < give_up:  # the person presses Send again: same form, same submission token
            posted.attempts += 1
            answer = b.request("POST", "/support/new", "file ticket", expect=(302,), data=body,
                               headers={"Content-Type": content_type})
            posted.upstreams.append(answer.headers.get("X-Upstream", ""))
            found = re.search(r"/support/tickets/(\d+)$", answer.headers.get("Location", ""))
            if answer.status == 302 and found:
                posted.ticket_id = int(found.group(1))
                break
            if answer.status is not None and answer.status < 500:
                break  # refused for a reason of its own (reported as a failure), not worth sending again
            time.sleep(0.2)
        self.tickets.append(posted)
        if posted.ticket_id is None:
            return
        ticket = b.request("GET", f"/support/tickets/{posted.ticket_id}", "ticket page")
        link = re.search(r'href="(/support/attachments/\d+)"', ticket.text)
        if link:
            b.request("GET", link.group(1), "attachment")


# ---------------------------------------------------------------- the run and its report

@dataclass
class Timeline:
    start: float = 0.0
    kill: float = 0.0
    back: float = 0.0  # host A answers again
    end: float = 0.0
    pg_stop: float = 0.0
    pg_start: float = 0.0


def run_load(cluster: Cluster, people: int, before: float, down: float, after: float, pause: float = 0.05,
             warmup: float = 2.0, postgres: Postgres | None = None, outage: float = 0.0, after_outage: float = 0.0):
    """The load through nginx; after `warmup` seconds (not counted: first sign-ins, first renders) and `before`
    more, host A is killed, at a moment a ticket POST is in flight when one comes within 2 s, and started again
    `down` seconds later."""
    record: list[Outcome] = []
    tickets: list[PostedTicket] = []
    stop = threading.Event()
    accounts = [(REPORTERS + READERS)[n % len(REPORTERS + READERS)] for n in range(people)]
    crowd = [Person(cluster.proxy_url, email, record, tickets, stop, pause) for email in accounts]
    times = Timeline()
    for person in crowd:
        person.start()
    try:
        time.sleep(warmup)
        times.start = time.monotonic()
        time.sleep(before)
        Browser.in_flight.wait_for("file ticket", 2)
        times.kill = time.monotonic()
        cluster.kill_host("A")
        time.sleep(down)
        cluster.start_host("A", wait=False)
        cluster.wait_host("A")
        times.back = time.monotonic()
        time.sleep(after)
        if postgres is not None and outage:
            times.pg_stop = time.monotonic()
            postgres.stop("fast")
            time.sleep(outage)
            postgres.start()
            times.pg_start = time.monotonic()
            time.sleep(after_outage)
    finally:
        stop.set()
        for person in crowd:
            person.join(timeout=30)
        times.end = time.monotonic()
    crashes = [f"{p.email}: {p.crash!r}" for p in crowd if p.crash]
    if crashes:
        raise RuntimeError("load threads crashed: " + "; ".join(crashes))
    return record, tickets, times


def phase_of(outcome: Outcome, times: Timeline) -> str:
    if outcome.started < times.start:
        return "warm-up"
    if times.pg_stop and outcome.started >= times.pg_stop:
        return "database outage" if outcome.started < times.pg_start else "after the outage"
    if outcome.started < times.kill:
        return "before"
    return "during" if outcome.started < times.back else "after"


def summarize(record: list[Outcome], times: Timeline, cluster: Cluster) -> dict:
    """Requests per second per phase, every failure (by method), and the failures after the proxy noticed."""
    detected = times.kill + cluster.fail_timeout + 1
    phases = {"before": (times.start, times.kill), "during": (times.kill, times.back),
              "after": (times.back, times.pg_stop or times.end)}
    if times.pg_stop:
        phases["database outage"] = (times.pg_stop, times.pg_start)
        phases["after the outage"] = (times.pg_start, times.end)
    port_names = {f"127.0.0.1:{port}": host for host, port in cluster.ports.items()}
    summary = {"phases": {}, "failures": [], "failures_by_method": {}, "failures_after_detection": []}
    for name, (begin, end) in phases.items():
        inside = [o for o in record if phase_of(o, times) == name]
        served = Counter(port_names.get(o.upstream.split(",")[-1].strip(), "?") for o in inside if o.upstream)
        seconds = max(end - begin, 1e-9)
        summary["phases"][name] = {
            "seconds": round(seconds, 2), "requests": len(inside), "failed": sum(not o.ok for o in inside),
            "rps": round(len(inside) / seconds, 1), "ok_rps": round(sum(o.ok for o in inside) / seconds, 1),
            "served_by": dict(sorted(served.items()))}
    by_method = defaultdict(Counter)
    for o in sorted(record, key=lambda o: o.started):
        if o.ok or o.started < times.start:
            continue
        failure = {"at": round(o.started - times.kill, 3), "phase": phase_of(o, times), "method": o.method,
                   "request": o.label, "status": o.status, "error": o.error, "upstream": o.upstream,
                   "location": o.location}
        summary["failures"].append(failure)
        by_method[o.method][f"{o.label} → {o.status or o.error.split(':')[0]}"] += 1
        in_database_outage = times.pg_stop and times.pg_stop <= o.ended  # in flight when it stopped, or after
        if o.started >= detected and not in_database_outage:
            summary["failures_after_detection"].append(failure)
    summary["failures_by_method"] = {method: dict(counts) for method, counts in by_method.items()}
    summary["warm_up_failures"] = sum(1 for o in record if not o.ok and o.started < times.start)
    summary["detected_after_seconds"] = cluster.fail_timeout + 1
    summary["host_a_back_after_seconds"] = round(times.back - times.kill, 2)
    if times.pg_start:
        later = [o for o in record if o.ok and o.started >= times.pg_start]
        first = min((o.ended for o in later), default=None)
        summary["first_success_after_database_back"] = round(first - times.pg_start, 3) if first else None
        saved = min((o.ended for o in later if o.label == "file ticket"), default=None)
        summary["first_ticket_saved_after_database_back"] = round(saved - times.pg_start, 3) if saved else None
    return summary


def check_tickets(cluster: Cluster, tickets: list[PostedTicket]) -> dict:
    """Every ticket a person saw confirmed is stored once (one row per submission token), with its one attachment
    readable through each host directly, not through nginx."""
    from sqlalchemy import create_engine, text

    from portal.core.config import database_url

    engine = create_engine(database_url(cluster.database_url))
    tokens = [t.token for t in tickets if t.token]
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT t.submission_token, t.id, count(a.id) FROM tickets t LEFT JOIN ticket_attachments a "
            "ON a.ticket_id = t.id WHERE t.submission_token = ANY(:tokens) GROUP BY t.submission_token, t.id"),
            {"tokens": tokens}).all()
    engine.dispose()
    stored = defaultdict(list)
    for token, ticket_id, attachments in rows:
        stored[token].append((ticket_id, attachments))
    result = {"posted": len(tickets), "confirmed": sum(t.ticket_id is not None for t in tickets),
              "retried": sum(t.attempts > 1 for t in tickets), "not_stored_once": [], "unconfirmed": [],
              "unreadable": [], "read_through": Counter(), "filed_through": Counter()}
    port_names = {f"127.0.0.1:{port}": host for host, port in cluster.ports.items()} | {"direct": "A then B directly"}
    readers = {}
    for posted in tickets:
        found = stored.get(posted.token, [])
        if posted.ticket_id is None:
            result["unconfirmed"].append(posted.token)
            if len(found) > 1:
                result["not_stored_once"].append({"token": posted.token, "ticket": None, "rows": found})
            continue
        last = posted.upstreams[-1].split(",")[-1].strip() if posted.upstreams else ""
        result["filed_through"][port_names.get(last, "?")] += 1
        if len(found) != 1 or found[0][0] != posted.ticket_id or found[0][1] != 1:
            result["not_stored_once"].append({"token": posted.token, "ticket": posted.ticket_id, "rows": found})
            continue
        if posted.reporter not in readers:
            readers[posted.reporter] = Browser(cluster.proxy_url, None)
            assert readers[posted.reporter].login(posted.reporter) == 302, f"{posted.reporter} cannot sign in"
        reader = readers[posted.reporter]
        for host in cluster.ports:
            page = reader.request("GET", f"/support/tickets/{posted.ticket_id}", "ticket page",
                                  base=cluster.host_url(host))
            link = re.search(r'href="(/support/attachments/\d+)"', page.text)
            got = reader.request("GET", link.group(1), "attachment", base=cluster.host_url(host)) if link else None
            if got is None or got.status != 200 or got.body != posted.png:
                result["unreadable"].append({"ticket": posted.ticket_id, "host": host,
                                             "status": got.status if got else page.status})
            else:
                result["read_through"][host] += 1
    result["read_through"] = dict(result["read_through"])
    result["filed_through"] = dict(result["filed_through"])
    return result


def check_same_token_on_both_hosts(cluster: Cluster) -> dict:
    """One ticket form sent to host A, then the very same form to host B (a retry landing on the other host):
    both answers name one ticket, and the database holds one."""
    browser = Browser(cluster.host_url("A"), None)
    assert browser.login(REPORTERS[0]) == 302
    page = browser.request("GET", "/support/new", "ticket form")
    csrf, token = browser.form_tokens(page.text)
    category = re.search(r'<option value="(\d+)"', page.text).group(1)
    data = png("same token " + token)
    body, content_type = multipart(
        {"csrf_token": csrf, "submission_token": token, "category_id": category, "priority": "high",
         "title": "Gửi lại cùng một phiếu", "description": "Lần gửi thứ hai đến máy chủ kia.",
         "procedure_ref": ""},
        {"attachments": ("lan-hai.png", data, "image/png")})
    locations = [browser.request("POST", "/support/new", "file ticket", expect=(302,), data=body,
                                 base=cluster.host_url(host), headers={"Content-Type": content_type}
                                 ).headers.get("Location", "") for host in ("A", "B")]
    return {"token": token, "locations": [urllib.parse.urlsplit(x).path for x in locations],
            "ticket": PostedTicket(token, REPORTERS[0], data,
                                   int(locations[0].rsplit("/", 1)[-1]) if locations[0] else None, 1, ["direct"])}


def check_throttle_across_hosts(cluster: Cluster) -> dict:
    """Failed sign-ins for one account split over both hosts (directly, not through nginx) are refused at the
    limit, and the refusal holds on both: the count lives in Redis, not in either host."""
    answers_seen = []
    for attempt in range(LOGIN_LIMIT):
        host = "AB"[attempt % 2]
        answers_seen.append((host, Browser(cluster.host_url(host), None).login(
            THROTTLED_ACCOUNT, "sai-mat-khau", expect=(200,))))
    after = {host: Browser(cluster.host_url(host), None).login(THROTTLED_ACCOUNT, expect=(429,)) for host in "AB"}
    return {"failed_sign_ins": answers_seen, "then_right_password": after}


def throttle_holds(throttle: dict) -> bool:
    """Each failed sign-in under the limit answered (not refused), the next refused on both hosts."""
    return (all(status == 200 for _, status in throttle["failed_sign_ins"])
            and all(status == 429 for status in throttle["then_right_password"].values()))


def print_report(summary: dict, tickets: dict, throttle: dict | None, same_token: dict | None) -> None:
    print("phase                 seconds  requests  failed      rps   ok rps  served by")
    for name, p in summary["phases"].items():
        print(f"{name:<20} {p['seconds']:>8} {p['requests']:>9} {p['failed']:>7} {p['rps']:>8} {p['ok_rps']:>8}  "
              f"{p['served_by']}")
    print(f"host A killed at t=0, answering again at t={summary['host_a_back_after_seconds']} s; the proxy has "
          f"noticed by t={summary['detected_after_seconds']} s")
    print(f"failed requests: {len(summary['failures'])}; after the proxy noticed (database outage aside): "
          f"{len(summary['failures_after_detection'])}")
    for method, counts in summary["failures_by_method"].items():
        print(f"  {method}: " + ", ".join(f"{what} ×{n}" for what, n in counts.items()))
    for failure in summary["failures"][:40]:
        print(f"    t={failure['at']:>7} s {failure['phase']:<16} {failure['method']:<4} {failure['request']:<12} "
              f"{failure['status'] or failure['error']} {failure['upstream']} {failure['location']}")
    if "first_success_after_database_back" in summary:
        print(f"database back: first success {summary['first_success_after_database_back']} s later, first ticket "
              f"saved {summary['first_ticket_saved_after_database_back']} s later")
    print(f"tickets: {tickets['posted']} posted, {tickets['confirmed']} confirmed ({tickets['retried']} after a "
          f"retry), filed through {tickets['filed_through']}; not stored once: {len(tickets['not_stored_once'])}; "
          f"attachments read through each host directly: {tickets['read_through']}, unreadable: "
          f"{len(tickets['unreadable'])}")
    for item in tickets["unreadable"][:10]:
        print(f"    ticket {item['ticket']} through host {item['host']}: {item['status']}")
    if same_token:
        print(f"same form to A then B: {same_token['locations']}")
    if throttle:
        print(f"throttle: failed sign-ins {throttle['failed_sign_ins']} then the right password "
              f"{throttle['then_right_password']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url",
                        default=os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL"),
                        help="a PostgreSQL server (a fresh database is made on it); default: start a cluster")
    parser.add_argument("--redis-url", default=os.environ.get("TEST_REDIS_URL"))
    parser.add_argument("--people", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers per host")
    parser.add_argument("--warmup", type=float, default=8, help="seconds of load before the count starts")
    parser.add_argument("--before", type=float, default=10)
    parser.add_argument("--down", type=float, default=15)
    parser.add_argument("--after", type=float, default=10)
    parser.add_argument("--fail-timeout", type=int, default=5)
    parser.add_argument("--outage", type=float, default=5, help="seconds PostgreSQL is stopped (own cluster only)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs) afterwards")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="two-hosts-"))
    folder.chmod(0o755)  # the postgres user must reach its cluster inside
    print(f"work folder: {folder}")
    with ExitStack() as stack:
        if not options.keep:
            stack.callback(shutil.rmtree, folder, ignore_errors=True)
        postgres = None
        server_url = options.database_url
        if not server_url:
            postgres = Postgres(folder / "postgres").init()
            stack.callback(postgres.close)
            server_url = postgres.url
        redis_url = options.redis_url
        if not redis_url:
            redis = Redis(folder / "redis").start()
            stack.callback(redis.close)
            redis_url = redis.url
        s3_env = s3_environment(stack, folder)
        database = fresh_database(server_url)
        stack.callback(drop_database, database)
        cluster = Cluster(folder, database, redis_url, s3_env, workers=options.workers,
                          fail_timeout=options.fail_timeout)
        started = time.monotonic()
        cluster.prepare()
        print(f"database ready in {time.monotonic() - started:.1f} s")
        stack.callback(cluster.close)
        cluster.start()
        try:
            record, posted, times = run_load(cluster, options.people, options.before, options.down, options.after,
                                             warmup=options.warmup, postgres=postgres,
                                             outage=options.outage if postgres else 0,
                                             after_outage=options.after if postgres else 0)
            summary = summarize(record, times, cluster)
            same_token = check_same_token_on_both_hosts(cluster)
            tickets = check_tickets(cluster, [*posted, same_token["ticket"]])
            throttle = check_throttle_across_hosts(cluster)
        except BaseException:
            print(cluster.logs(), file=sys.stderr)
            raise
        print_report(summary, tickets, throttle, same_token)
        results = {"people": options.people, "workers_per_host": options.workers, **summary,
                   "failures": summary["failures"][:200], "tickets": tickets,
                   "same_token": {k: v for k, v in same_token.items() if k != "ticket"},
                   "throttle": throttle}
        (ROOT / "bench" / "results" / "two_hosts.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
        good = (not summary["failures_after_detection"] and not tickets["not_stored_once"]
                and not tickets["unreadable"] and not tickets["unconfirmed"]
                and len(set(same_token["locations"])) == 1 and throttle_holds(throttle))
        print("two hosts:", "all checks hold" if good else "SOME CHECKS FAIL (see above)")
        return 0 if good else 1


def s3_environment(stack: ExitStack, folder: Path) -> dict:
    """The S3 store's settings: the TEST_S3_* server when given, else a `weed mini` started here."""
    from tests.s3_server import WeedServer, empty_bucket, s3_client

    endpoint = os.environ.get("TEST_S3_ENDPOINT")
    if endpoint:
        keys = os.environ["TEST_S3_ACCESS_KEY"], os.environ["TEST_S3_SECRET_KEY"]
    else:
        server = WeedServer(folder / "weed").start()
        stack.callback(server.stop)
        endpoint, keys = server.endpoint, (server.access_key, server.secret_key)
    env = {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": keys[0], "AWS_SECRET_ACCESS_KEY": keys[1],
           "AWS_DEFAULT_REGION": "us-east-1"}
    bucket = f"portal-bench-{secrets.token_hex(4)}"
    s3 = s3_client(env)
    s3.create_bucket(Bucket=bucket)
    stack.callback(empty_bucket, s3, bucket)
    return {"STORAGE_URL": f"s3://{bucket}/portal", **env}


if __name__ == "__main__":
    sys.exit(main())
