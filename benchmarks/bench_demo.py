"""Demo generation rate, against SQLite writing the very same rows it produced.

python benchmarks/bench_demo.py [--leads 20000]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
from pathlib import Path

from common import Result, seconds, show

from leadtui.demo.generator import generate

TARGET = 100_000  # leads per second
# Counts the log's triggers keep: inserting the events makes their rows.
KEPT_BY_TRIGGERS = {"attempt_slots", "move_slots"}


def run(leads: int = 20_000) -> list[Result]:
    with tempfile.TemporaryDirectory() as folder:
        made = Path(folder) / "demo.db"
        product = seconds(lambda: generate(made, leads=leads, seed=1))
        floor = seconds(lambda: _copy_rows(made, Path(folder) / "bare.db"))
    rate = leads / product
    return [
        Result(
            f"demo generation, {leads:,} leads",
            f"{rate:9,.0f} leads/s vs SQLite alone {leads / floor:9,.0f} leads/s",
            product / floor,
            f">= {TARGET:,} leads/s",
            rate >= TARGET,
        )
    ]


def _copy_rows(source: Path, target: Path) -> None:
    """Every row of the generated file, inserted with executemany into the same schema:
    the floor that SQLite itself sets on this machine."""
    conn = sqlite3.connect(source)
    schema = [row[0] for row in conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")]
    tables = [
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if row[0] not in KEPT_BY_TRIGGERS
    ]
    data = {table: conn.execute(f"SELECT * FROM {table}").fetchall() for table in tables}
    conn.close()
    bare = sqlite3.connect(target, isolation_level=None)
    bare.execute("PRAGMA journal_mode = WAL")
    for statement in schema:
        bare.execute(statement)
    bare.execute("BEGIN")
    for table, rows in data.items():
        if rows:
            marks = ", ".join("?" for _ in rows[0])
            bare.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    bare.execute("COMMIT")
    bare.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=20_000)
    show(run(parser.parse_args().leads))
