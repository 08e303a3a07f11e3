"""Importing plain lead rows from CSV, against reading the CSV and inserting it bare.

python benchmarks/bench_import.py [--rows 200000]

The import into an empty file takes the bulk path (indexes built once at the end,
rescoring included); the same file through the row-by-row path is measured beside it.
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from common import Result, seconds, show

from leadtui.core import agreement as agreement_file
from leadtui.importing import import_leads
from leadtui.store import Store

TARGET = 5.0  # times csv + executemany into a bare table
HEADER = ["Email", "First Name", "Last Name", "Company", "Job Title", "Phone", "Country"]


def run(rows: int = 200_000) -> list[Result]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "leads.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            for n in range(rows):
                writer.writerow(
                    [
                        f"lead{n}@company{n % 997}.com",
                        "Ana",
                        f"Lee{n}",
                        f"Company {n % 997}",
                        "IT Manager",
                        f"+1 312 555 {n % 10000:04d}",
                        "United States",
                    ]
                )
        terms = agreement_file.load()
        now = datetime(2026, 11, 17, 16, 40, tzinfo=UTC)
        with Store(Path(folder) / "leads.db") as store:
            product = seconds(lambda: import_leads(store, path, agreement=terms, now=now))
        with Store(Path(folder) / "rows.db") as store:
            row_by_row = seconds(
                lambda: import_leads(store, path, agreement=terms, now=now, in_bulk=False)
            )
        floor = seconds(lambda: _bare(path, Path(folder) / "bare.db"))
    rate = rows / product
    return [
        Result(
            f"CSV import, {rows:,} plain rows",
            f"{rate:9,.0f} rows/s vs csv + executemany {rows / floor:9,.0f} rows/s "
            f"(row by row {rows / row_by_row:,.0f} rows/s)",
            product / floor,
            f"<= {TARGET}x the bare insert",
            product / floor <= TARGET,
        )
    ]


def _bare(path: Path, target: Path) -> None:
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute(f"CREATE TABLE leads({', '.join(f'c{i}' for i in range(len(HEADER)))})")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO leads VALUES ({', '.join('?' * len(HEADER))})", reader)
        conn.execute("COMMIT")
    conn.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    show(run(parser.parse_args().rows))
