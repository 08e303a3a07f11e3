"""The command line: help with examples, one-line errors, non-zero exits."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import click
import pytest

from leadtui import __version__
from leadtui.cli import cli, main
from leadtui.core import agreement as agreement_file


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--help")
    assert code == 0 and "leadtui --demo" in out
    code, out, _ = _run(capsys, "--version")
    assert code == 0 and out.strip() == f"leadtui, version {__version__}"


def _commands(group: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command under `group`, as click finds them (the top ones load on demand)."""
    found: list[tuple[str, ...]] = []
    if not isinstance(group, click.Group):
        return found
    context = click.Context(group)
    for name in group.list_commands(context):
        found.append((*prefix, name))
        found += _commands(group.get_command(context, name), (*prefix, name))
    return found


def test_every_command_has_help_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    commands = _commands(cli)
    assert ("agreement", "check") in commands and ("demo",) in commands
    for path in commands:
        code, out, _ = _run(capsys, *path, "--help")
        assert code == 0, path
        assert "Example" in out and "leadtui " in out.split("Example", 1)[1], path


def test_agreement_show_prints_the_default(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = _run(capsys, "--db", str(tmp_path / "x.db"), "agreement", "show")
    assert code == 0 and out == agreement_file.default_text()


def test_agreement_check_lists_every_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "agreement.toml"
    text = agreement_file.default_text().replace("points = 20", "points = -1", 1)
    path.write_text(text.replace("due_soon_minutes = 30", "due_soon_minutes = -1"))
    code, out, err = _run(capsys, "agreement", "check", str(path))
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"leadtui: {path}, line ") and "fit[1].points" in lines[0]
    assert "sla.due_soon_minutes" in lines[1]
    good = tmp_path / "good.toml"
    good.write_text(agreement_file.default_text())
    code, out, _ = _run(capsys, "agreement", "check", str(good))
    assert code == 0 and "valid" in out and "MQL threshold 60" in out


def test_a_broken_agreement_stops_every_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "agreement.toml"
    broken.write_text("fit_hurdle = 'high'\n")
    monkeypatch.setenv("LEADTUI_AGREEMENT", str(broken))
    code, out, err = _run(capsys, "demo", "--leads", "5", "--out", str(tmp_path / "d.db"))
    assert code == 1
    assert err.startswith(f"leadtui: {broken}, line 1: fit_hurdle:")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "d.db").exists()


def test_demo_command_writes_and_refuses_to_overwrite(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_file = tmp_path / "small.db"
    code, out, _ = _run(capsys, "demo", "--leads", "200", "--seed", "3", "--out", str(out_file))
    assert code == 0 and "200 leads" in out
    assert sqlite3.connect(out_file).execute("SELECT count(*) FROM leads").fetchone()[0] == 200
    code, _, err = _run(capsys, "demo", "--leads", "200", "--out", str(out_file))
    assert code == 1 and "already exists" in err
    code, _, _ = _run(capsys, "demo", "--leads", "50", "--out", str(out_file), "--force")
    assert code == 0
    assert sqlite3.connect(out_file).execute("SELECT count(*) FROM leads").fetchone()[0] == 50


def test_a_file_that_is_not_a_database_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database " * 200)
    code, _, err = _run(capsys, "--db", str(notes), "--as", "dana")
    assert code == 1
    assert err == f"leadtui: {notes} is not a leadtui database (or it is damaged)\n"


def test_debug_shows_the_traceback(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database " * 200)
    code, _, err = _run(capsys, "--debug", "--db", str(notes))
    assert code == 1 and "Traceback" in err


def test_an_unknown_rep_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from leadtui.store import Store

    Store(tmp_path / "team.db").close()
    code, _, err = _run(capsys, "--db", str(tmp_path / "team.db"), "--as", "nobody")
    assert code == 1 and "there is no rep 'nobody'" in err


def test_a_mistyped_database_is_refused_not_made(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    typo = tmp_path / "typo.db"
    for command in (["report", "funnel"], ["lead", "show", "1"], ["rescore"], ["--as", "dana"]):
        code, out, err = _run(capsys, "--db", str(typo), *command)
        assert (code, out) == (1, ""), command
        assert err.startswith(f"leadtui: there is no database {typo}; "), command
        assert len(err.strip().splitlines()) == 1
        assert not typo.exists(), command
    export = tmp_path / "leads.csv"
    export.write_text("Email,Name\nana@granite.example,Ana Ruiz\n")
    assert _run(capsys, "--db", str(typo), "import", "leads", str(export))[0] == 0
    assert typo.exists()  # an import makes the database it fills


def test_rescore_announces_new_mqls(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import json
    import shutil

    from tests.unit.test_demo import REPO

    copy = tmp_path / "demo.db"
    shutil.copyfile(REPO / "demo.db", copy)
    code, out, _ = _run(capsys, "--db", str(copy), "rescore", "--at", "2026-11-17T16:40:00Z")
    assert code == 0
    lines = out.splitlines()
    count = int(lines[0].split("· ")[1].split()[0])
    assert lines[0] == f"rescored 5,000 leads · {count} new MQLs" and count > 0
    assert len(lines) == 1 + count and all(line.startswith("  new MQL") for line in lines[1:])
    at = int(datetime(2026, 11, 17, 16, 40, tzinfo=UTC).timestamp())
    crossed = sqlite3.connect(copy).execute(
        "SELECT count(*) FROM events WHERE kind = 'became_mql' AND at = ?", (at,)
    )
    assert crossed.fetchone()[0] == count
    later = ["--json", "--at", "2026-11-17T17:00:00Z"]
    code, out, _ = _run(capsys, "--db", str(copy), "rescore", *later)
    assert code == 0 and json.loads(out)["new_mqls"] == []


def test_calibrate_reports_on_a_csv_history(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import csv

    from tests.unit.test_calibrate import _history

    history = _history(1200)
    path = tmp_path / "history.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(history.rows[0]))
        writer.writeheader()
        writer.writerows(history.rows)
    code, out, err = _run(capsys, "calibrate", str(path), "--outcome", "Converted")
    assert code == 0, err
    assert out.startswith("learned on 840 closed leads, judged on 360 held out\n")
    auc = float(out.splitlines()[1].split()[1])
    assert auc > 0.7
    assert "Lead Source: Referral" in out
    assert "left out Prospect ID: nearly every value is different" in out
    code, _, err = _run(capsys, "calibrate", str(path), "--outcome", "Won")
    assert code == 1
    assert err.startswith(f"leadtui: {path} has no column 'Won' (it has: Prospect ID,")


def test_import_from_the_command_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from tests.unit.test_importing import HEADER, INES

    leads = tmp_path / "leads.csv"
    leads.write_text(f"{HEADER}\n{INES}\nL-2,Bad,Row\n", encoding="utf-8")
    db = str(tmp_path / "team.db")
    code, out, _ = _run(capsys, "--db", db, "import", "leads", str(leads))
    assert code == 0
    assert out == "imported 1 · updated 0 · rejected 1 (see leads.rejects.csv)\n"
    code, out, _ = _run(capsys, "--db", db, "import", "leads", str(leads))
    assert out.startswith("imported 0 · updated 1 · rejected 1")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Email,Name\nj@b.com,Jos\xe9\n".encode("latin-1"))
    code, out, err = _run(capsys, "--db", db, "import", "leads", str(latin))
    assert code == 1 and out == ""
    assert err == (
        f"leadtui: {latin} is not UTF-8 (byte 0xe9 on line 2); save it as 'CSV UTF-8' "
        "and import it again\n"
    )
    code, _, err = _run(capsys, "--db", db, "import", "leads", str(leads), "--map", "nonsense")
    assert code == 1 and "write it as 'Column Header=field'" in err
    code, _, err = _run(capsys, "--db", db, "import", "leads", str(tmp_path / "none.csv"))
    assert code == 1 and err == f"leadtui: {tmp_path / 'none.csv'}: no such file\n"


def test_the_server_describes_its_api_without_a_warning(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-W",
            "error",
            "-m",
            "leadtui",
            "--db",
            str(tmp_path / "team.db"),
            "serve",
            "--openapi",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and '"openapi"' in done.stdout


def test_opening_the_app_imports_no_command() -> None:
    """The commands load when asked for, and what only they (or sync, the reports, an
    import) need loads with them: the app's start pays for none of it."""
    import subprocess
    import sys

    probe = "import sys, leadtui.cli, leadtui.cli.app, leadtui.tui.app; print(sorted(sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = done.stdout.strip()
    for module in ("report", "calibrate", "serve", "lead", "queue", "rescore"):
        assert f"'leadtui.cli.{module}'" not in loaded, loaded
    first_frame_needs_none_of = (
        "leadtui.core.wire",  # what sync sends: built when a sync round first runs
        "leadtui.importing",  # the CSV importer, even for its error's type
        "leadtui.reports",  # the team review's figures
        "leadtui.demo.generator",
        "leadtui.sync.client",
        "httpx",
        "sqlite_utils",  # only to migrate a file
    )
    for module in first_frame_needs_none_of:
        assert f"'{module}'" not in loaded, module
