"""Run every benchmark and print one table of ratios measured in this run.

    python benchmarks/run.py            # full size: 1M leads for paging
    python benchmarks/run.py --quick    # smaller sizes, a few minutes
    python benchmarks/run.py --only commit

The rescoring benchmark (1M leads, 10M activities) and the reports (1M leads, 8.8M
events) take long; run them on their own:
    python benchmarks/bench_rescore.py --leads 1000000
    python benchmarks/bench_reports.py
"""

from __future__ import annotations

import argparse

import bench_app
import bench_commit
import bench_demo
import bench_floor
import bench_import
import bench_keyset
import bench_sync
from common import Result, show

BENCHMARKS = {
    "demo": lambda quick: bench_demo.run(5_000 if quick else 20_000),
    "commit": lambda quick: bench_commit.run(300 if quick else 2_000),
    "keyset": lambda quick: bench_keyset.run(100_000 if quick else 1_000_000),
    "import": lambda quick: bench_import.run(20_000 if quick else 200_000),
    "app": lambda quick: bench_app.run(100_000 if quick else 1_000_000, 3 if quick else 7),
    "sync": lambda quick: bench_sync.run(2_000 if quick else 10_000),
    "floor": lambda quick: bench_floor.run(10 if quick else 50, 8.0 if quick else 20.0),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=sorted(BENCHMARKS))
    args = parser.parse_args()
    results: list[Result] = []
    for name, bench in BENCHMARKS.items():
        if args.only in (None, name):
            results += bench(args.quick)
    show(results)


if __name__ == "__main__":
    main()
