"""The opened file: savepoints inside a transaction, SQLite's progress calls, and a
file left compact in one piece."""

from __future__ import annotations

import pytest

from leadtui.core.agreement import Agreement
from leadtui.demo import DEMO_NOW
from leadtui.store import Store, StoreError
from tests import on_disk
from tests.conftest import make_lead


def test_a_failed_savepoint_leaves_only_its_own_writes_out(store: Store) -> None:
    with store.transaction():
        kept = store.add_lead(make_lead(email="kept@example.com"))
        with pytest.raises(LookupError), store.savepoint():
            store.add_lead(make_lead(email="refused@example.com"))
            raise LookupError("refused")
        with store.savepoint():
            store.add_lead(make_lead(email="also.kept@example.com"))
    emails = on_disk.rows(store, "SELECT email FROM leads ORDER BY id")
    assert emails == [(kept.email,), ("also.kept@example.com",)]


def test_a_savepoint_belongs_inside_a_transaction(store: Store) -> None:
    with pytest.raises(RuntimeError, match="open one first"), store.savepoint():
        store.add_lead(make_lead())
    assert on_disk.value(store, "SELECT count(*) FROM leads") == 0


def test_progress_is_reported_while_inside_and_a_tick_can_stop_the_work(
    work: Store, terms: Agreement
) -> None:
    ticks: list[int] = []

    def tick() -> int:
        ticks.append(1)
        return 0

    with work.reporting_progress(tick, 1_000):
        work.rescore(terms, DEMO_NOW)
    assert ticks
    counted = len(ticks)
    work.rescore(terms, DEMO_NOW)
    assert len(ticks) == counted  # no calls once outside
    before = work.last_seq()
    with pytest.raises(StoreError, match="interrupted"), work.reporting_progress(lambda: 1, 1_000):
        work.rescore(terms, DEMO_NOW)
    assert work.last_seq() == before  # the stopped run left nothing


def test_a_compacted_file_is_in_one_piece(store: Store) -> None:
    store.add_lead(make_lead())
    store.compact()
    store.close()
    assert not store.path.with_name(store.path.name + "-wal").exists()
    assert on_disk.value(store, "PRAGMA journal_mode") == "delete"
    assert on_disk.value(store, "SELECT count(*) FROM leads") == 1
