"""A queue page deep into 1M leads, and the counts, against the bare SQL they wrap.

    python benchmarks/bench_keyset.py [--leads 1000000]

The database (leads only, through the real schema, rows written by SQLite) is
cached under benchmarks/out/.
"""

from __future__ import annotations

import argparse
import sqlite3
from datetime import UTC, datetime

from common import OUT, SPREAD, Result, built, median_ns, show

from leadtui.store import Store, View
from leadtui.store.rows import QUEUE_SELECT

OPEN = "stage IN ('mql', 'working', 'accepted')"
AWAKE = "(snoozed_until IS NULL OR snoozed_until <= :now)"
REPS = ("dana", "marcus", "priya", "tomas", "keiko", "sam", "lena")


def build(leads: int) -> str:
    path = OUT / f"queue-v6-{leads}.db"
    with built(path) as conn:
        if conn is not None:
            _fill(conn, leads)
    return str(path)


def _fill(conn: sqlite3.Connection, leads: int) -> None:
    """N leads, 8% open, spread over reps, scores, MQL times and deadlines."""
    conn.executemany(
        "INSERT INTO reps(id, name, role, capacity) VALUES (?, ?, 'rep', 40)",
        ((rep, rep.title()) for rep in REPS),
    )
    h = SPREAD
    owner = " ".join(f"WHEN {i} THEN '{rep}'" for i, rep in enumerate(REPS))
    conn.execute("BEGIN")
    conn.execute(
        "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < :leads) "
        "INSERT INTO leads(id, uid, name, email, created_at, stage, owner, score, mql_at, "
        "next_due_at) "
        "SELECT n, 'u' || n, 'Lead ' || n, 'lead' || n || '@example.com', 1790000000, "
        f"  CASE WHEN {h} % 100 < 3 THEN 'mql' WHEN {h} % 100 < 6 THEN 'working' "
        f"       WHEN {h} % 100 < 8 THEN 'accepted' ELSE 'nurturing' END, "
        f"  CASE WHEN {h} % 100 BETWEEN 3 AND 7 THEN CASE ({h} / 100) % 7 {owner} END END, "
        f"  ({h} / 7) % 121, 1790000000 + ({h} / 11) % 7776000, "
        f"  CASE WHEN {h} % 100 < 8 THEN 1790000000 + ({h} / 13) % 7776000 END FROM seq",
        {"leads": leads},
    )
    conn.execute("COMMIT")


def run(leads: int = 1_000_000, runs: int = 300) -> list[Result]:
    path = build(leads)
    store = Store(path)
    # A tenth of the open leads are due by `soon`: they come first, by deadline.
    soon = datetime.fromtimestamp(1790000000 + 777600, UTC)
    now = datetime.fromtimestamp(1790000000 + 770000, UTC)
    page = store.queue_page(View.ALL, limit=50, soon=soon, now=now)
    depth = store.counts().open * 3 // 4 // 50
    for _ in range(depth):  # deep into the queue: keyset paging must not slow down
        assert page.next is not None
        page = store.queue_page(View.ALL, after=page.next, limit=50, soon=soon, now=now)
    deep = page.next
    assert deep is not None
    first = median_ns(lambda: store.queue_page(View.ALL, limit=50, soon=soon, now=now), runs)
    product = median_ns(
        lambda: store.queue_page(View.ALL, after=deep, limit=50, soon=soon, now=now), runs
    )
    bare = sqlite3.connect(path)
    sql = (
        f"SELECT {QUEUE_SELECT} FROM leads WHERE {OPEN} "
        f"AND (next_due_at IS NULL OR next_due_at > :soon OR NOT {AWAKE}) "
        "AND score <= :score AND (score < :score "
        "OR mql_at > :mql_at OR (mql_at = :mql_at AND id > :id)) "
        "ORDER BY score DESC, mql_at, id LIMIT 51"
    )
    at = {"score": deep.score, "mql_at": deep.mql_at, "id": deep.id}
    at["soon"] = int(soon.timestamp())
    at["now"] = int(now.timestamp())
    urgent_sql = (
        f"SELECT {QUEUE_SELECT} FROM leads WHERE {OPEN} AND next_due_at <= :soon AND {AWAKE} "
        "ORDER BY next_due_at, id LIMIT 51"
    )
    first_floor = median_ns(lambda: bare.execute(urgent_sql, at).fetchall(), runs)
    floor = median_ns(lambda: bare.execute(sql, at).fetchall(), runs)
    counts = median_ns(lambda: store.counts("dana"), max(runs // 10, 10))
    counts_floor = median_ns(
        lambda: bare.execute(
            f"SELECT stage, owner, count(*) FROM leads WHERE {OPEN} GROUP BY stage, owner"
        ).fetchall(),
        max(runs // 10, 10),
    )
    store.close()
    return [
        Result(
            f"first queue page (urgent first) of {leads:,} leads",
            f"median {first / 1e3:7.1f} µs vs bare SELECT {first_floor / 1e3:6.1f} µs",
            first / first_floor,
            "median <= 1 ms",
            first <= 1e6,
        ),
        Result(
            f"queue page {depth + 1} of {leads:,} leads",
            f"median {product / 1e3:7.1f} µs vs bare SELECT {floor / 1e3:6.1f} µs",
            product / floor,
            "median <= 1 ms",
            product <= 1e6,
        ),
        Result(
            "queue counts",
            f"median {counts / 1e3:7.1f} µs vs bare GROUP BY {counts_floor / 1e3:6.1f} µs",
            counts / counts_floor,
            "<= 1.2x the bare query",
            counts / counts_floor <= 1.2,
        ),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    show(run(parser.parse_args().leads))
