"""The store: state changes are one transaction, the log is append-only, bad files are named."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils

from leadtui.core.agreement import Agreement
from leadtui.core.models import AttemptOutcome, Channel, Event, EventKind, Stage
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
    store.conn.execute(
        "CREATE TRIGGER refuse BEFORE UPDATE ON leads BEGIN SELECT RAISE(ABORT, 'disk gone'); END"
    )
    with pytest.raises(StoreError, match="disk gone"):
        store.claim(lead_id, "dana", at=NOW, expected_version=before.version)
    store.conn.execute("DROP TRIGGER refuse")
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


def test_unknown_leads_are_named(store: Store) -> None:
    with pytest.raises(UnknownLead, match="there is no lead 999"):
        store.accept(999, "dana", at=NOW)


def test_events_and_leads_cannot_be_deleted_or_rewritten(store: Store) -> None:
    lead_id = _mql(store)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM events")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE events SET kind = 'claimed'")
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        store.conn.execute("DELETE FROM leads WHERE id = ?", (lead_id,))
    store.conn.execute("UPDATE events SET synced_at = 1")  # marking as synced is allowed
    assert all(event.synced_at is not None for event in store.events())


def test_settings_reach_sqlite(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as normal, Store(tmp_path / "b.db", durable=True) as full:
        assert normal.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert normal.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert full.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


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
        store.conn.execute("PRAGMA busy_timeout = 50")
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
        indexes = {index.name for index in store.db["leads"].indexes}
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
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    # SQLite's own cap on the file's size: it reports the same error as a full disk.
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
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


def test_the_lifecycle_guard_refuses_inside_the_transaction(store: Store, terms: object) -> None:
    from leadtui.core import lifecycle

    store.guard = lambda lead, event: lifecycle.check(lead, event, terms)  # type: ignore[arg-type]
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
        lead_id, "dana", at=NOW + timedelta(minutes=3), channel=Channel.CALL,
        outcome=AttemptOutcome.CONNECTED, note="oops, wrong lead",
    )  # fmt: skip
    store.disqualify(lead_id, "dana", at=NOW + timedelta(minutes=4), reason="student")
    lead = store.undo_last("dana", at=NOW + timedelta(minutes=5))
    assert lead.stage is Stage.WORKING  # the disqualification is taken back
    lead = store.undo_last("dana", at=NOW + timedelta(minutes=6))
    assert (lead.calls, lead.first_touch_at, lead.first_connect_at) == (0, None, None)
    events = store.events(lead_id)
    assert [e.kind for e in events] == [
        EventKind.BECAME_MQL, EventKind.CLAIMED, EventKind.ATTEMPT, EventKind.DISQUALIFIED,
        EventKind.UNDONE, EventKind.UNDONE,
    ]  # fmt: skip
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
    stored = store.conn.execute(
        "SELECT typeof(snoozed_until), snoozed_until FROM leads WHERE id = ?", (lead_id,)
    ).fetchone()
    assert stored == ("integer", int(until.timestamp()))
    assert [row.id for row in store.queue_page(View.ALL, now=NOW).leads] == [lead_id]
    store.undo_last("dana", at=NOW)
    assert store.lead(lead_id).snoozed_until is None


LATER_THAN_8 = (  # what schemas 9 to 11 add, dropped to make a file of an older one
    "TRIGGER attempt_counted", "TRIGGER attempt_taken_back", "TABLE attempt_slots",
    "TRIGGER move_counted", "TRIGGER move_taken_back", "TABLE move_slots",
    "TRIGGER sla_worked_out_forgotten", "INDEX IF EXISTS leads_handed",
)  # fmt: skip


def back_to(conn: sqlite3.Connection, version: int) -> None:
    """Make the file look as schema `version` left it (8 or older), for a migration."""
    for dropped in LATER_THAN_8:
        conn.execute(f"DROP {dropped}")
    columns = ["touch_due_at", "to_first_touch", "to_first_connect", "cadence_ends_at"]
    if version < 8:
        columns += ["mql_score", "marketing_qualified_at", "accepted_at", "qualified_at"]
    for name in columns:
        conn.execute(f"ALTER TABLE leads DROP COLUMN {name}")
    if version == 8:  # schema 8's own index, which 11 replaces
        conn.execute("CREATE INDEX leads_handed ON leads(mql_at) WHERE mql_at IS NOT NULL")
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
    conn.commit()


def test_schema_8_fills_the_hand_off_columns_from_the_log(store: Store) -> None:
    """A file from before schema 8: its leads get their hand-off score, marketing's
    moment and the accepted/qualified times from the log, as folding the log gives."""
    lead = store.add_lead(make_lead())
    assert lead.id is not None
    day = datetime(2026, 11, 10, 15, tzinfo=UTC)
    store.record(
        Event(
            lead_id=lead.id, kind=EventKind.BECAME_MQL, actor="system", at=day,
            payload={"score": 70, "fit": 30, "engagement": 40, "qualified_at": 1794300000},
        )
    )  # fmt: skip
    store.claim(lead.id, "dana", at=day, expected_version=1)
    store.accept(lead.id, "dana", at=day + timedelta(hours=1))
    store.undo_last("dana", at=day + timedelta(hours=2))  # the acceptance taken back
    store.accept(lead.id, "dana", at=day + timedelta(hours=3))
    store.qualify(
        lead.id, "dana", at=day + timedelta(hours=4),
        checklist=dict.fromkeys(("decision_maker", "budget", "need", "timing"), True),
    )  # fmt: skip
    folded = fold(store.events(lead.id))
    back_to(store.conn, 7)
    with Store(store.path) as again:
        migrated = again.lead(lead.id)
    assert (migrated.mql_score, migrated.accepted_at, migrated.qualified_at) == (
        70,
        day + timedelta(hours=3),
        day + timedelta(hours=4),
    )
    assert migrated.marketing_qualified_at == datetime.fromtimestamp(1794300000, UTC)
    # (the version also counts the undo itself, which a fold skips)
    assert migrated.projection.model_dump(exclude={"version"}) == folded.model_dump(
        exclude={"version"}
    )


def test_a_new_hand_off_starts_a_new_clock(store: Store) -> None:
    lead = store.add_lead(make_lead())
    assert lead.id is not None
    store.became_mql(lead.id, at=NOW, score=70, fit=30, engagement=40)
    store.claim(lead.id, "dana", at=NOW, expected_version=1)
    store.log_attempt(
        lead.id, "dana", at=NOW, channel=Channel.CALL, outcome=AttemptOutcome.CONNECTED
    )
    store.accept(lead.id, "dana", at=NOW)
    store.return_to_nurture(lead.id, "dana", at=NOW, reason="not_now")
    later = NOW + timedelta(days=30)
    again = store.became_mql(lead.id, at=later, score=90, fit=40, engagement=50)
    assert (again.stage, again.owner, again.mql_at, again.mql_score) == (Stage.MQL, None, later, 90)
    assert (again.first_touch_at, again.first_connect_at, again.calls, again.accepted_at) == (
        None,
        None,
        0,
        None,
    )


def test_attempts_are_counted_by_quarter_hour_and_undo_counts_them_out(store: Store) -> None:
    lead = store.add_lead(make_lead())
    assert lead.id is not None
    store.became_mql(lead.id, at=NOW, score=70, fit=30, engagement=40)
    call, email = Channel.CALL, Channel.EMAIL
    store.log_attempt(lead.id, "dana", at=NOW, channel=call, outcome=AttemptOutcome.NO_ANSWER)
    store.log_attempt(lead.id, "dana", at=NOW, channel=call, outcome=AttemptOutcome.NO_ANSWER)
    store.log_attempt(lead.id, "dana", at=NOW, channel=email, outcome=AttemptOutcome.SENT)
    store.undo_last("dana", at=NOW)  # the email
    counted = store.conn.execute(
        "SELECT rep, slot * 900, channel, outcome, attempts FROM attempt_slots ORDER BY channel"
    ).fetchall()
    slot = int(NOW.timestamp()) // 900 * 900
    assert counted == [("dana", slot, "call", "no_answer", 2), ("dana", slot, "email", "sent", 0)]
    # A file from before schema 9 gets the same counts from its log.
    back_to(store.conn, 8)
    with Store(store.path) as again:
        rebuilt = again.conn.execute(
            "SELECT rep, slot * 900, channel, outcome, attempts FROM attempt_slots"
        ).fetchall()
    assert rebuilt == [("dana", slot, "call", "no_answer", 2)]


def test_moves_are_counted_by_source_and_reason_and_undo_counts_them_out(store: Store) -> None:
    first, second = (
        store.add_lead(make_lead(email=f"{n}@acme.com", source=source))
        for n, source in ((1, "web_form"), (2, "trade_show"))
    )
    assert first.id is not None and second.id is not None
    for lead in (first, second):
        assert lead.id is not None
        store.became_mql(lead.id, at=NOW, score=70, fit=30, engagement=40)
        store.claim(lead.id, "dana", at=NOW, expected_version=store.lead(lead.id).version)
    store.disqualify(first.id, "dana", at=NOW, reason="bad_data")
    store.return_to_nurture(second.id, "dana", at=NOW, reason="not_now")
    store.undo_last("dana", at=NOW)  # the return to nurture
    counted = store.conn.execute(
        "SELECT rep, source, kind, reason, moves FROM move_slots ORDER BY source"
    ).fetchall()
    assert counted == [
        ("dana", "trade_show", "returned_to_nurture", "not_now", 0),
        ("dana", "web_form", "disqualified", "bad_data", 1),
    ]


def test_the_sla_arithmetic_is_kept_on_the_lead_and_forgotten_when_it_moves(
    store: Store, terms: Agreement
) -> None:
    store.use(terms)
    lead = store.add_lead(make_lead(source="web_form"))  # first touch due in 60 business min
    assert lead.id is not None
    handed = datetime(2026, 11, 13, 23, 30, tzinfo=UTC)  # Friday 17:30 in Chicago
    store.became_mql(lead.id, at=handed, score=70, fit=30, engagement=40)
    store.claim(lead.id, "dana", at=handed, expected_version=store.lead(lead.id).version)
    monday = datetime(2026, 11, 16, 14, 40, tzinfo=UTC)  # 08:40: 30 + 40 business minutes
    store.log_attempt(
        lead.id, "dana", at=monday, channel=Channel.CALL, outcome=AttemptOutcome.CONNECTED
    )

    def worked_out() -> tuple[object, ...]:
        return tuple(
            store.conn.execute(
                "SELECT touch_due_at, to_first_touch, to_first_connect, cadence_ends_at "
                "FROM leads WHERE id = ?",
                (lead.id,),
            ).fetchone()
        )

    due, touch, connect, cadence_end = worked_out()
    assert due == int(datetime(2026, 11, 16, 14, 30, tzinfo=UTC).timestamp())  # Mon 08:30
    assert (touch, connect) == (70 * 60, 70 * 60)
    assert cadence_end is not None and cadence_end > due
    # Another program (no agreement in hand) moves the lead: the figures are forgotten.
    with Store(store.path) as plain:
        plain.return_to_nurture(lead.id, "dana", at=monday, reason="not_now")
        plain.became_mql(lead.id, at=monday, score=80, fit=30, engagement=50)
    assert worked_out() == (None, None, None, None)
