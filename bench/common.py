"""What every benchmark shares: a throwaway migrated SQLite database with the official units, and timing."""
import statistics
from datetime import date, datetime, timedelta
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from portal import create_app  # noqa: E402
from portal.core.config import DEFAULTS  # noqa: E402
from portal.core.extensions import db  # noqa: E402
from portal.units.services import load_official_units  # noqa: E402

REPEAT = 9


def bench_config(database_uri: str) -> dict:
    """The benchmarks' app settings: a throwaway database, mail kept in memory, the clock on 12/01/2026."""
    return {**DEFAULTS, "SECRET_KEY": "bench", "MAIL_BACKEND": "locmem", "SQLALCHEMY_DATABASE_URI": database_uri,
            "CLOCK_NOW": "2026-01-12T01:00:00+00:00"}


@contextmanager
def bench_app(**config):
    """An app context on a fresh database with the 34 provinces and 3,321 communes loaded; the clock stands on
    12/01/2026, a week before the January plan the benchmarks schedule, as in the tests."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({**bench_config(f"sqlite:///{folder}/bench.sqlite3"), "TESTING": True, **config})
        with app.app_context():
            upgrade()
            load_official_units()
            yield app
            db.session.remove()
            db.engine.dispose()


def median_seconds(action) -> float:
    """The median of REPEAT timed runs, after one warm-up run."""
    action()
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def save_results(name: str, results: dict) -> None:
    import json

    (ROOT / "bench" / "results" / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n")


def fill_sessions(count: int, per_week: int, first_monday: date = date(2026, 1, 19)) -> None:
    """`count` sessions, `per_week` of them in each week from `first_monday`, on working days between 7:00
    and 17:00, each for one province and one of 20 trainers: inserted in bulk."""
    from sqlalchemy import insert, select

    from portal.auth.models import User
    from portal.training.models import TrainingSession, session_provinces, session_trainers
    from portal.training.services import to_utc
    from portal.units.models import Province

    trainers = [User(email=f"gv{n}@bench.vn", role="trainer", full_name=f"Giảng viên {n}") for n in range(20)]
    db.session.add_all(trainers)
    db.session.flush()
    codes = db.session.execute(select(Province.code).order_by(Province.code)).scalars().all()
    rows = []
    for number in range(count):
        day = first_monday + timedelta(weeks=number // per_week, days=number % 5)
        start = datetime.combine(day, datetime.min.time()) + timedelta(hours=7 + (number // 5) % 10)
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


def interleaved_medians(actions: dict) -> dict:
    """The median seconds of each action, timed in turns (one warm-up each, then REPEAT rounds of all), so that a
    ratio between them is not skewed by the machine's load changing from one action's runs to the next's."""
    samples = {name: [] for name in actions}
    for action in actions.values():
        action()
    for _ in range(REPEAT):
        for name, action in actions.items():
            start = time.perf_counter()
            action()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(found) for name, found in samples.items()}
