"""What the store keeps for the team lead's reports (schemas 8 to 11): what each
lead's latest hand-off began, attempts and moves counted by quarter-hour, each
lead's SLA arithmetic; kept right by every write, and filled in for older files."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from leadtui.core.agreement import Agreement
from leadtui.core.models import AttemptOutcome, Channel, Event, EventKind, Stage
from leadtui.core.projection import fold
from leadtui.store import Store, StoreError
from tests import on_disk
from tests.conftest import NOW, make_lead

LATER_THAN_8 = (  # what schemas 9 to 13 add, dropped to make a file of an older one
    "TRIGGER attempt_counted",
    "TRIGGER attempt_taken_back",
    "TABLE attempt_slots",
    "TRIGGER move_counted",
    "TRIGGER move_taken_back",
    "TABLE move_slots",
    "TRIGGER sla_worked_out_forgotten",
    "INDEX IF EXISTS leads_handed",
    "TABLE crm_pushes",
    "TABLE crm_links",
)


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
            lead_id=lead.id,
            kind=EventKind.BECAME_MQL,
            actor="system",
            at=day,
            payload={"score": 70, "fit": 30, "engagement": 40, "qualified_at": 1794300000},
        )
    )
    store.claim(lead.id, "dana", at=day, expected_version=1)
    store.accept(lead.id, "dana", at=day + timedelta(hours=1))
    store.undo_last("dana", at=day + timedelta(hours=2))  # the acceptance taken back
    store.accept(lead.id, "dana", at=day + timedelta(hours=3))
    store.qualify(
        lead.id,
        "dana",
        at=day + timedelta(hours=4),
        checklist=dict.fromkeys(("decision_maker", "budget", "need", "timing"), True),
    )
    folded = fold(store.events(lead.id))
    with on_disk.connected(store) as conn:
        back_to(conn, 7)
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
    counted = on_disk.rows(
        store,
        "SELECT rep, slot * 900, channel, outcome, attempts FROM attempt_slots ORDER BY channel",
    )
    slot = int(NOW.timestamp()) // 900 * 900
    assert counted == [("dana", slot, "call", "no_answer", 2), ("dana", slot, "email", "sent", 0)]
    # A file from before schema 9 gets the same counts from its log.
    with on_disk.connected(store) as conn:
        back_to(conn, 8)
    Store(store.path).close()
    rebuilt = on_disk.rows(
        store, "SELECT rep, slot * 900, channel, outcome, attempts FROM attempt_slots"
    )
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
    counted = on_disk.rows(
        store, "SELECT rep, source, kind, reason, moves FROM move_slots ORDER BY source"
    )
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
        return on_disk.rows(
            store,
            "SELECT touch_due_at, to_first_touch, to_first_connect, cadence_ends_at "
            "FROM leads WHERE id = ?",
            (lead.id,),
        )[0]

    due, touch, connect, cadence_end = worked_out()
    assert due == int(datetime(2026, 11, 16, 14, 30, tzinfo=UTC).timestamp())  # Mon 08:30
    assert (touch, connect) == (70 * 60, 70 * 60)
    assert cadence_end is not None and cadence_end > due
    # Another program (no agreement in hand) moves the lead: the figures are forgotten.
    with Store(store.path) as plain:
        plain.return_to_nurture(lead.id, "dana", at=monday, reason="not_now")
        plain.became_mql(lead.id, at=monday, score=80, fit=30, engagement=50)
    assert worked_out() == (None, None, None, None)


def test_the_reports_reads_cover_since_up_to_until(store: Store) -> None:
    """A hand-off at `since` is in, one at `until` is out; the attempts and moves are
    those of the quarter-hours between, by rep or by source."""
    start, until = NOW, NOW + timedelta(hours=1)
    inside, outside = (
        store.add_lead(make_lead(email=f"{n}@acme.com", source=source))
        for n, source in ((1, "web_form"), (2, "trade_show"))
    )
    assert inside.id is not None and outside.id is not None
    for lead, handed in ((inside, start), (outside, until)):
        assert lead.id is not None
        store.became_mql(lead.id, at=handed, score=70, fit=30, engagement=40)
        store.claim(lead.id, "dana", at=handed, expected_version=store.lead(lead.id).version)
        store.log_attempt(
            lead.id,
            "dana",
            at=handed + timedelta(minutes=10),
            channel=Channel.CALL,
            outcome=AttemptOutcome.CONNECTED,
        )
        store.disqualify(lead.id, "dana", at=handed + timedelta(minutes=20), reason="bad_data")
    assert [lead.id for lead in store.handed_over(start, until)] == [inside.id]
    assert [clock.source for clock in store.clocks_handed_over(start, until)] == ["web_form"]
    assert store.left_out_of_reports(start, until) == []
    slot = int((start + timedelta(minutes=10)).timestamp()) // 900 * 900
    assert store.attempts_by_quarter_hour(start, until) == [("dana", slot, 1, 0, 1)]
    assert [
        (move.who, move.kind, move.reason, move.count)
        for by_source in (False, True)
        for move in store.moves_made(start, until, by_source=by_source)
    ] == [("dana", "disqualified", "bad_data", 1), ("web_form", "disqualified", "bad_data", 1)]


def test_a_lead_holding_a_stray_time_is_left_out_and_named(store: Store) -> None:
    lead = store.add_lead(make_lead())
    assert lead.id is not None
    store.became_mql(lead.id, at=NOW, score=70, fit=30, engagement=40)
    with sqlite3.connect(store.path) as other:  # what an older version let in
        other.execute("UPDATE leads SET first_touch_at = 99999999999 WHERE id = ?", (lead.id,))
    later = NOW + timedelta(days=1)
    assert store.handed_over(NOW, later) == []
    assert store.left_out_of_reports(NOW, later) == [lead.id]


def test_a_report_read_that_fails_says_so_naming_the_file(store: Store) -> None:
    with sqlite3.connect(store.path) as other:
        other.execute("DROP TABLE move_slots")
    with pytest.raises(StoreError, match="leads.db"):
        store.moves_made(NOW, NOW + timedelta(days=1), by_source=True)
