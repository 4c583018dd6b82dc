"""Benchmark of the plan view with 1,000 sessions in one week, as a ratio to the bare SQL query in the same run.

The baseline is the single query that fetches the same sessions with their provinces and trainers;
the measured side is what the page needs: plan_week() and rendering the week grid.
"""
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select, text

from common import bench_app, median_seconds, save_results
from portal.auth.models import User
from portal.extensions import db
from portal.training.models import TrainingSession, session_provinces, session_trainers
from portal.training.services import PlanFilters, plan_week, to_utc
from portal.units.models import Province

SESSIONS = 1000
MONDAY = date(2026, 1, 19)
BARE_WEEK = text(
    "SELECT s.id, s.title, s.starts_at, s.ends_at, s.status, sp.province_code, st.user_id "
    "FROM training_sessions s "
    "JOIN training_session_provinces sp ON sp.session_id = s.id "
    "JOIN training_session_trainers st ON st.session_id = s.id "
    "WHERE s.starts_at >= :start AND s.starts_at < :end ORDER BY s.starts_at, s.id"
)


def fill_week() -> None:
    """1,000 sessions over the five working days, each for one province and one of 20 trainers."""
    trainers = [User(email=f"gv{n}@bench.vn", role="trainer", full_name=f"Giảng viên {n}") for n in range(20)]
    db.session.add_all(trainers)
    db.session.flush()
    codes = db.session.execute(select(Province.code).order_by(Province.code)).scalars().all()
    rows = []
    for number in range(SESSIONS):
        start = datetime.combine(MONDAY + timedelta(days=number % 5), datetime.min.time()) + timedelta(
            hours=7 + (number // 5) % 10)
        rows.append({"id": number + 1, "title": f"Phiên {number + 1}", "description": "", "audience": "commune",
                     "mode": "online", "venue": "", "meeting_url": "https://hop.vn/x", "starts_at": to_utc(start),
                     "ends_at": to_utc(start + timedelta(minutes=50)), "capacity": 50, "enrolled": 0,
                     "status": "scheduled", "cancel_reason": "", "revision": 0, "override_reason": "",
                     "created_at": to_utc(start), "updated_at": to_utc(start)})
    db.session.execute(insert(TrainingSession), rows)
    db.session.execute(insert(session_provinces), [{"session_id": r["id"], "province_code": codes[r["id"] % 34]}
                                                   for r in rows])
    db.session.execute(insert(session_trainers), [{"session_id": r["id"], "user_id": trainers[r["id"] % 20].id}
                                                  for r in rows])
    db.session.commit()


def main() -> dict:
    with bench_app() as app:
        fill_week()
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
