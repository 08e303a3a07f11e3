"""The rep's desk: the command line and the app act on a lead the same way, because both
act through it. The same script, run through `leadtui` and through the desk the app
uses on two copies of one demo file, leaves the same log."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from leadtui.cli import main
from leadtui.core import agreement as agreement_file
from leadtui.core.agreement import Agreement
from leadtui.core.clock import FixedClock
from leadtui.core.lifecycle import CHECKLIST
from leadtui.core.models import AttemptOutcome, Channel, EventKind, Stage
from leadtui.demo import DEMO_NOW
from leadtui.desk import Desk, NoRep, TakenFirst, UnknownRep
from leadtui.store import Store, View
from tests.unit.test_demo import REPO

# Far enough ahead that the command line's own clock is still before it on any day
# these tests run; the desk's clock is the demo's.
UNTIL = datetime(2099, 1, 5, 15, 0, tzinfo=UTC)
ALL_CONFIRMED = {item: True for item in CHECKLIST}

Step = tuple[str, list[str], Callable[[Desk], object]]


def copy_of(demo_file: Path, folder: Path, name: str) -> Path:
    copy = folder / name
    copy.write_bytes(demo_file.read_bytes())
    return copy


def leadtui(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def the_pool(db: Path) -> list[int]:
    """The unassigned leads, top first, as the desk hands them out at the demo's clock
    (the command line works a demo file at that clock too)."""
    with Store(db) as store:
        desk = Desk(store, agreement_file.load(), FixedClock(DEMO_NOW), None)
        page = desk.queue(View.UNASSIGNED, limit=4)
    return [row.id for row in page.leads]


def script(first: int, second: int, third: int) -> list[Step]:
    """Each step: who acts, the command line's words for it, and the desk's."""
    x, y, z = str(first), str(second), str(third)
    return [
        ("dana", ["lead", "claim", x], lambda d: d.claim(first)),
        (
            "dana",
            ["lead", "log", x, "call", "--outcome", "no-answer", "--note", "after 2pm"],
            lambda d: d.log(first, Channel.CALL, AttemptOutcome.NO_ANSWER, "after 2pm"),
        ),
        (
            "dana",
            ["lead", "log", x, "email", "--outcome", "replied"],  # spoken with: may qualify
            lambda d: d.log(first, Channel.EMAIL, AttemptOutcome.REPLIED),
        ),
        (
            "dana",
            ["lead", "snooze", x, "--until", UNTIL.isoformat()],
            lambda d: d.snooze(first, UNTIL),
        ),
        (
            "dana",
            ["lead", "accept", x, "--note", "has budget"],
            lambda d: d.accept(first, "has budget"),
        ),
        (
            "dana",
            ["lead", "disqualify", x, "--reason", "bad_data", "--note", "wrong firm"],
            lambda d: d.disqualify(first, "bad_data", "wrong firm"),
        ),
        ("dana", ["lead", "undo"], lambda d: d.undo()),
        (
            "dana",
            ["lead", "qualify", x, "--confirm", ",".join(CHECKLIST)],
            lambda d: d.qualify(first, ALL_CONFIRMED),
        ),
        # an unclaimed MQL: logging an attempt on it claims it first
        (
            "dana",
            ["lead", "log", y, "call", "--outcome", "voicemail"],
            lambda d: d.log(second, Channel.CALL, AttemptOutcome.VOICEMAIL),
        ),
        ("morgan", ["lead", "reassign", y, "--to", "marcus"], lambda d: d.give(second, "marcus")),
        (
            "marcus",
            ["lead", "nurture", y, "--reason", "not_now"],
            lambda d: d.nurture(second, "not_now"),
        ),
        # the next unassigned lead, put aside: next hands out the one after it
        (
            "dana",
            ["lead", "snooze", z, "--until", UNTIL.isoformat()],
            lambda d: d.snooze(third, UNTIL),
        ),
        ("dana", ["next"], lambda d: d.next_lead()),
    ]


def logged(db: Path, since: int) -> list[tuple[object, ...]]:
    """The log from `since` on, as the two runs must agree on it: an undone event names
    the step it took back by its place in the run, not by its UUID."""
    with Store(db) as store:
        events = store.events()[since:]
    place = {event.id: index for index, event in enumerate(events)}
    written: list[tuple[object, ...]] = []
    for event in events:
        payload: dict[str, Any] = dict(event.payload)
        if event.kind is EventKind.UNDONE:
            payload["event"] = place[payload["event"]]
        written.append((event.lead_id, event.kind.value, event.actor, payload))
    return written


def events_in(db: Path) -> int:
    with Store(db) as store:
        return len(store.events())


def test_the_command_line_and_the_app_leave_the_same_log(
    demo_file: Path, tmp_path: Path, terms: Agreement, capsys: pytest.CaptureFixture[str]
) -> None:
    typed, pressed = (
        copy_of(demo_file, tmp_path, "typed.db"),
        copy_of(demo_file, tmp_path, "app.db"),
    )
    first, second, third, fourth = the_pool(typed)
    steps = script(first, second, third)
    since = events_in(typed)
    for rep, words, _ in steps:
        code, _, err = leadtui(capsys, typed, "--as", rep, *words)
        assert code == 0, (words, err)
    with Store(pressed) as store:
        for rep, _, act in steps:  # a desk per step, as each command opens its own
            act(Desk(store, terms, FixedClock(DEMO_NOW), rep))
    on_the_command_line = logged(typed, since)
    assert on_the_command_line == logged(pressed, since)
    kinds = [kind for _, kind, _, _ in on_the_command_line]
    assert kinds == [
        "claimed",
        "attempt",
        "attempt",
        "snoozed",
        "accepted",
        "disqualified",
        "undone",
        "qualified",
        "claimed",
        "attempt",
        "reassigned",
        "returned_to_nurture",
        "snoozed",
        "claimed",
    ]
    assert on_the_command_line[6][3] == {"event": 5, "kind": "disqualified"}
    assert on_the_command_line[-1][0] == fourth  # the snoozed third lead waits its turn
    for db in (typed, pressed):
        with Store(db) as store:
            assert store.lead(first).stage is Stage.QUALIFIED
            assert (store.lead(second).stage, store.lead(second).owner) == (
                Stage.RETURNED_TO_NURTURE,
                "marcus",
            )
            assert (store.lead(fourth).stage, store.lead(fourth).owner) == (Stage.WORKING, "dana")


def test_next_passes_over_a_snoozed_lead(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    untouched, snoozed = copy_of(demo_file, tmp_path, "a.db"), copy_of(demo_file, tmp_path, "b.db")
    code, out, _ = leadtui(capsys, untouched, "--as", "dana", "next", "--json")
    top = json.loads(out)["id"]
    code, _, err = leadtui(
        capsys, snoozed, "--as", "dana", "lead", "snooze", str(top), "--hours", "3"
    )
    assert code == 0, err
    code, out, err = leadtui(capsys, snoozed, "--as", "dana", "next", "--json")
    assert code == 0, err
    assert json.loads(out)["id"] != top
    with Store(snoozed) as store:
        put_aside = store.lead(top)
    assert (put_aside.owner, put_aside.snoozed_until is not None) == (None, True)


def test_logging_an_attempt_on_an_unclaimed_mql_claims_it_first(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = copy_of(demo_file, tmp_path, "team.db")
    lead = the_pool(db)[0]
    since = events_in(db)
    code, out, err = leadtui(
        capsys, db, "--as", "dana", "lead", "log", str(lead), "call", "--outcome", "no-answer"
    )
    assert code == 0, err
    assert ": working, dana, score" in out.splitlines()[0]
    assert [(kind, actor) for _, kind, actor, _ in logged(db, since)] == [
        ("claimed", "dana"),
        ("attempt", "dana"),
    ]


def test_a_refused_attempt_on_an_unclaimed_mql_leaves_it_unclaimed(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = copy_of(demo_file, tmp_path, "team.db")
    lead = the_pool(db)[0]
    since = events_in(db)
    code, _, err = leadtui(
        capsys, db, "--as", "dana", "lead", "log", str(lead), "email", "--outcome", "voicemail"
    )
    assert (code, err) == (1, "leadtui: an email ends bounced, replied, sent, not voicemail\n")
    assert events_in(db) == since  # the claim went back with the attempt
    with Store(db) as store:
        assert store.lead(lead).owner is None


def test_a_claim_someone_else_won_names_them(work: Store, terms: Agreement) -> None:
    row = work.queue_page(View.UNASSIGNED, limit=1).leads[0]
    Desk(work, terms, FixedClock(DEMO_NOW), "marcus").claim(row.id, row.version)
    dana = Desk(work, terms, FixedClock(DEMO_NOW), "dana")
    with pytest.raises(TakenFirst, match=f"^{row.name} was claimed by Marcus Lee 0 s ago$"):
        dana.claim(row.id, row.version)


def test_who_acts_is_known_before_anything_changes(work: Store, terms: Agreement) -> None:
    with pytest.raises(UnknownRep, match="^there is no rep 'nobody' in "):
        Desk(work, terms, FixedClock(DEMO_NOW), "nobody")
    row = work.queue_page(View.UNASSIGNED, limit=1).leads[0]
    before = len(work.events())
    with pytest.raises(NoRep, match=r"^say who you are: leadtui --as REP \.\.\.$"):
        Desk(work, terms, FixedClock(DEMO_NOW), None).claim(row.id)
    with pytest.raises(UnknownRep, match="^there is no rep 'nobody'$"):
        Desk(work, terms, FixedClock(DEMO_NOW), "morgan").give(row.id, "nobody")
    assert len(work.events()) == before


def test_next_hands_out_a_lead_still_in_time_before_a_stale_one(tmp_path: Path) -> None:
    """The pool's top lead by deadline is weeks late; `next` gives one that can still be
    reached in time, as long as there is one."""
    copy = tmp_path / "demo.db"
    shutil.copyfile(REPO / "demo.db", copy)
    with Store(copy) as store:
        desk = Desk(store, agreement_file.load(), FixedClock(DEMO_NOW), "dana")
        edge = desk.stale_before()
        by_deadline = store.queue_page(
            View.UNASSIGNED, limit=100, soon=desk.soon(), now=DEMO_NOW
        ).leads
        assert by_deadline[0].next_due_at is not None and by_deadline[0].next_due_at < edge
        fresh = [row for row in by_deadline if row.next_due_at and row.next_due_at >= edge]
        assert fresh
        taken = desk.next_lead()
        assert taken.id in {row.id for row in fresh}


def test_an_outcome_is_taken_as_people_type_it(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = copy_of(demo_file, tmp_path, "team.db")
    lead = str(the_pool(db)[0])
    for typed in ("no_answer", "No Answer", "no-answer"):
        code, _, err = leadtui(
            capsys, db, "--as", "dana", "lead", "log", lead, "call", "--outcome", typed
        )
        assert (code, err) == (0, ""), typed
    with Store(db) as store:
        assert store.lead(int(lead)).calls == 3
    code, _, err = leadtui(
        capsys, db, "--as", "dana", "lead", "log", lead, "call", "--outcome", "busy"
    )
    assert code == 1 and err.count("\n") == 1
    assert err.startswith("leadtui: --outcome 'busy' is not one: connected, voicemail, no-answer")
