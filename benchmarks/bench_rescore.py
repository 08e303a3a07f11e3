"""Rescoring N leads / 10N activities, against one hand-written UPDATE doing the same sums.

    python benchmarks/bench_rescore.py [--leads 1000000] [--repeat 3]

The database is built once through the real schema (SQL-generated rows, seeded)
and cached under benchmarks/out/. Each run copies it, then times, in turn,
`Store.rescore` (factors, scores, crossings, events: the product) and a bare
`UPDATE leads SET score = ...` with the same decay, caps and fit points written
by hand, which writes no factors and no events: the floor SQLite sets.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import time
from datetime import timedelta
from pathlib import Path

from common import OUT, SPREAD, built

from leadtui.core import agreement as agreement_file
from leadtui.demo import DEMO_NOW
from leadtui.store import Store

NOW = int(DEMO_NOW.timestamp())
DAY = 86_400

TITLES = [
    "VP of IT",
    "Director of Operations",
    "IT Manager",
    "Systems Analyst",
    "CIO",
    "Marketing Intern",
    "Operations Manager",
    "Procurement Specialist",
]
INDUSTRIES = ["Manufacturing", "Logistics", "Healthcare", "Retail", "Software", "Energy"]
COUNTRIES = ["United States", "Germany", "Canada", "India", "Brazil", "France"]
KINDS = [
    "email_click",
    "product_page",
    "content_download",
    "pricing_page",
    "webinar_registered",
    "webinar_attended",
    "roi_calculator",
    "demo_request",
    "unsubscribed",
    "email_bounced",
]


def _pick(values: list[str], hash_sql: str) -> str:
    cases = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values))
    return f"CASE ({hash_sql}) % {len(values)} {cases} END"


def build(path: Path, leads: int) -> None:
    """N leads and 10N activities, deterministic, written by SQLite itself."""
    with built(path) as conn:
        if conn is not None:
            conn.execute("PRAGMA journal_mode = OFF")
            _fill(conn, leads)


def _fill(conn: sqlite3.Connection, leads: int) -> None:
    h = SPREAD
    conn.execute("BEGIN")
    conn.execute(
        "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < :leads) "
        "INSERT INTO leads(id, uid, name, title, company, email, phone, website, city, country, "
        "employees, industry, source, created_at, stage) "
        f"SELECT n, 'u' || n, 'Lead ' || n, {_pick(TITLES, h + ' / 7')}, "
        "'Company ' || (n % 50000), "
        f"CASE WHEN {h} % 13 = 0 THEN 'lead' || n || '@gmail.com' "
        "     ELSE 'lead' || n || '@company' || (n % 50000) || '.com' END, "
        f"CASE WHEN {h} % 11 = 0 THEN '' ELSE '+1 312 555 ' || (1000 + n % 9000) END, "
        "'https://company' || (n % 50000) || '.com', 'Chicago', "
        f"{_pick(COUNTRIES, h + ' / 101')}, ({h} / 3) % 5000, {_pick(INDUSTRIES, h + ' / 31')}, "
        f"'web_form', :now - ({h} % (120 * :day)), 'nurturing' FROM seq",
        {"leads": leads, "now": NOW, "day": DAY},
    )
    g = "((n * 2246822519) % 4294967291)"
    conn.execute(
        "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < :rows) "
        "INSERT INTO activities(lead_id, kind, at, detail) "
        f"SELECT 1 + {g} % :leads, {_pick(KINDS, f'min({g} / 13 % 64, {g} / 17 % 64) % 10')}, "
        f":now - ({g} / 7) % (90 * :day), '' FROM seq",
        {"rows": leads * 10, "leads": leads, "now": NOW, "day": DAY},
    )
    conn.execute("COMMIT")


def baseline_update() -> str:
    """The same arithmetic as the default agreement, by hand, in one UPDATE."""
    terms = agreement_file.load()
    engagement = " ".join(
        f"WHEN '{rule.kind}' THEN min({rule.cap}, sum({rule.points} * "
        f"pow(0.5, ((:now - at) / 86400.0) / {rule.half_life_days})))"
        for rule in terms.engagement
    )
    return (
        "UPDATE leads SET score = "
        "  (CASE WHEN title LIKE '%VP%' OR title LIKE 'C_O' THEN 20 "
        "        WHEN title LIKE '%Director%' THEN 15 WHEN title LIKE '%Manager%' THEN 8 "
        "        ELSE 0 END)"
        "  + (CASE WHEN title LIKE '%IT%' OR title LIKE '%Operations%' THEN 5 ELSE 0 END)"
        "  + (CASE WHEN employees >= 1000 THEN 12 WHEN employees >= 100 THEN 8 ELSE 0 END)"
        "  + (CASE WHEN industry IN ('Manufacturing', 'Logistics', 'Healthcare') THEN 6 "
        "     ELSE 0 END)"
        "  + (CASE WHEN country IN ('United States', 'Canada', 'Germany', 'France') THEN 4 "
        "     ELSE 0 END)"
        "  - (CASE WHEN email LIKE '%@gmail.%' THEN 15 ELSE 0 END)"
        "  + coalesce((SELECT sum(points) FROM ("
        f"      SELECT CAST(CASE kind {engagement} ELSE 0 END + 0.5 AS INTEGER) AS points "
        "      FROM activities WHERE lead_id = leads.id AND at <= :now GROUP BY kind)), 0)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    source = OUT / f"rescore-{args.leads}.db"
    started = time.perf_counter()
    build(source, args.leads)
    print(
        f"database: {args.leads:,} leads, {args.leads * 10:,} activities "
        f"(ready in {time.perf_counter() - started:.1f} s)"
    )
    terms = agreement_file.load()
    work = OUT / "rescore-work.db"
    cold, product, floor = [], [], []
    for _ in range(args.repeat):
        shutil.copyfile(source, work)
        with Store(work) as store:
            began = time.perf_counter()
            first = store.rescore(terms, DEMO_NOW)
            cold.append(time.perf_counter() - began)
            began = time.perf_counter()
            result = store.rescore(terms, DEMO_NOW + timedelta(hours=1))
            product.append(time.perf_counter() - began)
        shutil.copyfile(source, work)
        conn = sqlite3.connect(work, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        began = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(baseline_update(), {"now": NOW})
        conn.execute("COMMIT")
        floor.append(time.perf_counter() - began)
        conn.close()
    work.unlink(missing_ok=True)
    ratios = [a / b for a, b in zip(product, floor, strict=True)]
    cold_ratios = [a / b for a, b in zip(cold, floor, strict=True)]
    print(f"hand-written UPDATE       median {statistics.median(floor):7.2f} s")
    print(
        f"Store.rescore, first run median {statistics.median(cold):7.2f} s "
        f"({len(first.new_mqls):,} new MQLs, every factor written)  "
        f"ratio {statistics.median(cold_ratios):.2f}x"
    )
    print(
        f"Store.rescore, an hour on median {statistics.median(product):7.2f} s "
        f"({result.leads:,} leads, {len(result.new_mqls):,} new MQLs)  "
        f"ratio {statistics.median(ratios):.2f}x   target <= 1.5x"
    )


if __name__ == "__main__":
    main()
