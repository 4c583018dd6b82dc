"""Benchmark of the national dashboard with all 3,321 communes filled, 2,000 sessions and 20,000 tickets.

The figure is a ratio to the bare aggregate SQL the dashboard needs, measured in the same run on the
same data; the dashboard's query count is printed too (it stays constant as data grows, and a test says so).
"""
import random
from datetime import timedelta

from sqlalchemy import event, insert, select, text

from common import bench_app, fill_sessions, median_seconds, save_results
from portal.auth.models import User
from portal.demo.services import fill_contacts
from portal.core.extensions import db
from portal.core.models_base import utcnow
from portal.reports.readiness import national_readiness
from portal.support.models import Ticket
from portal.units.models import Commune, Province

TICKETS = 20000
BARE_QUERIES = [
    "SELECT c.province_code, count(c.code), count(ct.id) FROM communes c "
    "LEFT JOIN contacts ct ON ct.commune_code = c.code GROUP BY c.province_code",
    "SELECT d.province_code, count(ct.id) FROM departments d LEFT JOIN contacts ct ON ct.department_id = d.id "
    "GROUP BY d.province_code",
    "SELECT ct.province_code, count(DISTINCT ct.id) FROM contacts ct JOIN enrolments e ON e.contact_id = ct.id "
    "WHERE e.attendance = 'present' GROUP BY ct.province_code",
    "SELECT province_code, count(id) FROM tickets WHERE status IN ('new','assigned','in_progress','waiting') "
    "GROUP BY province_code",
]


def fill_tickets() -> None:
    rng = random.Random(7)
    reporter = User(email="bao.cao@bench.vn", role="coordinator", province_code=40)
    db.session.add(reporter)
    db.session.flush()
    communes = db.session.execute(select(Commune.code, Commune.province_code)).all()
    now = utcnow()
    rows = []
    for number in range(TICKETS):
        code, province = communes[number % len(communes)]
        created = now - timedelta(hours=rng.randrange(24 * 60))
        rows.append({"category_id": 1 + number % 6, "title": f"Sự cố {number}", "description": "Mô tả",
                     "procedure_ref": "", "priority": "normal", "status": rng.choice(["new", "assigned", "resolved"]),
                     "province_code": province, "commune_code": code, "reporter_id": reporter.id,
                     "search_text": "su co", "first_response_due": created + timedelta(hours=9),
                     "resolution_due": created + timedelta(days=5), "rating_comment": "",
                     "created_at": created, "updated_at": created})
    db.session.execute(insert(Ticket), rows)
    db.session.commit()


def main() -> dict:
    with bench_app():
        fill_contacts(share=lambda province: 1.0)
        db.session.commit()
        fill_sessions(2000, per_week=100)
        fill_tickets()
        provinces = select(Province)
        statements = []

        def count(*args):
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", count)
        national_readiness(provinces)
        event.remove(db.engine, "before_cursor_execute", count)

        def bare():
            for query in BARE_QUERIES:
                db.session.execute(text(query)).all()

        figures = {
            "dashboard_seconds": median_seconds(lambda: national_readiness(provinces)),
            "baseline_seconds": median_seconds(bare),
            "dashboard_queries": len(statements),
        }
    figures["ratio"] = figures["dashboard_seconds"] / figures["baseline_seconds"]
    return figures


if __name__ == "__main__":
    results = main()
    print("national dashboard (3,321 communes filled, 2,000 sessions, 20,000 tickets):")
    print(f"  dashboard : {results['dashboard_seconds'] * 1000:8.1f} ms in {results['dashboard_queries']} queries "
          f"= {results['ratio']:.2f} x the bare aggregate SQL ({results['baseline_seconds'] * 1000:.1f} ms)")
    save_results("dashboard", results)
