"""The portal as gunicorn serves it for bench/public.py, plus one trivial route as the baseline.

The database is the one bench/public.py built (BENCH_DATABASE_URI); the clock stands on 12/01/2026 like the
other benchmarks'. Nothing else differs from the app a visitor reaches.
"""
import os

from common import bench_config
from portal import create_app

app = create_app(bench_config(os.environ["BENCH_DATABASE_URI"]))
app.add_url_rule("/bench/trivial", "bench_trivial", lambda: "ok")
