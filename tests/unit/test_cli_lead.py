"""Working leads from the command line, as a rep would, against a copy of the demo."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from leadtui.cli import main
from leadtui.core import agreement as agreement_file
from leadtui.core.clock import FixedClock
from leadtui.core.lifecycle import CHECKLIST
from leadtui.core.models import NOTE_MAX, EventKind, Stage
from leadtui.demo import DEMO_NOW
from leadtui.desk import Desk
from leadtui.store import Store, View
from tests import on_disk
from tests.unit.test_demo import REPO


@pytest.fixture
def db(tmp_path: Path) -> str:
    copy = tmp_path / "team.db"
    shutil.copyfile(REPO / "demo.db", copy)
    return str(copy)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_lead_worked_from_next_to_qualified(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    with Store(db) as store:
        # `next` hands out the pool's top lead still in time, at the demo's clock: the
        # soonest deadline within the due-soon margin, else what falls due today by
        # score; a lead already late waits behind every one still in time
        desk = Desk(store, agreement_file.load(), FixedClock(DEMO_NOW), "dana")
        now, soon, today = DEMO_NOW, desk.soon(), desk.day_ends()
        marks = {
            key: int(moment.timestamp())
            for key, moment in (("now", now), ("soon", soon), ("today", today))
        }
        pool = "stage = 'mql' AND owner IS NULL AND next_due_at >= :now"
        urgent = on_disk.rows(
            store,
            f"SELECT id FROM leads WHERE {pool} AND next_due_at <= :soon "
            "ORDER BY next_due_at, id LIMIT 1",
            marks,
        )
        today_by_score = on_disk.rows(
            store,
            f"SELECT id FROM leads WHERE {pool} AND next_due_at > :soon "
            "AND next_due_at <= :today ORDER BY score DESC, mql_at, id LIMIT 1",
            marks,
        )
        late = on_disk.value(
            store,
            "SELECT count(*) FROM leads WHERE stage = 'mql' AND owner IS NULL "
            "AND next_due_at < :now",
            marks,
        )
        assert (urgent or today_by_score) and late > 0  # the demo's pool holds both
        top = store.lead((urgent or today_by_score)[0][0])
    code, out, _ = _run(capsys, "--db", db, "--as", "dana", "next", "--json")
    assert code == 0
    claimed = json.loads(out)
    assert (claimed["id"], claimed["owner"], claimed["stage"]) == (top.id, "dana", "working")
    assert claimed["rationale"].startswith(top.title)
    lead = str(top.id)
    steps = [
        ("lead", "log", lead, "call", "--outcome", "no-answer"),
        ("lead", "log", lead, "email", "--outcome", "sent", "--note", "intro + case study"),
        ("lead", "log", lead, "call", "--outcome", "connected", "--note", "wants pricing"),
        ("lead", "accept", lead),
        ("lead", "qualify", lead, "--confirm", "decision_maker,budget,need,timing"),
    ]
    for step in steps:
        code, out, err = _run(capsys, "--db", db, "--as", "dana", *step)
        assert code == 0, (step, err)
    assert out.startswith(f"lead {lead} {top.name} ({top.company}): qualified, dana, score ")
    assert out.splitlines()[1] == "  SLA: no SLA: qualified"  # with sales no longer
    with Store(db) as store:
        done = store.lead(top.id or 0)
        assert (done.stage, done.calls, done.emails) == (Stage.QUALIFIED, 2, 1)
        assert done.first_connect_at is not None
        kinds = [event.kind for event in store.events(top.id)]
        assert kinds[-6:] == [
            EventKind.CLAIMED,
            EventKind.ATTEMPT,
            EventKind.ATTEMPT,
            EventKind.ATTEMPT,
            EventKind.ACCEPTED,
            EventKind.QUALIFIED,
        ]
        assert store.events(top.id)[-4].payload["note"] == "intro + case study"


def test_refusals_are_one_line_and_change_nothing(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store(db) as store:
        top = store.queue_page(View.UNASSIGNED, limit=1).leads[0]
        before = len(store.events())
    lead = str(top.id)
    cases = [
        (("--as", "dana", "lead", "accept", lead), "leadtui: cannot accept a lead that is mql; "),
        (
            ("--as", "dana", "lead", "disqualify", lead, "--reason", "rude"),
            "leadtui: disqualify needs a reason: one of student, ",
        ),
        (("lead", "claim", lead), "leadtui: say who you are: leadtui --as REP ..."),
        (("--as", "nobody", "lead", "claim", lead), "leadtui: there is no rep 'nobody'"),
        (("--as", "dana", "lead", "show", "999999"), "leadtui: there is no lead 999999"),
        (
            ("--as", "dana", "lead", "qualify", lead, "--confirm", "budget"),
            "leadtui: cannot qualify a lead that is mql",
        ),
    ]
    for args, start in cases:
        code, out, err = _run(capsys, "--db", db, *args)
        assert code == 1, args
        assert err.startswith(start), (args, err)
        assert len(err.strip().splitlines()) == 1 and out == ""
    code, _, _ = _run(capsys, "--db", db, "--as", "dana", "lead", "claim", lead)
    assert code == 0
    code, _, err = _run(capsys, "--db", db, "--as", "marcus", "lead", "claim", lead)
    assert code == 1 and "cannot claim a lead that is working" in err
    code, _, err = _run(
        capsys, "--db", db, "--as", "marcus", "lead", "log", lead, "call", "--outcome", "voicemail"
    )
    assert code == 1 and "this lead is dana's; ask a team lead to reassign it" in err
    with Store(db) as store:
        assert len(store.events()) == before + 1  # only dana's claim


def test_show_explains_the_lead(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    with Store(db) as store:
        lead = store.queue_page(View.MINE, rep="dana", limit=1).leads[0]
        card = store.lead(lead.id)
    lead_phone, lead_email = card.phone, card.email
    code, out, _ = _run(capsys, "--db", db, "lead", "show", str(lead.id))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        f"lead {lead.id} {lead.name} ({lead.company}): {lead.stage.value}, dana, score {lead.score}"
    )
    assert lines[1].startswith("  SLA: ")
    assert lines[2] == f"  {' · '.join(part for part in (lead_phone, lead_email) if part)}"
    assert lines[4] == f"  score {lead.score} = fit {lead.fit} + engagement {lead.engagement}"


def test_a_lead_nobody_has_spoken_with_is_not_qualified(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    lead = str(
        on_disk.value(
            Path(db),
            "SELECT id FROM leads WHERE stage = 'working' AND owner = 'dana' "
            "AND first_connect_at IS NULL LIMIT 1",
        )
    )
    assert _run(capsys, "--db", db, "--as", "dana", "lead", "accept", lead)[0] == 0
    code, _, err = _run(
        capsys, "--db", db, "--as", "dana", "lead", "qualify", lead, "--confirm", "budget"
    )
    assert (code, err) == (
        1,
        "leadtui: cannot qualify a lead nobody has spoken with yet: log a call that got "
        "through or an email answered first\n",
    )
    _run(capsys, "--db", db, "--as", "dana", "lead", "log", lead, "email", "--outcome", "replied")
    code, out, _ = _run(
        capsys,
        "--db",
        db,
        "--as",
        "dana",
        "lead",
        "qualify",
        lead,
        "--confirm",
        ",".join(CHECKLIST),
    )
    assert code == 0 and ": qualified, dana," in out.splitlines()[0]


def test_a_moves_reason_reads_in_the_agreements_words(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "--db", db, "--as", "dana", "next", "--json")
    lead = str(json.loads(out)["id"])
    _run(capsys, "--db", db, "--as", "dana", "lead", "nurture", lead, "--reason", "not_now")
    code, out, _ = _run(capsys, "--db", db, "lead", "show", lead)
    assert "returned to nurture (interested, but not this quarter), by dana" in " ".join(
        out.split()
    )


def test_undo_from_the_command_line(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--db", db, "--as", "dana", "next", "--json")
    lead = str(json.loads(out)["id"])
    _run(capsys, "--db", db, "--as", "dana", "lead", "disqualify", lead, "--reason", "bad_data")
    code, out, _ = _run(capsys, "--db", db, "--as", "dana", "lead", "undo")
    said, card = out.splitlines()[:2]
    words = "fake or unreachable contact details"  # the agreement's words for bad_data
    assert code == 0 and said.startswith(f"took back your disqualification ({words}) on ")
    assert ": working, dana," in card
    code, out, _ = _run(capsys, "--db", db, "--as", "dana", "lead", "undo")
    said, card = out.splitlines()[:2]
    assert code == 0 and said.startswith("took back your claim on ")
    assert ": mql, unassigned," in card
    code, _, err = _run(capsys, "--db", db, "--as", "morgan", "lead", "undo")
    assert (code, err) == (
        1,
        "leadtui: nothing of yours to undo in this demo yet (its own past is not taken back)\n",
    )


def test_team_load_and_reassigning(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--db", db, "team")
    assert code == 0
    with Store(db) as store:
        counts = store.counts()
        dana_open = counts.by_owner["dana"]
        lead = store.queue_page(View.MINE, rep="dana", limit=1).leads[0]
    lines = out.splitlines()
    assert lines[0] == f"{counts.unassigned:,} unassigned · {counts.open:,} open"
    dana = next(line for line in lines if "Dana Whitfield" in line)
    assert f"{dana_open:>4} of 40" in dana and f"({40 - dana_open} free)" in dana
    code, _, err = _run(
        capsys, "--db", db, "--as", "dana", "lead", "reassign", str(lead.id), "--to", "marcus"
    )
    assert code == 1 and "only a team lead can reassign leads" in err
    code, out, _ = _run(
        capsys, "--db", db, "--as", "morgan", "lead", "reassign", str(lead.id), "--to", "marcus"
    )
    assert code == 0 and ", marcus, score" in out.splitlines()[0]
    code, out, _ = _run(capsys, "--db", db, "team")
    marcus = next(line for line in out.splitlines() if "Marcus Lee" in line)
    assert f"{counts.by_owner['marcus'] + 1:>4} of 40" in marcus


def test_snooze_pauses_the_clock(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--db", db, "--as", "dana", "next", "--json")
    lead = str(json.loads(out)["id"])
    code, out, _ = _run(capsys, "--db", db, "--as", "dana", "lead", "snooze", lead, "--hours", "3")
    assert code == 0
    assert out.splitlines()[1].startswith("  SLA: paused: snoozed until ")
    code, _, err = _run(capsys, "--db", db, "--as", "dana", "lead", "snooze", lead)
    assert (code, err) == (1, "leadtui: give --hours or --until\n")


def test_a_note_or_reason_over_the_limit_is_refused_in_one_line(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "--db", db, "--as", "dana", "next", "--json")
    lead = str(json.loads(out)["id"])
    with Store(db) as store:
        before = len(store.events())
    too_long = "n" * (NOTE_MAX + 1)
    for args in (
        ("log", lead, "call", "--outcome", "no-answer", "--note", too_long),
        ("accept", lead, "--note", too_long),
        ("disqualify", lead, "--reason", too_long),
    ):
        code, out, err = _run(capsys, "--db", db, "--as", "dana", "lead", *args)
        option = args[-2]
        assert (code, out) == (1, ""), args
        assert err == f"leadtui: {option} is 4,001 characters; it holds at most 4,000\n"
    with Store(db) as store:
        assert len(store.events()) == before
    note = "n" * NOTE_MAX
    code, _, _ = _run(
        capsys,
        "--db",
        db,
        "--as",
        "dana",
        "lead",
        "log",
        lead,
        "call",
        "--outcome",
        "no-answer",
        "--note",
        note,
    )
    assert code == 0
    with Store(db) as store:
        assert store.events()[-1].payload["note"] == note
