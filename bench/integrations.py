"""Benchmark of the national integrations matrix: 34 provinces x 8 kinds with two years of dated history.

The figure is a ratio to the bare SQL the matrix needs (provinces, kinds, every province's rows), measured in the
same run on the same data; the target is within 3x, in a constant number of queries (a test asserts the count).
The page as served (template included) is timed too, for scale.
"""
import random
import time
from datetime import timedelta

from sqlalchemy import event, insert, select, text

from common import bench_app, median_seconds, save_results
from portal.auth.models import User
from portal.core.extensions import db
from portal.core.models_base import utcnow
from portal.integrations.models import INTEGRATION_STATUSES, Integration, IntegrationChange
from portal.integrations.services import kinds, matrix
from portal.units.models import Province

DAYS = 730
BARE_QUERIES = [
    "SELECT * FROM integration_kinds ORDER BY position, id",
    "SELECT * FROM provinces ORDER BY code",
    "SELECT * FROM integrations",
]


def fill_history() -> int:
    """Every province x kind with a status change every one to three weeks over two years; returns the changes."""
    rng = random.Random(14)
    now = utcnow()
    codes = db.session.execute(select(Province.code)).scalars().all()
    cells, changes = [], []
    for code in codes:
        for kind in kinds():
            cells.append({"province_code": code, "kind_id": kind.id, "status": "testing", "blocked_reason": "",
                          "provided": "Thông tin đã gửi bộ chủ quản", "software": "", "vendor": "",
                          "contact_name": "Đầu mối kỹ thuật", "contact_phone": "+84912345678",
                          "contact_email": "kt@tinh.gov.vn", "status_changed_at": now, "created_at": now,
                          "updated_at": now})
    db.session.execute(insert(Integration), cells)
    ids = db.session.execute(select(Integration.id)).scalars().all()
    for integration_id in ids:
        day, status = DAYS, "not_started"
        while day > 0:
            following = rng.choice(INTEGRATION_STATUSES[1:-1])
            changes.append({"integration_id": integration_id, "old_status": status, "new_status": following,
                            "reason": "", "at": now - timedelta(days=day)})
            status, day = following, day - rng.randrange(7, 22)
    db.session.execute(insert(IntegrationChange), changes)
    db.session.commit()
    return len(changes)


def main() -> dict:
    with bench_app() as app:
        history = fill_history()
        provinces = select(Province)
        statements = []

        def count(*args):
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", count)
        matrix(provinces)
        event.remove(db.engine, "before_cursor_execute", count)

        def bare():
            for query in BARE_QUERIES:
                db.session.execute(text(query)).all()

        def fresh_matrix():
            db.session.expire_all()  # read from the database each time, as a new request does
            matrix(provinces)

        admin = User(email="admin@bench.vn", role="admin")
        db.session.add(admin)
        db.session.commit()
        client = app.test_client()
        signed_in = int(time.time())
        with client.session_transaction() as session:
            session.update({"_user_id": admin.get_id(), "_fresh": True, "login_at": signed_in, "seen_at": signed_in})

        def page():
            assert client.get("/integrations/").status_code == 200

        figures = {
            "history_rows": history,
            "matrix_seconds": median_seconds(fresh_matrix),
            "baseline_seconds": median_seconds(bare),
            "page_seconds": median_seconds(page),
            "matrix_queries": len(statements),
        }
    figures["ratio"] = figures["matrix_seconds"] / figures["baseline_seconds"]
    return figures


if __name__ == "__main__":
    results = main()
    print(f"integrations matrix (34 provinces x 8 kinds, {results['history_rows']:,} history rows over 2 years):")
    print(f"  matrix : {results['matrix_seconds'] * 1000:8.2f} ms in {results['matrix_queries']} queries "
          f"= {results['ratio']:.2f} x the bare SQL ({results['baseline_seconds'] * 1000:.2f} ms); target <= 3")
    print(f"  page   : {results['page_seconds'] * 1000:8.2f} ms as served, template included")
    save_results("integrations", results)
