"""Benchmark of the plan view with 1,000 sessions in one week, as ratios to baselines measured in the same run.

(a) bare SQL: one query fetching the same sessions with the names of their provinces and trainers;
(b) plan_week(); (c) the whole page through the test client; (d) the bare SQL plus rendering its rows
through a minimal template of the same card markup (written here, not in portal/). Goals: b/a <= 3, c/d <= 3.
"""
from datetime import date, datetime, timedelta

from jinja2 import Environment
from sqlalchemy import text

from common import bench_app, fill_sessions, interleaved_medians, save_results
from portal.auth.models import User
from portal.core.extensions import db
from portal.training.services import PlanFilters, plan_week, to_utc

SESSIONS = 1000
MONDAY = date(2026, 1, 19)
BARE_WEEK = text(
    "SELECT s.id, s.title, s.starts_at, s.ends_at, s.status, s.audience, s.mode, s.cancel_reason, p.name, u.full_name "
    "FROM training_sessions s "
    "JOIN training_session_provinces sp ON sp.session_id = s.id JOIN provinces p ON p.code = sp.province_code "
    "JOIN training_session_trainers st ON st.session_id = s.id JOIN users u ON u.id = st.user_id "
    "WHERE s.starts_at >= :start AND s.starts_at < :end ORDER BY s.starts_at, s.id"
)

GOAL = 3.0
# The week's card markup with the rows as the bare SQL gives them: only the escaping a page needs.
MINIMAL = Environment(autoescape=True).from_string(
    "{% for r in rows %}<article class=\"session\">\n<p class=\"when\">{{ r[2][11:16] }}–{{ r[3][11:16] }}\n"
    "<span class=\"tag\">{{ r[4] }}</span></p>\n<h3><a href=\"/training/sessions/{{ r[0] }}\">{{ r[1] }}</a></h3>\n"
    "<p>{{ r[8] }}</p>\n<p class=\"muted\">{{ r[5] }} · {{ r[6] }}</p>\n<p class=\"muted\">Giảng viên: {{ r[9] }}</p>\n"
    "</article>\n{% endfor %}")


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

        def minimal_page():
            MINIMAL.render(rows=db.session.execute(BARE_WEEK, bounds).all())

        figures = {"sessions": len(plan_week(MONDAY, PlanFilters())), **interleaved_medians({
            "baseline_seconds": lambda: db.session.execute(BARE_WEEK, bounds).all(),
            "query_seconds": lambda: plan_week(MONDAY, PlanFilters()),
            "page_seconds": page,
            "minimal_page_seconds": minimal_page,
        })}
    figures["query_ratio"] = figures["query_seconds"] / figures["baseline_seconds"]
    figures["page_ratio"] = figures["page_seconds"] / figures["minimal_page_seconds"]
    figures["goal"] = GOAL
    return figures


def verdict(ratio: float, goal: float) -> str:
    return f"goal <= {goal:g}: {'PASS' if ratio <= goal else 'MISS'}"


if __name__ == "__main__":
    results = main()
    print(f"plan week with {results['sessions']} sessions:")
    print(f"  plan_week()  : {results['query_seconds'] * 1000:8.1f} ms = {results['query_ratio']:.1f} x bare SQL "
          f"({results['baseline_seconds'] * 1000:.1f} ms), {verdict(results['query_ratio'], GOAL)}")
    print(f"  whole page   : {results['page_seconds'] * 1000:8.1f} ms = {results['page_ratio']:.1f} x bare SQL + minimal "
          f"template ({results['minimal_page_seconds'] * 1000:.1f} ms), {verdict(results['page_ratio'], GOAL)}")
    save_results("training", results)
