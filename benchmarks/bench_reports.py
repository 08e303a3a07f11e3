"""The team lead's reports on a big history, against the bare SQL aggregate over the
same rows, measured in the same run.

    python benchmarks/bench_reports.py [--leads 1000000] [--runs 3]

The database: N leads all handed over across 90 days, each with about ten events
(hand-off, claim, six attempts, some acceptances, qualifications and deals), written
by SQLite through the real schema and cached under benchmarks/out/, with the
store's SLA arithmetic worked out once (as the app and the CLI keep it while they
work). Each report covers the last 30 days.
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from common import OUT, SPREAD, Result, built, show

from leadtui.core import agreement
from leadtui.reports import Period, Reports
from leadtui.store import Store, due

REPS = ("dana", "marcus", "priya", "tomas", "keiko", "sam", "lena")
SOURCES = ("web_form", "demo_request", "paid_search", "webinar", "referral", "trade_show")
START = 1_788_000_000  # the first hand-off
DAYS = 90
NOW = datetime.fromtimestamp(START + DAYS * 86400, UTC)


def build(leads: int) -> str:
    path = OUT / f"reports-v9-{leads}.db"
    with built(path) as conn:
        if conn is not None:
            _fill(conn, leads)
    return str(path)


def _fill(conn: sqlite3.Connection, leads: int) -> None:
    h = SPREAD
    conn.executemany(
        "INSERT INTO reps(id, name, role, capacity) VALUES (?, ?, 'rep', 40)",
        ((rep, rep.title()) for rep in REPS),
    )
    owner = " ".join(f"WHEN {i} THEN '{rep}'" for i, rep in enumerate(REPS))
    source = " ".join(f"WHEN {i} THEN '{name}'" for i, name in enumerate(SOURCES))
    seq = "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < :leads) "
    handed = f"{START} + ({h} / 11) % {DAYS * 86400}"
    conn.execute("BEGIN")
    conn.execute(
        seq + "INSERT INTO leads(id, uid, name, email, source, created_at, stage, owner, score, "
        "mql_at, first_touch_at, first_connect_at, calls, emails, mql_score, accepted_at, "
        "qualified_at, closed_at, stage_changed_at) "
        f"SELECT n, 'u' || n, 'Lead ' || n, 'lead' || n || '@example.com', "
        f"  CASE {h} % {len(SOURCES)} {source} END, {START}, "
        f"  CASE WHEN {h} % 100 < 10 THEN 'won' WHEN {h} % 100 < 25 THEN 'qualified' "
        f"       WHEN {h} % 100 < 45 THEN 'accepted' ELSE 'working' END, "
        f"  CASE ({h} / 100) % {len(REPS)} {owner} END, 40 + ({h} / 7) % 80, {handed}, "
        f"  {handed} + ({h} / 13) % 20000, {handed} + ({h} / 17) % 90000, 4, 2, "
        f"  40 + ({h} / 7) % 80, "
        f"  CASE WHEN {h} % 100 < 45 THEN {handed} + 30000 END, "
        f"  CASE WHEN {h} % 100 < 25 THEN {handed} + 60000 END, "
        f"  CASE WHEN {h} % 100 < 10 THEN {handed} + 200000 END, "
        f"  {handed} + CASE WHEN {h} % 100 < 10 THEN 200000 WHEN {h} % 100 < 25 THEN 60000 "
        f"    WHEN {h} % 100 < 45 THEN 30000 ELSE 60 END FROM seq",
        {"leads": leads},
    )
    # ~10 events a lead: the hand-off, a claim, 6 attempts, and the moves.
    kinds = (
        "SELECT 'became_mql' k, 0 o UNION ALL SELECT 'claimed', 60 "
        + " ".join(f"UNION ALL SELECT 'attempt', {600 + i * 3600}" for i in range(6))
        + " UNION ALL SELECT 'accepted', 30000 UNION ALL SELECT 'qualified', 60000 "
        "UNION ALL SELECT 'closed', 200000"
    )
    conn.execute(
        "INSERT INTO events(id, lead_id, kind, actor, at, payload) "
        "SELECT hex(randomblob(16)), l.id, k.k, coalesce(l.owner, 'system'), l.mql_at + k.o, "
        "  CASE k.k WHEN 'attempt' THEN json_object('channel', "
        "    CASE WHEN k.o % 7200 = 600 THEN 'call' ELSE 'email' END, 'outcome', "
        "    CASE WHEN k.o = 3600 * 2 + 600 THEN 'connected' ELSE 'no_answer' END) "
        "  WHEN 'became_mql' THEN json_object('score', l.score) "
        "  WHEN 'closed' THEN json_object('outcome', 'won') ELSE '{}' END "
        f"FROM leads l JOIN ({kinds}) k "
        "WHERE k.k NOT IN ('accepted', 'qualified', 'closed') "
        "  OR (k.k = 'accepted' AND l.stage IN ('accepted', 'qualified', 'won')) "
        "  OR (k.k = 'qualified' AND l.stage IN ('qualified', 'won')) "
        "  OR (k.k = 'closed' AND l.stage = 'won') "
        "ORDER BY l.mql_at + k.o"
    )
    conn.execute("COMMIT")


def seconds(work: object, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):  # the best of a few: these are seconds-long, not microseconds
        start = time.perf_counter()
        work()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def run(leads: int = 1_000_000, runs: int = 3) -> list[Result]:
    path = build(leads)
    store = Store(path)
    terms = agreement.load()
    if store.meta(due.WORKED_OUT_WITH) != due.fingerprint(terms.sla):
        store.refresh_due(terms)  # what the app and the CLI keep up as they work
    zone = ZoneInfo(terms.sla.time_zone)
    period = Period.named("30days", NOW, zone)
    bare = sqlite3.connect(path)
    events = bare.execute("SELECT count(*) FROM events").fetchone()[0]

    def cohort_sql() -> object:  # the hand-offs of the period by source, bare
        return bare.execute(
            "SELECT l.source, count(*), sum(l.stage = 'won') FROM events h "
            "JOIN leads l ON l.id = h.lead_id WHERE h.kind = 'became_mql' "
            "AND h.at >= ? AND h.at < ? GROUP BY l.source",
            (period.start, period.end),
        ).fetchall()

    def attempts_sql() -> object:
        return bare.execute(
            "SELECT actor, count(*) FROM events WHERE kind = 'attempt' AND at >= ? AND at < ? "
            "GROUP BY actor",
            (period.start, period.end),
        ).fetchall()

    baseline = {"cohort": seconds(cohort_sql, runs), "attempts": seconds(attempts_sql, runs)}

    def fresh() -> Reports:
        return Reports(store, terms, period, NOW)

    figures = {
        "funnel by source": ("cohort", lambda: fresh().funnel("source")),
        "first-touch SLA by rep": ("cohort", lambda: fresh().sla("rep")),
        "score bands": ("cohort", lambda: fresh().bands()),
        "attempts per rep": ("attempts", lambda: fresh().team()),
    }
    results = []
    for name, (base, work) in figures.items():
        took = seconds(work, runs)
        results.append(
            Result(
                f"{name}, {leads:,} leads / {events:,} events",
                f"{took:6.2f} s vs bare SQL {baseline[base]:6.2f} s",
                took / baseline[base],
                "within a couple of seconds",
                took <= 2.0,
            )
        )
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    show(run(args.leads, args.runs))
