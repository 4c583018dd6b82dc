"""Benchmark of the public pages through gunicorn (4 sync workers) with a load client on 127.0.0.1.

Each page's requests per second is a ratio to a trivial route served by the same gunicorn in the same run
(bench/public_wsgi.py adds it), so it compares across machines. The load client is pure Python: two processes,
each keeping CONNECTIONS requests in flight with asyncio; gunicorn's sync workers close every connection, so
each request is a fresh TCP connection, for the trivial route as for the pages.
"""
import asyncio
import multiprocessing
import os
import socket
import statistics
import subprocess
import time
import urllib.request

from sqlalchemy import select

from common import ROOT, bench_app, fill_sessions, save_results
from portal.core.extensions import db
from portal.demo.services import load_demo_accounts
from portal.demo.support import load_demo_support
from portal.support.directory import save_channel
from portal.support.models import FaqEntry, TicketCategory
from portal.training.models import TrainingSession
from portal.units.models import Province

SESSIONS = 600
WORKERS = 4
CLIENT_PROCESSES = 2
CONNECTIONS = 8  # in flight per client process
# The machine may be busy with other work: each page is measured right after the trivial route, in ROUNDS
# rounds, and the median of those paired ratios is reported.
SECONDS = 1.5
ROUNDS = 3
WARM_UP_SECONDS = 1.0
PAGE_GOAL, FEED_304_GOAL = 0.25, 0.70
# (name, path, request headers, expected status, goal as a share of the trivial route). {session} and {etag} are
# filled in once the server answers. The lead swaps the session line for /training/public/sessions/{session}.
PAGES = (
    ("public plan", "/training/public", {}, 200, PAGE_GOAL),
    ("session page", "/training/public/sessions/{session}", {}, 200, PAGE_GOAL),
    ("session .ics", "/feeds/sessions/{session}.ics", {}, 200, PAGE_GOAL),
    ("visitors' home", "/", {}, 200, PAGE_GOAL),
    ("directory", "/support/directory", {}, 200, PAGE_GOAL),
    ("Q&A", "/support/help", {}, 200, PAGE_GOAL),
    ("feed 304", "/feeds/plan.ics", {"If-None-Match": "{etag}"}, 304, FEED_304_GOAL),
)


def fill_public_data() -> int:
    """The plan, agents for every province, a hotline, room and Zalo group for each, and a few FAQ entries;
    returns the id of a session for the session page."""
    fill_sessions(SESSIONS, per_week=60)
    load_demo_support([user for user in load_demo_accounts()])
    for province in db.session.execute(select(Province).order_by(Province.code)).scalars().all():
        save_channel(province.code, f"0238 3 8{province.code:02d} 556", f"https://hop.tthc.gov.vn/{province.codename}",
                     f"https://zalo.me/g/tthc{province.code}")
    category = db.session.execute(select(TicketCategory).order_by(TicketCategory.id)).scalars().first()
    db.session.add_all([FaqEntry(category_id=category.id, question=f"Câu hỏi thường gặp số {n}?",
                                 answer="Trả lời: vào mục Quản trị, chọn Phân quyền rồi lưu lại. " * 5)
                        for n in range(20)])
    db.session.commit()
    return db.session.scalar(select(TrainingSession.id).order_by(TrainingSession.id))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(base: str, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped")
        try:
            urllib.request.urlopen(base + "/bench/trivial", timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer")


async def one_request(port: int, raw: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(raw)
    data = await reader.read()  # to the end: the sync worker closes the connection
    writer.close()
    return data[:12]


async def keep_busy(port: int, raw: bytes, status: bytes, until: float) -> int:
    done = 0
    while time.perf_counter() < until:
        if (await one_request(port, raw))[9:12] != status:
            raise RuntimeError(f"unexpected answer for {raw[:60]!r}")
        done += 1
    return done


def client_process(port: int, raw: bytes, status: bytes, until: float, counts) -> None:
    async def run() -> int:
        return sum(await asyncio.gather(*(keep_busy(port, raw, status, until) for _ in range(CONNECTIONS))))
    counts.put(asyncio.run(run()))


def requests_per_second(port: int, path: str, headers: dict, status: int, seconds: float = SECONDS) -> float:
    """Completed requests per second over `seconds` from CLIENT_PROCESSES processes."""
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close",
             *[f"{name}: {value}" for name, value in headers.items()]]
    raw = ("\r\n".join(lines) + "\r\n\r\n").encode()
    expected = str(status).encode()
    counts = multiprocessing.Queue()
    started = time.perf_counter()
    until = started + seconds
    clients = [multiprocessing.Process(target=client_process, args=(port, raw, expected, until, counts))
               for _ in range(CLIENT_PROCESSES)]
    for process in clients:
        process.start()
    total = sum(counts.get() for _ in clients)
    for process in clients:
        process.join()
    return total / (time.perf_counter() - started)


def main() -> dict:
    with bench_app() as app:
        session_id = fill_public_data()
        database_uri = app.config["SQLALCHEMY_DATABASE_URI"]
        db.session.remove()
        db.engine.dispose()
        log = open(os.path.join(os.path.dirname(database_uri.removeprefix("sqlite:///")), "requests.log"), "wb")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
             "--chdir", str(ROOT / "bench"), "--log-level", "warning", "public_wsgi:app"],
            env={**os.environ, "BENCH_DATABASE_URI": database_uri, "PYTHONPATH": str(ROOT)},
            stderr=log)  # the request log: a line per request, for the trivial route as for the pages
        try:
            wait_until_up(base, server)
            etag = urllib.request.urlopen(base + "/feeds/plan.ics").headers["ETag"]
            routes = [(name, path.format(session=session_id),
                       {key: value.format(etag=etag) for key, value in headers.items()}, status)
                      for name, path, headers, status, _goal in PAGES]
            for _name, path, headers, status in routes:  # every worker builds its copies before the clock runs
                requests_per_second(port, path, headers, status, WARM_UP_SECONDS)
            ratios: dict = {name: [] for name, *_ in routes}
            trivials, rates = [], {name: [] for name in ratios}
            for _ in range(ROUNDS):
                for name, path, headers, status in routes:
                    trivial = requests_per_second(port, "/bench/trivial", {}, 200)
                    rate = requests_per_second(port, path, headers, status)
                    trivials.append(trivial)
                    rates[name].append(rate)
                    ratios[name].append(rate / trivial)
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
    figures = {"sessions": SESSIONS, "workers": WORKERS, "cpus": os.cpu_count(), "rounds": ROUNDS,
               "trivial_rps": statistics.median(trivials), "pages": {}}
    for name, path, _headers, _status, goal in PAGES:
        figures["pages"][name] = {"path": path, "rps": statistics.median(rates[name]),
                                  "ratio": statistics.median(ratios[name]), "goal": goal}
    return figures


if __name__ == "__main__":
    results = main()
    print(f"Public pages through gunicorn ({results['workers']} sync workers, {results['cpus']} CPUs), "
          f"{results['sessions']} sessions:")
    print(f"  trivial route      : {results['trivial_rps']:7.0f} req/s")
    for name, page in results["pages"].items():
        met = page["ratio"] >= page["goal"]
        print(f"  {name:<19}: {page['rps']:7.0f} req/s = {page['ratio'] * 100:5.1f} % of trivial "
              f"(goal >= {page['goal'] * 100:.0f} %: {'met' if met else 'NOT MET'})")
    save_results("public", results)
