"""A rep's morning on the command line: the queue, a full card, a snooze said as people
say it, the reason codes in the help, the rep ids, and one clock for a demo file."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from leadtui.cli import main
from leadtui.core import agreement as agreement_file
from leadtui.core.clock import FixedClock
from leadtui.core.spoken import NotATime, when
from leadtui.demo import DEMO_NOW
from leadtui.desk import Desk
from leadtui.store import Store, View
from tests.unit.test_demo import REPO

CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    copy = tmp_path / "demo.db"
    shutil.copyfile(REPO / "demo.db", copy)
    return copy


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_queue_is_the_apps_queue(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--db", str(demo), "--as", "dana", "queue", "--json")
    assert code == 0
    shown = [json.loads(line) for line in out.splitlines()]
    with Store(demo) as store:
        desk = Desk(store, agreement_file.load(), FixedClock(DEMO_NOW), "dana")
        expected = desk.queue(View.MINE, limit=20).leads
    assert [lead["id"] for lead in shown] == [row.id for row in expected]
    assert shown[0]["place"].startswith("1st")
    code, out, _ = _run(capsys, "--db", str(demo), "queue", "--view", "unassigned", "--limit", "3")
    assert code == 0 and out.count("\n") >= 3 and "unassigned" in out
    code, out, err = _run(capsys, "--db", str(demo), "queue")
    assert (code, out) == (1, "")
    assert err == "leadtui: say whose queue: leadtui --as REP queue (or --view unassigned)\n"


def test_a_card_shows_how_to_reach_the_lead_and_what_happened(
    demo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    note = "asked for a call back after the board meeting; wants pricing for three sites " * 2
    code, out, _ = _run(capsys, "--db", str(demo), "--as", "dana", "next")
    assert code == 0
    lead_id = out.split()[1]
    args = ["--db", str(demo), "--as", "dana", "lead"]
    assert (
        _run(capsys, *args, "log", lead_id, "call", "--outcome", "voicemail", "--note", note)[0]
        == 0
    )
    code, out, _ = _run(capsys, *args, "show", lead_id)
    with Store(demo) as store:
        lead = store.lead(int(lead_id))
    assert code == 0 and lead.phone and lead.email
    assert f"  {lead.phone} · {lead.email}\n" in out
    timeline = out.split("  timeline:\n", 1)[1].splitlines()
    assert 'call: voicemail, by dana: "asked for a call back' in timeline[0]
    assert all(len(line) < 80 for line in timeline)
    assert len([line for line in timeline if line.startswith(" " * 27)]) >= 2  # wrapped
    assert any(line.endswith("claimed by dana") for line in timeline)


def test_a_demo_file_is_worked_at_the_demos_moment(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = _run(capsys, "--db", str(demo), "--as", "dana", "next")
    lead_id = out.split()[1]
    args = ["--db", str(demo), "--as", "dana"]
    assert _run(capsys, *args, "lead", "log", lead_id, "call", "--outcome", "connected")[0] == 0
    with Store(demo) as store:
        attempt = store.events(int(lead_id))[-1]
    assert abs(attempt.at - DEMO_NOW).total_seconds() < 60  # not the machine's clock
    code, out, _ = _run(
        capsys, *args, "report", "attempts", "--period", "today", "--format", "json"
    )
    assert code == 0
    dana = [row for row in json.loads(out) if row["rep"] == "dana"]
    assert dana and dana[0]["connects"] >= 1


def test_a_snooze_is_said_as_people_say_it(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "--db", str(demo), "--as", "dana", "next")
    lead_id = out.split()[1]
    args = ["--db", str(demo), "--as", "dana", "lead", "snooze", lead_id, "--until"]
    assert _run(capsys, *args, "tomorrow 14:00")[0] == 0
    with Store(demo) as store:
        until = store.lead(int(lead_id)).snoozed_until
    local = DEMO_NOW.astimezone(CHICAGO)
    assert until == datetime(local.year, local.month, local.day + 1, 14, tzinfo=CHICAGO)
    code, out, err = _run(capsys, *args, "someday")
    assert (code, out) == (1, "")
    assert err == (
        "leadtui: --until: 'someday' is not a time; say tomorrow, tomorrow 14:00, fri 9:30, "
        "16:00, next week, Dec 3, Dec 3 9:30, 2026-12-03 09:00, or 2026-12-03T09:00Z\n"
    )
    code, _, err = _run(capsys, *args, "2200-01-01T00:00:00Z")
    assert (code, err) == (
        1,
        "leadtui: --until: 2200-01-01T00:00:00Z is outside the dates leadtui keeps "
        "(1970-01-01 to 2199-12-31)\n",
    )
    code, _, err = _run(capsys, *args, "2020-01-01 09:00")
    assert code == 1 and err == "leadtui: --until 2020-01-01 09:00: that is already past\n"


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("tomorrow", datetime(2026, 12, 3, 8, tzinfo=CHICAGO)),
        ("Tomorrow  2pm", datetime(2026, 12, 3, 14, tzinfo=CHICAGO)),
        ("fri 9:30", datetime(2026, 12, 4, 9, 30, tzinfo=CHICAGO)),
        ("wednesday", datetime(2026, 12, 9, 8, tzinfo=CHICAGO)),  # today is a Wednesday
        ("16:00", datetime(2026, 12, 2, 16, tzinfo=CHICAGO)),
        ("8:15", datetime(2026, 12, 3, 8, 15, tzinfo=CHICAGO)),  # past today: tomorrow's
        ("2026-12-03 09:00", datetime(2026, 12, 3, 9, tzinfo=CHICAGO)),
        ("2026-12-03T09:00:00Z", datetime(2026, 12, 3, 9, tzinfo=UTC)),
        ("next week", datetime(2026, 12, 7, 8, tzinfo=CHICAGO)),  # Monday, at opening
        ("next week 10:30", datetime(2026, 12, 7, 10, 30, tzinfo=CHICAGO)),
        ("Dec 20", datetime(2026, 12, 20, 8, tzinfo=CHICAGO)),
        ("20 Dec 2 pm", datetime(2026, 12, 20, 14, tzinfo=CHICAGO)),
        ("Nov 20", datetime(2027, 11, 20, 8, tzinfo=CHICAGO)),  # no year: the next one
    ],
)
def test_spoken_times(said: str, expected: datetime) -> None:
    now = datetime(2026, 12, 2, 15, tzinfo=UTC)  # Wed 09:00 in Chicago
    assert when(said, now, CHICAGO, time(8)) == expected


@pytest.mark.parametrize(
    "said", ["someday", "25:00", "13pm", "thu 9:61", "0001-01-01", "yesterday", "3 days ago"]
)
def test_what_is_not_a_time_is_refused(said: str) -> None:
    with pytest.raises(NotATime):
        when(said, datetime(2026, 12, 2, 15, tzinfo=UTC), CHICAGO, time(8))


def test_help_lists_the_reason_codes_in_force_and_team_the_rep_ids(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ours = tmp_path / "agreement.toml"
    ours.write_text(
        agreement_file.default_text().replace(
            'not_now = "Interested, but not this quarter"',
            'not_now = "Interested, but not this quarter"\nevent_lead = "Met at a trade show"',
        )
    )
    monkeypatch.setenv("LEADTUI_AGREEMENT", str(ours))
    code, out, _ = _run(capsys, "lead", "nurture", "--help")
    assert code == 0 and "event_lead (Met at a trade" in " ".join(out.split())
    code, out, _ = _run(capsys, "lead", "disqualify", "--help")
    assert "competitor (Works for a competitor)" in " ".join(out.split())
    code, out, _ = _run(capsys, "--db", str(demo), "team")
    assert code == 0 and "  dana         Dana Whitfield" in out
