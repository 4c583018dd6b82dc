"""Benchmark of /feeds/plan.ics with 2,000 sessions: requests per second as 200 and as 304.

Each figure is a ratio to a trivial Flask route served the same way (the same app, the same
in-process WSGI client, the same number of requests), so it compares across machines.
"""
import time


from common import bench_app, fill_sessions, save_results
from portal.core import page_cache

SESSIONS = 2000
REQUESTS = 300


def requests_per_second(client, path: str, headers: dict | None = None, status: int = 200) -> float:
    start = time.perf_counter()
    for _ in range(REQUESTS):
        response = client.get(path, headers=headers or {})
        assert response.status_code == status, response.status_code
    return REQUESTS / (time.perf_counter() - start)


def main() -> dict:
    with bench_app() as app:
        app.add_url_rule("/bench/trivial", "bench_trivial", lambda: "ok")
        fill_sessions(SESSIONS, per_week=100)
        client = app.test_client()
        first = client.get("/feeds/plan.ics")
        started = time.perf_counter()
        page_cache.store.clear()
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
