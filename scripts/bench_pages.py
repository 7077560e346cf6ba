"""Server-side rerun time of each wizard page with the sample project open (AppTest, no browser).

    .venv/bin/python scripts/bench_pages.py [--runs 15] [--format json]

Each page is opened once (not counted), then rerun `--runs` times; the median is what a user waits
on the server after an interaction. Lives outside policy_engine/, which has no Streamlit in it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "pages/home.py",
    "pages/1_identity_audit.py",
    "pages/2_clustering.py",
    "pages/3_measure_design.py",
    "pages/4_pilots.py",
    "pages/5_promotion.py",
    "pages/6_monitoring.py",
    "pages/roadmap.py",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--format", choices=["table", "json"], default="table")
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    sys.path.insert(0, str(ROOT))
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.button(key="open_sample").click().run()
    results = []
    for page in PAGES:
        at.switch_page(page).run()
        if at.exception:
            raise SystemExit(f"{page} raised: {at.exception[0].value}")
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
        results.append(
            {
                "page": page,
                "runs": args.runs,
                "median_s": round(statistics.median(times), 4),
                "max_s": round(max(times), 4),
            }
        )
    if args.format == "json":
        print(json.dumps(results, indent=2))
    else:
        for r in results:
            print(f"{r['page']:32} median {r['median_s'] * 1000:6.0f} ms   max {r['max_s'] * 1000:6.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
