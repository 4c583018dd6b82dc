"""Benchmark of /feeds/plan.ics with 2,000 sessions: requests per second as 200 and as 304.

Each figure is a ratio to a trivial Flask route served the same way (the same app, the same
in-process WSGI client, the same number of requests), so it compares across machines.
"""
import time
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select

from common import bench_app, save_results
from portal.auth.models import User
from portal.extensions import db
from portal.feeds import services as feed_services
from portal.training.models import TrainingSession, session_provinces, session_trainers
from portal.training.services import to_utc
from portal.units.models import Province

SESSIONS = 2000
REQUESTS = 300


def fill_plan() -> None:
    """2,000 sessions over 20 working weeks from 19/01/2026, one province and one of 20 trainers each."""
    trainers = [User(email=f"gv{n}@bench.vn", role="trainer", full_name=f"Giảng viên {n}") for n in range(20)]
    db.session.add_all(trainers)
    db.session.flush()
    codes = db.session.execute(select(Province.code).order_by(Province.code)).scalars().all()
    rows = []
    for number in range(SESSIONS):
        day = date(2026, 1, 19) + timedelta(weeks=number // 100, days=number % 5)
        start = datetime.combine(day, datetime.min.time()) + timedelta(hours=7 + number % 10)
        rows.append({"id": number + 1, "title": f"Tập huấn quản trị hệ thống cấp xã - phiên {number + 1}",
                     "description": "Hướng dẫn tiếp nhận và xử lý hồ sơ.", "audience": ("commune", "department")[number % 2],
                     "mode": "online", "venue": "", "meeting_url": "https://hop.tthc.gov.vn/phong",
                     "starts_at": to_utc(start), "ends_at": to_utc(start + timedelta(minutes=50)), "capacity": 50,
                     "enrolled": 0, "status": "scheduled", "cancel_reason": "", "revision": 0, "override_reason": "",
                     "created_at": to_utc(start), "updated_at": to_utc(start)})
    db.session.execute(insert(TrainingSession), rows)
    db.session.execute(insert(session_provinces), [{"session_id": r["id"], "province_code": codes[r["id"] % 34]}
                                                   for r in rows])
    db.session.execute(insert(session_trainers), [{"session_id": r["id"], "user_id": trainers[r["id"] % 20].id}
                                                  for r in rows])
    db.session.commit()


def requests_per_second(client, path: str, headers: dict | None = None, status: int = 200) -> float:
    start = time.perf_counter()
    for _ in range(REQUESTS):
        response = client.get(path, headers=headers or {})
        assert response.status_code == status, response.status_code
    return REQUESTS / (time.perf_counter() - start)


def main() -> dict:
    with bench_app() as app:
        app.add_url_rule("/bench/trivial", "bench_trivial", lambda: "ok")
        fill_plan()
        client = app.test_client()
        first = client.get("/feeds/plan.ics")
        started = time.perf_counter()
        feed_services.cache.entries.clear()
        client.get("/feeds/plan.ics")
        generation = time.perf_counter() - started
        figures = {
            "sessions": SESSIONS,
            "feed_bytes": len(first.data),
            "generation_seconds": generation,
            "trivial_rps": requests_per_second(client, "/bench/trivial"),
            "feed_200_rps": requests_per_second(client, "/feeds/plan.ics"),
            "feed_304_rps": requests_per_second(client, "/feeds/plan.ics", {"If-None-Match": first.headers["ETag"]}, 304),
        }
    figures["feed_200_ratio"] = figures["feed_200_rps"] / figures["trivial_rps"]
    figures["feed_304_ratio"] = figures["feed_304_rps"] / figures["trivial_rps"]
    return figures


if __name__ == "__main__":
    results = main()
    print(f"/feeds/plan.ics with {results['sessions']} sessions ({results['feed_bytes'] // 1024} KiB, "
          f"generated once in {results['generation_seconds'] * 1000:.0f} ms):")
    print(f"  trivial route : {results['trivial_rps']:8.0f} req/s")
    print(f"  feed, 200     : {results['feed_200_rps']:8.0f} req/s = {results['feed_200_ratio']:.2f} x trivial")
    print(f"  feed, 304     : {results['feed_304_rps']:8.0f} req/s = {results['feed_304_ratio']:.2f} x trivial")
    save_results("feeds", results)
