"""Logging an attempt (event + projection in one transaction) against a bare INSERT+UPDATE.

python benchmarks/bench_commit.py [--runs 2000]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import Result, median_ns, show

from leadtui.core import agreement
from leadtui.core.models import AttemptOutcome, Channel, Lead, Rep
from leadtui.store import Store

NOW = datetime(2026, 11, 17, 16, 40, tzinfo=UTC)


def run(runs: int = 2000) -> list[Result]:
    results = []
    for durable in (False, True):
        with tempfile.TemporaryDirectory() as folder:
            product, floor = _measure(Path(folder), runs, durable)
        mode = "FULL" if durable else "NORMAL"
        results.append(
            Result(
                f"log an attempt, synchronous={mode}",
                f"median {product / 1e3:7.1f} µs vs bare {floor / 1e3:6.1f} µs",
                product / floor,
                "median <= 1 ms",
                product <= 1e6,
            )
        )
    return results


def _measure(folder: Path, runs: int, durable: bool) -> tuple[float, float]:
    store = Store(folder / "leads.db", durable=durable)
    store.use(agreement.load())  # as the app logs: the lead's SLA worked out with it
    store.save_rep(Rep(id="dana", name="Dana"))
    lead = store.add_lead(Lead(name="Ines", email="i@acme.com", created_at=NOW))
    lead_id = lead.id or 0
    store.became_mql(lead_id, at=NOW, score=70, fit=30, engagement=40)
    store.claim(lead_id, "dana", at=NOW, expected_version=1)
    moments = iter(NOW + timedelta(seconds=n) for n in range(10**7))

    def log() -> None:
        store.log_attempt(
            lead_id,
            "dana",
            at=next(moments),
            channel=Channel.CALL,
            outcome=AttemptOutcome.VOICEMAIL,
            note="left a voicemail",
        )

    product = median_ns(log, runs)
    store.close()

    bare = sqlite3.connect(folder / "bare.db", isolation_level=None)
    bare.execute("PRAGMA journal_mode = WAL")
    bare.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
    bare.execute("CREATE TABLE leads(id INTEGER PRIMARY KEY, calls INT, version INT)")
    bare.execute(
        "CREATE TABLE events(seq INTEGER PRIMARY KEY, id TEXT UNIQUE, lead_id INT, kind TEXT, "
        "actor TEXT, at INT, payload TEXT)"
    )
    bare.execute("INSERT INTO leads VALUES (1, 0, 0)")
    counter = iter(range(10**7))

    def insert_and_update() -> None:
        bare.execute("BEGIN IMMEDIATE")
        bare.execute(
            "INSERT INTO events(id, lead_id, kind, actor, at, payload) "
            "VALUES (?, 1, 'attempt', 'dana', 0, '{}')",
            (f"e-{next(counter)}",),
        )
        bare.execute("UPDATE leads SET calls = calls + 1, version = version + 1 WHERE id = 1")
        bare.execute("COMMIT")

    floor = median_ns(insert_and_update, runs)
    bare.close()
    return product, floor


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    show(run(parser.parse_args().runs))
