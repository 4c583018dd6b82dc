"""Benchmark of the plan view with 1,000 sessions in one week, as a ratio to the bare SQL query in the same run.

The baseline is the single query that fetches the same sessions with their provinces and trainers;
the measured side is what the page needs: plan_week() and rendering the week grid.
"""
from datetime import date, datetime, timedelta

from sqlalchemy import text

from common import bench_app, fill_sessions, median_seconds, save_results
from portal.auth.models import User
from portal.core.extensions import db
from portal.training.services import PlanFilters, plan_week, to_utc

SESSIONS = 1000
MONDAY = date(2026, 1, 19)
BARE_WEEK = text(
    "SELECT s.id, s.title, s.starts_at, s.ends_at, s.status, sp.province_code, st.user_id "
    "FROM training_sessions s "
    "JOIN training_session_provinces sp ON sp.session_id = s.id "
    "JOIN training_session_trainers st ON st.session_id = s.id "
    "WHERE s.starts_at >= :start AND s.starts_at < :end ORDER BY s.starts_at, s.id"
)


def main() -> dict:
    with bench_app() as app:
        fill_sessions(SESSIONS, per_week=SESSIONS, first_monday=MONDAY)
        start = to_utc(datetime.combine(MONDAY, datetime.min.time()))
        bounds = {"start": start, "end": start + timedelta(days=7)}
        viewer = User(email="xem@bench.vn", role="viewer")
        db.session.add(viewer)
        db.session.commit()
        client = app.test_client()
        with client.session_transaction() as session:
            now = int(datetime.now().timestamp())
            session.update({"_user_id": viewer.get_id(), "_fresh": True, "login_at": now, "seen_at": now})

        def page():
            response = client.get(f"/training/?week={MONDAY.isoformat()}")
            assert response.status_code == 200

        figures = {
            "sessions": len(plan_week(MONDAY, PlanFilters())),
            "query_seconds": median_seconds(lambda: plan_week(MONDAY, PlanFilters())),
            "page_seconds": median_seconds(page),
            "baseline_seconds": median_seconds(lambda: db.session.execute(BARE_WEEK, bounds).all()),
        }
    figures["query_ratio"] = figures["query_seconds"] / figures["baseline_seconds"]
    figures["page_ratio"] = figures["page_seconds"] / figures["baseline_seconds"]
    return figures


if __name__ == "__main__":
    results = main()
    print(f"plan week with {results['sessions']} sessions:")
    print(f"  plan_week()  : {results['query_seconds'] * 1000:8.1f} ms = {results['query_ratio']:.1f} x bare SQL "
          f"({results['baseline_seconds'] * 1000:.1f} ms)")
    print(f"  whole page   : {results['page_seconds'] * 1000:8.1f} ms = {results['page_ratio']:.1f} x bare SQL")
    save_results("training", results)
