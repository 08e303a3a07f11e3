"""The store: state changes are one transaction, the log is append-only, bad files are named."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
import sqlite_utils

from leadtui.core.agreement import Agreement
from leadtui.core.models import AttemptOutcome, Channel, EventKind, Stage
from leadtui.core.projection import fold
from leadtui.store import (
    DatabaseLocked,
    DiskFull,
    NewerSchema,
    NotALeadtuiDatabase,
    Store,
    StoreError,
    UnknownLead,
    VersionConflict,
    View,
    schema,
)
from tests import on_disk
from tests.conftest import NOW, make_lead


def _mql(store: Store, **fields: object) -> int:
    lead = store.add_lead(make_lead(**fields))
    assert lead.id is not None
    store.became_mql(lead.id, at=NOW, score=70, fit=30, engagement=40)
    return lead.id


def test_a_worked_lead_projects_its_events(store: Store) -> None:
    lead_id = _mql(store)
    lead = store.claim(lead_id, "dana", at=NOW, expected_version=1)
    store.log_attempt(
        lead_id,
        "dana",
        at=NOW + timedelta(minutes=5),
        channel=Channel.CALL,
        outcome=AttemptOutcome.VOICEMAIL,
    )
    store.log_attempt(
        lead_id,
        "dana",
        at=NOW + timedelta(minutes=9),
        channel=Channel.EMAIL,
        outcome=AttemptOutcome.REPLIED,
        note="Wants a call Thursday",
    )
    lead = store.accept(lead_id, "dana", at=NOW + timedelta(hours=1))
    assert lead.stage is Stage.ACCEPTED
    assert lead.owner == "dana"
    assert (lead.calls, lead.emails) == (1, 1)
    assert lead.first_touch_at == NOW + timedelta(minutes=5)
    assert lead.first_connect_at == NOW + timedelta(minutes=9)
    assert lead.version == 5
    events = store.events(lead_id)
    assert [event.kind for event in events] == [
        EventKind.BECAME_MQL,
        EventKind.CLAIMED,
        EventKind.ATTEMPT,
        EventKind.ATTEMPT,
        EventKind.ACCEPTED,
    ]
    assert events[3].payload["note"] == "Wants a call Thursday"
    # The stored projection is exactly the fold of the stored log.
    assert fold(events) == lead.projection.model_copy(
        update={"score": 70, "fit": 30, "engagement": 40}
    )


def test_reasons_and_notes_are_kept(store: Store) -> None:
    lead_id = _mql(store)
    store.return_to_nurture(lead_id, "dana", at=NOW, reason="not_now", note="Budget opens in Q2")
    event = store.events(lead_id)[-1]
    assert event.kind is EventKind.RETURNED_TO_NURTURE
    assert event.payload == {"reason": "not_now", "note": "Budget opens in Q2"}
    assert store.lead(lead_id).stage is Stage.RETURNED_TO_NURTURE


def test_a_failure_mid_change_leaves_neither_event_nor_projection(store: Store) -> None:
    lead_id = _mql(store)
    before = store.lead(lead_id)
    events_before = len(store.events())
    # A real fault from SQLite itself, raised after the event row is written.
    on_disk.run(
        store,
        "CREATE TRIGGER refuse BEFORE UPDATE ON leads BEGIN SELECT RAISE(ABORT, 'disk gone'); END",
    )
    with pytest.raises(StoreError, match="disk gone"):
        store.claim(lead_id, "dana", at=NOW, expected_version=before.version)
    on_disk.run(store, "DROP TRIGGER refuse")
    assert len(store.events()) == events_before
    assert store.lead(lead_id) == before
    # and the store is usable afterwards
    assert store.claim(lead_id, "dana", at=NOW, expected_version=before.version).owner == "dana"


def test_claiming_is_compare_and_swap(store: Store, tmp_path: Path) -> None:
    lead_id = _mql(store)
    with Store(store.path) as other:  # a second program on the same file
        version = store.lead(lead_id).version
        other.claim(lead_id, "marcus", at=NOW, expected_version=version)
        with pytest.raises(VersionConflict) as lost:
            store.claim(lead_id, "dana", at=NOW, expected_version=version)
    assert lost.value.owner == "marcus"
    assert "marcus" in str(lost.value)
    assert store.lead(lead_id).owner == "marcus"
    assert [event.actor for event in store.events(lead_id)] == ["system", "marcus"]


def test_bulk_loading_takes_only_the_tables_own_columns(store: Store) -> None:
    lead = store.add_lead(make_lead())
    sneaked = "detail) VALUES (1, 'x', 0, ''); DELETE FROM leads; --"
    with pytest.raises(ValueError, match="activities has no column"):
        store.bulk_insert("activities", ("lead_id", "kind", "at", sneaked), [(lead.id, "x", 0, "")])
    with pytest.raises(ValueError, match="no bulk loading into"):
        store.bulk_insert("sqlite_master", ("name",), [("x",)])
    assert store.lead(lead.id or 0).email == lead.email
    assert store.bulk_insert("activities", ("lead_id", "kind", "at"), [(lead.id, "x", 0)]) == 1


def test_unknown_leads_are_named(store: Store) -> None:
    with pytest.raises(UnknownLead, match="there is no lead 999"):
        store.accept(999, "dana", at=NOW)


def test_events_and_leads_cannot_be_deleted_or_rewritten(store: Store) -> None:
    lead_id = _mql(store)
    # Another program on the file meets the same triggers.
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        on_disk.run(store, "DELETE FROM events")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        on_disk.run(store, "UPDATE events SET kind = 'claimed'")
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        on_disk.run(store, "DELETE FROM leads WHERE id = ?", (lead_id,))
    on_disk.run(store, "UPDATE events SET synced_at = 1")  # marking as synced is allowed
    assert all(event.synced_at is not None for event in store.events())


def test_settings_reach_sqlite(tmp_path: Path) -> None:
    # synchronous is a setting of a connection, not of the file: the store's own is asked.
    with Store(tmp_path / "a.db") as normal, Store(tmp_path / "b.db", durable=True) as full:
        assert on_disk.value(normal, "PRAGMA journal_mode") == "wal"
        assert normal._conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # noqa: SLF001
        assert full._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # noqa: SLF001


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(NotALeadtuiDatabase, match="notes.db is not a leadtui database"):
        Store(path)
    assert path.read_text().startswith("these are my notes")


def test_another_programs_sqlite_file_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "crm.db"
    sqlite_utils.Database(path)["contacts"].insert({"name": "x"})
    with pytest.raises(NotALeadtuiDatabase, match="a SQLite file, but not a leadtui database"):
        Store(path)
    assert sqlite_utils.Database(path).table_names() == ["contacts"]


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    expected = rf"newer leadtui \(schema 99; this one knows up to {schema.SCHEMA_VERSION}\)"
    with pytest.raises(NewerSchema, match=expected):
        Store(path)


def test_a_locked_file_gets_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    with Store(path) as store:
        lead_id = store.add_lead(make_lead()).id
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        # the store waits for the lock less long: a setting of its own connection
        store._conn.execute("PRAGMA busy_timeout = 50")  # noqa: SLF001
        try:
            with pytest.raises(DatabaseLocked, match="busy.db is locked by another program"):
                store.accept(lead_id or 0, "dana", at=NOW)
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert store.events() == []


def test_a_previous_version_is_migrated_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = schema.connect(path)
    db = sqlite_utils.Database(conn)
    schema.migrate(db, target=1)
    conn.execute(
        "INSERT INTO leads(uid, name, email, created_at, stage) "
        "VALUES ('u-1', 'Old Lead', 'old@example.com', 1700000000, 'mql')"
    )
    conn.execute(
        "INSERT INTO events(id, lead_id, kind, actor, at, payload) "
        "VALUES ('e-1', 1, 'became_mql', 'system', 1700000000, '{}')"
    )
    conn.execute(
        "INSERT INTO score_factors(lead_id, position, factor_group, label, points, evidence) "
        "VALUES (1, 0, 'fit', 'VP or C-level', 20, 'title: VP'), "
        "(1, 1, 'engagement', 'visited the pricing page', 8, '1x, latest 2023-11-14'), "
        "(1, 2, 'negative', 'unsubscribed from email', -20, 'activity: unsubscribed'), "
        "(1, 3, 'negative', 'free-mail address', -15, 'email: old@gmail.com')"
    )
    assert "custom" not in db["leads"].columns_dict
    conn.close()

    with Store(path) as store:
        assert store.meta("schema_version") == str(schema.SCHEMA_VERSION)
        lead = store.lead(1)
        assert (lead.name, lead.email, lead.stage, lead.custom) == (
            "Old Lead",
            "old@example.com",
            Stage.MQL,
            {},
        )
        assert [event.id for event in store.events()] == ["e-1"]
        indexes = {row[1] for row in on_disk.rows(store, "PRAGMA index_list(leads)")}
        assert {"leads_queue", "leads_queue_by_owner"} <= indexes
        factors = store.factors(1)
        assert [factor.points for factor in factors] == [20, 8, -20, -15]
        assert [factor.side.value for factor in factors] == [
            "fit",
            "engagement",
            "engagement",
            "fit",
        ]


def test_a_failed_migration_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "half.db"
    conn = schema.connect(path)
    db = sqlite_utils.Database(conn)
    schema.migrate(db, target=1)
    conn.execute("CREATE INDEX leads_queue ON leads(id)")  # in the way of migration 2
    with pytest.raises(sqlite3.OperationalError, match="already exists"):
        schema.migrate(db)
    assert schema.schema_version(db) == 1
    assert "custom" not in db["leads"].columns_dict


def test_a_full_disk_loses_nothing_already_logged(store: Store) -> None:
    lead_id = _mql(store)
    store.log_attempt(
        lead_id, "dana", at=NOW, channel=Channel.CALL, outcome=AttemptOutcome.VOICEMAIL
    )
    before = store.lead(lead_id)
    pages = on_disk.value(store, "PRAGMA page_count")
    # SQLite's own cap on the file's size, set on the store's connection (it is one of
    # the connection's settings): it reports the same error as a full disk.
    store._conn.execute(f"PRAGMA max_page_count = {pages}")  # noqa: SLF001
    with pytest.raises(DiskFull, match="disk is full; nothing was written"):
        for number in range(2000):
            store.log_attempt(
                lead_id,
                "dana",
                at=NOW,
                channel=Channel.EMAIL,
                outcome=AttemptOutcome.SENT,
                note=f"attempt {number} " + "x" * 2000,
            )
    after = store.lead(lead_id)
    events = store.events(lead_id)
    assert after.emails == len(events) - 2  # the projection matches what the log holds
    assert events[1].payload["outcome"] == "voicemail"
    assert after.calls == before.calls == 1


def test_the_lifecycle_guard_refuses_inside_the_transaction(store: Store, terms: Agreement) -> None:
    from leadtui.core import lifecycle
    from leadtui.store.recording import Policy

    store.policy = Policy(guard=lambda lead, event: lifecycle.check(lead, event, terms))
    lead_id = _mql(store)
    before = (store.lead(lead_id), store.events())
    with pytest.raises(lifecycle.TransitionRefused, match="cannot accept a lead that is mql"):
        store.accept(lead_id, "dana", at=NOW)
    with pytest.raises(lifecycle.TransitionRefused, match="on a lead that is mql; you can claim"):
        store.log_attempt(
            lead_id, "dana", at=NOW, channel=Channel.CALL, outcome=AttemptOutcome.NO_ANSWER
        )
    assert (store.lead(lead_id), store.events()) == before
    store.claim(lead_id, "dana", at=NOW, expected_version=1)
    store.accept(lead_id, "dana", at=NOW)
    assert store.lead(lead_id).stage is Stage.ACCEPTED


def test_undo_takes_back_the_reps_last_action_and_deletes_nothing(store: Store) -> None:
    from leadtui.store import NothingToUndo

    lead_id = _mql(store)
    store.claim(lead_id, "dana", at=NOW, expected_version=1)
    store.log_attempt(
        lead_id,
        "dana",
        at=NOW + timedelta(minutes=3),
        channel=Channel.CALL,
        outcome=AttemptOutcome.CONNECTED,
        note="oops, wrong lead",
    )
    store.disqualify(lead_id, "dana", at=NOW + timedelta(minutes=4), reason="student")
    lead = store.undo_last("dana", at=NOW + timedelta(minutes=5))
    assert lead.stage is Stage.WORKING  # the disqualification is taken back
    lead = store.undo_last("dana", at=NOW + timedelta(minutes=6))
    assert (lead.calls, lead.first_touch_at, lead.first_connect_at) == (0, None, None)
    events = store.events(lead_id)
    assert [e.kind for e in events] == [
        EventKind.BECAME_MQL,
        EventKind.CLAIMED,
        EventKind.ATTEMPT,
        EventKind.DISQUALIFIED,
        EventKind.UNDONE,
        EventKind.UNDONE,
    ]
    assert events[4].payload == {"event": events[3].id, "kind": "disqualified"}
    assert lead.projection == fold(events).model_copy(
        update={"score": 70, "fit": 30, "engagement": 40, "version": lead.version}
    )
    # someone else acting on the lead since blocks undoing what came before
    store.reassign(lead_id, "morgan", at=NOW + timedelta(minutes=7), to="marcus")
    with pytest.raises(NothingToUndo, match="changed since \\(morgan acted on it\\)"):
        store.undo_last("dana", at=NOW + timedelta(minutes=8))
    with pytest.raises(NothingToUndo, match="marcus has nothing to undo"):
        store.undo_last("marcus", at=NOW)


def test_a_snooze_is_stored_as_a_time_the_queue_can_compare(store: Store) -> None:
    lead = store.add_lead(make_lead())
    lead_id = lead.id or 0
    store.became_mql(lead_id, at=NOW, score=70, fit=30, engagement=40)
    store.claim(lead_id, "dana", at=NOW, expected_version=1)
    until = NOW + timedelta(hours=3)
    assert store.snooze(lead_id, "dana", at=NOW, until=until).snoozed_until == until
    stored = on_disk.rows(
        store, "SELECT typeof(snoozed_until), snoozed_until FROM leads WHERE id = ?", (lead_id,)
    )[0]
    assert stored == ("integer", int(until.timestamp()))
    assert [row.id for row in store.queue_page(View.ALL, now=NOW).leads] == [lead_id]
    store.undo_last("dana", at=NOW)
    assert store.lead(lead_id).snoozed_until is None
