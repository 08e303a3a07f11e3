"""Demo generation rate, against SQLite writing the very same rows it produced.

python benchmarks/bench_demo.py [--leads 20000]

The floor (the bulk floor): every row of the generated file executemany'd into the same
tables without their indexes and triggers, then the indexes built once, in one
transaction. The generator's own bulk path is measured against it, and so is its
row-by-row path (through the indexes and triggers, chunk by chunk), for comparison.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
from pathlib import Path

from common import Result, seconds, show

from leadtui.demo.generator import generate

TARGET = 1.5  # times the bulk floor
# Counts the log's triggers keep: the floor leaves them out.
KEPT_BY_TRIGGERS = {"attempt_slots", "move_slots"}


def run(leads: int = 20_000) -> list[Result]:
    with tempfile.TemporaryDirectory() as folder:
        made = Path(folder) / "demo.db"
        product = seconds(lambda: generate(made, leads=leads, seed=1))
        row_by_row = seconds(
            lambda: generate(Path(folder) / "rows.db", leads=leads, seed=1, in_bulk=False)
        )
        floor = seconds(lambda: _copy_rows(made, Path(folder) / "bare.db"))
    return [
        Result(
            f"demo generation, {leads:,} leads",
            f"{leads / product:9,.0f} leads/s vs bulk floor {leads / floor:9,.0f} leads/s "
            f"(row by row {leads / row_by_row:,.0f} leads/s)",
            product / floor,
            f"<= {TARGET}x the bulk floor",
            product / floor <= TARGET,
        )
    ]


def _copy_rows(source: Path, target: Path) -> None:
    """Every row of the generated file, inserted with executemany into the same tables
    with no index and no trigger, then the indexes built once: the floor that SQLite
    itself sets for these rows on this machine."""
    conn = sqlite3.connect(source)
    tables = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL"
    ).fetchall()
    indexes = [
        row[0]
        for row in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
    ]
    data = {
        name: conn.execute(f"SELECT * FROM {name}").fetchall()
        for name, _ in tables
        if name not in KEPT_BY_TRIGGERS
    }
    conn.close()
    bare = sqlite3.connect(target, isolation_level=None)
    bare.execute("PRAGMA journal_mode = WAL")
    bare.execute("BEGIN")
    for _, statement in tables:
        bare.execute(statement)
    for table, rows in data.items():
        if rows:
            marks = ", ".join("?" for _ in rows[0])
            bare.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    for statement in indexes:
        bare.execute(statement)
    bare.execute("COMMIT")
    bare.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=20_000)
    show(run(parser.parse_args().leads))
