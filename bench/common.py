"""What every benchmark shares: a throwaway migrated SQLite database with the official units, and timing."""
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from portal import create_app  # noqa: E402
from portal.config import DEFAULTS  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.units.services import load_official_units  # noqa: E402

REPEAT = 9


@contextmanager
def bench_app():
    """An app context on a fresh database with the 34 provinces and 3,321 communes loaded."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({**DEFAULTS, "TESTING": True, "SECRET_KEY": "bench", "MAIL_BACKEND": "locmem",
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3"})
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
