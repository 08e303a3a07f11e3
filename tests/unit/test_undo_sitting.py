"""Undo is for the mistake just made: only the rep's own changes from this sitting of
the app (the command line: the last 10 minutes), and it says what it took back."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from leadtui.cli import main
from leadtui.core import agreement as agreement_file
from leadtui.core.clock import FixedClock
from leadtui.core.models import AttemptOutcome, Channel, EventKind
from leadtui.demo import DEMO_NOW
from leadtui.desk import Desk
from leadtui.store import NothingToUndo, Store
from tests.unit.test_demo import REPO


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    copy = tmp_path / "demo.db"
    shutil.copyfile(REPO / "demo.db", copy)
    return copy


def test_a_fresh_sitting_has_nothing_to_undo(demo: Path) -> None:
    with Store(demo) as store:
        before = store.last_seq()
        desk = Desk(store, agreement_file.load(), FixedClock(DEMO_NOW), "dana")
        with pytest.raises(NothingToUndo, match="^nothing of yours to undo since you opened"):
            desk.undo()
        assert store.last_seq() == before  # nothing was taken back


def test_undo_takes_back_this_sittings_change_and_says_which(demo: Path) -> None:
    with Store(demo) as store:
        desk = Desk(store, agreement_file.load(), FixedClock(DEMO_NOW), "dana")
        lead = desk.next_lead()
        assert lead.id is not None
        desk.log(lead.id, Channel.CALL, AttemptOutcome.NO_ANSWER, "try after 2pm")
        undone = desk.undo()
        assert undone.words == f"took back your call (no answer) on {lead.name}, made 0 s ago"
        assert undone.lead.calls == lead.calls
        assert desk.undo().words == f"took back your claim on {lead.name}, made 0 s ago"
        with pytest.raises(NothingToUndo):
            desk.undo()  # the sitting's changes are all taken back; older ones stay


def test_the_command_line_reaches_back_ten_minutes(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store(demo) as store:
        mine = [
            event
            for lead_id in range(1, 5001)
            for event in store.events(lead_id)
            if event.actor == "priya" and event.kind is EventKind.ACCEPTED
        ]
        assert mine and all(DEMO_NOW - event.at > timedelta(minutes=10) for event in mine)
        before = store.last_seq()
    code = main(["--db", str(demo), "--as", "priya", "lead", "undo"])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err == (
        "leadtui: nothing of yours to undo in this demo yet (its own past is not taken back)\n"
    )
    with Store(demo) as store:
        assert store.last_seq() == before


@pytest.mark.parametrize("rep", ["dana", "marcus", "sam", "tomas"])
def test_a_demos_own_past_is_not_undone_from_the_command_line(
    demo: Path, rep: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store(demo) as store:
        recent = [  # the generator made changes in this rep's name minutes before its clock
            event
            for lead_id in range(1, 5001)
            for event in store.events(lead_id)
            if event.actor == rep and DEMO_NOW - event.at < timedelta(minutes=10)
        ]
        before = store.last_seq()
    assert recent
    assert main(["--db", str(demo), "--as", rep, "lead", "undo"]) == 1
    assert "nothing of yours to undo in this demo yet" in capsys.readouterr().err
    with Store(demo) as store:
        assert store.last_seq() == before
    assert main(["--db", str(demo), "--as", rep, "next"]) == 0
    capsys.readouterr()
    assert main(["--db", str(demo), "--as", rep, "lead", "undo"]) == 0
    assert capsys.readouterr().out.startswith("took back your claim on ")
