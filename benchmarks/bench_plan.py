"""The threshold plan over N leads / 10N activities, against one hand-written SQL pass
over the same activities (the decayed, capped engagement sums of every lead).

    python benchmarks/bench_plan.py [--leads 1000000] [--repeat 3]

The leads are `bench_rescore.py`'s (built once and cached under benchmarks/out/),
scored once by `Store.rescore` so their fit is the agreement's. The plan replays the
14 weeks that hold every activity, so every lead with the fit and the information is
replayed; the baseline reads every activity once and sums it in SQLite, with no
replay over time. Target: <= 3x.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import time

from bench_rescore import NOW, build
from common import OUT

from leadtui.core import agreement as agreement_file
from leadtui.demo import DEMO_NOW
from leadtui.reports.plan import threshold_plan
from leadtui.store import Store

WEEKS = 14  # the fixture's activities span 90 days before its "now"


def baseline_pass() -> str:
    """Every lead's engagement as the agreement sums it, in one pass over activities."""
    terms = agreement_file.load()
    engagement = " ".join(
        f"WHEN '{rule.kind}' THEN min({rule.cap}, sum({rule.points} * "
        f"pow(0.5, ((:now - at) / 86400.0) / {rule.half_life_days})))"
        for rule in terms.engagement
    )
    return (
        "SELECT count(*), sum(points) FROM ("
        f"  SELECT lead_id, CASE kind {engagement} ELSE 0 END AS points "
        "  FROM activities WHERE at <= :now GROUP BY lead_id, kind)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    source = OUT / f"rescore-{args.leads}.db"
    scored = OUT / f"plan-{args.leads}.db"
    started = time.perf_counter()
    terms = agreement_file.load()
    if not scored.exists():
        build(source, args.leads)
        partial = scored.with_suffix(".partial")
        shutil.copyfile(source, partial)
        with Store(partial) as store:
            store.rescore(terms, DEMO_NOW)
        partial.rename(scored)
    print(
        f"database: {args.leads:,} leads, {args.leads * 10:,} activities, scored "
        f"(ready in {time.perf_counter() - started:.1f} s)"
    )
    product, floor = [], []
    for _ in range(args.repeat):
        conn = sqlite3.connect(scored)
        began = time.perf_counter()
        conn.execute(baseline_pass(), {"now": NOW}).fetchall()
        floor.append(time.perf_counter() - began)
        conn.close()
        with Store(scored) as store:
            began = time.perf_counter()
            found = threshold_plan(store, terms, DEMO_NOW, weeks=WEEKS)
            product.append(time.perf_counter() - began)
    ratios = [a / b for a, b in zip(product, floor, strict=True)]
    print(f"one SQL pass over the activities  median {statistics.median(floor):7.2f} s")
    print(
        f"the threshold plan ({found.plan.replayed:,} leads replayed)  median "
        f"{statistics.median(product):7.2f} s  ratio {statistics.median(ratios):.2f}x   "
        "target <= 3x"
    )


if __name__ == "__main__":
    main()
