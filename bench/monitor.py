"""Benchmark of the monitor: a snapshot of N participants and the region dashboard.

    .venv/bin/python bench/monitor.py [--n 100000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/monitor.py

Builds N participants in one region (plans, three measurements, three contacts and three
months of ledger bookings each; shortfalls for about 5 %, signals for about 10 %) in a test
database created for the purpose and dropped afterwards, then times, with query counts:

- the baselines: ``SELECT count(*)`` of the region's participants, and iterating the
  participants table (id and phase of every row);
- building the snapshot (``monitor.services.build_snapshot``);
- rendering the region dashboard through the Django test client (after one warm-up request).

Targets (issue 6): dashboard < 500 ms, snapshot < 60 s on PostgreSQL. See bench/README.md.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

TARGET_DASHBOARD_S = 0.5
TARGET_SNAPSHOT_S = 60


def report(figures: dict) -> bool:
    print(f"Monitor benchmark: {figures['n']:,} participants on {figures['vendor']}")
    print(f"(building the data: {figures['build_s']:.1f} s, not timed below)")
    print()
    scan = figures["scan"][0]
    header = f"{'step':<44}{'seconds':>10}{'queries':>9}{'x scan':>9}"
    print(header)
    print("-" * len(header))
    labels = {
        "count": "baseline: SELECT count(*) of the region",
        "scan": "baseline: iterate participants (id, phase)",
        "snapshot": "snapshot (build_snapshot)",
        "dashboard": "region dashboard (GET, test client)",
    }
    for key, label in labels.items():
        seconds, queries, _result = figures[key]
        print(f"{label:<44}{seconds:>10.3f}{queries:>9}{seconds / scan:>9.1f}")
    print()
    rows = figures["snapshot"][2]
    status = figures["dashboard"][2]
    print(f"snapshot rows: {rows:,}; dashboard HTTP status: {status}")
    checks = [
        (
            f"dashboard s = {figures['dashboard'][0]:7.3f}",
            figures["dashboard"][0] < TARGET_DASHBOARD_S,
            "< 0.5",
        ),
        (
            f"snapshot s  = {figures['snapshot'][0]:7.1f}",
            figures["snapshot"][0] < TARGET_SNAPSHOT_S,
            "< 60",
        ),
    ]
    for text, ok, target in checks:
        print(f"{text}   target {target:<6} {'ok' if ok else 'MISSED'}")
    return all(ok for _t, ok, _target in checks) and status == 200 and rows == figures["n"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of participants")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ontzorg.conf.ci")
    import django

    django.setup()
    from bench.support.monitor import run

    sys.exit(0 if report(run(args.n)) else 1)


if __name__ == "__main__":
    main()
