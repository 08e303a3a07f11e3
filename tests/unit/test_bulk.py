"""The bulk path (the demo, a big import) leaves the very file row-by-row writing leaves:
the same schema, the same rows in every table, the same counts the triggers keep."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from leadtui.core.agreement import Agreement
from leadtui.demo.generator import generate
from leadtui.importing import import_leads
from leadtui.store import Store, StoreError
from leadtui.store.bulk import BULK_FROM
from tests import on_disk
from tests.conftest import NOW

# Made afresh on every intake, on purpose: a new lead's uid and an event's UUID.
RANDOM = {"leads": {"uid"}, "events": {"id"}}


def _schema(path: Path) -> set[tuple[Any, ...]]:
    return set(on_disk.rows(path, "SELECT type, name, tbl_name, sql FROM sqlite_master"))


def _tables(path: Path, *, blank_random: bool = False) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        found = {}
        for table in tables:
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
            kept = [
                "NULL" if blank_random and name in RANDOM.get(table, ()) else f'"{name}"'
                for name in columns
            ]
            found[table] = conn.execute(
                f"SELECT {', '.join(kept)} FROM {table} ORDER BY {', '.join(kept)}"
            ).fetchall()
        return found
    finally:
        conn.close()


def test_a_demo_made_in_bulk_is_the_demo_made_row_by_row(tmp_path: Path) -> None:
    generate(tmp_path / "rows.db", leads=400, seed=5, in_bulk=False)
    generate(tmp_path / "bulk.db", leads=400, seed=5, in_bulk=True)
    assert _schema(tmp_path / "bulk.db") == _schema(tmp_path / "rows.db")
    made, expected = _tables(tmp_path / "bulk.db"), _tables(tmp_path / "rows.db")
    assert made == expected
    assert expected["attempt_slots"] and expected["move_slots"]  # the counts were exercised


def _lead_file(path: Path, rows: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Email", "Name", "Company", "Job Title", "Phone", "Country", "MQL Date"])
        for n in range(rows):
            key = n - 1 if n % 50 == 49 else n  # every 50th row names the lead before again
            writer.writerow(
                [
                    f"lead{key}@maker{key % 97}.com",
                    f"Ana Lee{n}",
                    f"Maker {n % 97}",
                    "VP of IT" if n % 3 else "Specialist",
                    f"+1 312 555 {n % 10000:04d}",
                    "United States",
                    "2026-11-16 10:00" if n % 7 == 0 else "",
                ]
            )
    return path


def test_a_big_import_in_bulk_is_the_import_row_by_row(terms: Agreement, tmp_path: Path) -> None:
    """Onto a file with leads already (some of which the file updates)."""
    first = _lead_file(tmp_path / "first.csv", 100)
    csv_file = _lead_file(tmp_path / "leads.csv", 1_200)
    summaries = {}
    for name, in_bulk in (("rows", False), ("bulk", True)):
        with Store(tmp_path / f"{name}.db") as store:
            import_leads(store, first, agreement=terms, now=NOW, in_bulk=False)
            summaries[name] = import_leads(
                store, csv_file, agreement=terms, now=NOW, in_bulk=in_bulk
            )
    assert summaries["bulk"] == summaries["rows"]
    assert summaries["rows"].handed > 0 and summaries["rows"].updated > 0
    assert _schema(tmp_path / "bulk.db") == _schema(tmp_path / "rows.db")
    made = _tables(tmp_path / "bulk.db", blank_random=True)
    assert made == _tables(tmp_path / "rows.db", blank_random=True)
    assert len(made["leads"]) == summaries["rows"].imported + summaries["rows"].updated


def test_a_big_import_into_an_empty_file_goes_in_bulk_by_itself(
    terms: Agreement, tmp_path: Path
) -> None:
    """Told by the index pages: built once at the end, an index is packed tight; grown
    a row at a time, it is not."""
    csv_file = _lead_file(tmp_path / "leads.csv", BULK_FROM + BULK_FROM // 10)
    pages = {}
    for name, in_bulk in (("rows", False), ("auto", None)):
        with Store(tmp_path / f"{name}.db") as store:
            import_leads(store, csv_file, agreement=terms, now=NOW, in_bulk=in_bulk)
        pages[name] = on_disk.value(
            tmp_path / f"{name}.db",
            "SELECT count(*) FROM dbstat WHERE name = 'leads_uid'",
        )
    assert pages["auto"] < pages["rows"]


DANA = ("dana", "Dana", "rep", 40)
ANA = ("u-1", "Ana", 1_789_000_000)


def _attempt(event_id: str, at: int, outcome: str) -> tuple[Any, ...]:
    payload = json.dumps({"channel": "call", "outcome": outcome})
    return (event_id, 1, "attempt", "dana", at, payload)


def test_counts_in_bulk_count_in_attempts_and_count_out_their_undoing(tmp_path: Path) -> None:
    events = [
        _attempt("a1", 1_790_000_000, "connected"),
        _attempt("a2", 1_790_000_010, "connected"),
        _attempt("a3", 1_790_000_020, "voicemail"),
        ("u1", 1, "undone", "dana", 1_790_000_030, json.dumps({"event": "a2"})),
    ]
    columns = ("id", "lead_id", "kind", "actor", "at", "payload")
    counted = {}
    for name, in_bulk in (("rows", False), ("bulk", True)):
        with Store(tmp_path / f"{name}.db") as store:
            store.bulk_insert("reps", ("id", "name", "role", "capacity"), [DANA])
            store.bulk_insert("leads", ("uid", "name", "created_at"), [ANA])
            store.bulk_insert("events", columns, events[:1])  # one there before
            with store.in_bulk() if in_bulk else store.transaction():
                store.bulk_insert("events", columns, events[1:])
        counted[name] = on_disk.rows(
            tmp_path / f"{name}.db", "SELECT * FROM attempt_slots ORDER BY outcome"
        )
    assert counted["rows"] == [("dana", 1_790_000_000 // 900, "call", "connected", 1)] + [
        ("dana", 1_790_000_000 // 900, "call", "voicemail", 1)
    ]
    assert counted["bulk"] == counted["rows"]


def test_a_bulk_load_that_breaks_a_unique_index_lands_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "leads.db") as store:
        before = _schema(store.path)
        with pytest.raises(StoreError), store.in_bulk():
            store.bulk_insert(
                "leads", ("uid", "name", "created_at"), [("u-1", "Ana", 1), ("u-1", "Bo", 2)]
            )
        assert on_disk.value(store.path, "SELECT count(*) FROM leads") == 0
        assert _schema(store.path) == before  # indexes and triggers back as they were
