"""`leadtui report` from the command line, and a public funnel's shape end to end:
MQLs with their first-contact date and origin, closed deals with the SDR and the won
date (the columns of Olist's marketing funnel dataset), imported with column
mappings, give the funnel a hand count over the two files gives."""

from __future__ import annotations

import csv
import json
import random
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from leadtui.cli import main
from leadtui.store import Store
from tests.unit.history import build_history

ORIGINS = ["organic_search", "paid_search", "social", "email", "referral", "unknown"]
SDRS = ["4b339f9567d060bcea4f5136b9f5949e", "068066e24f0c643eb1d089c7dd20cd73", "a8387c01"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def database(store: Store) -> str:
    """The hand-worked history of test_reports, in its file."""
    build_history(store)
    return str(store.path)


# The history's period, as of its Monday noon in Chicago.
PERIOD = ("--since", "2026-11-02", "--until", "2026-11-16", "--at", "2026-11-16T18:00:00Z")


def test_each_format_of_the_funnel(capsys: pytest.CaptureFixture[str], database: str) -> None:
    code, out, _ = run(capsys, "--db", database, "report", "funnel", *PERIOD)
    assert code == 0
    lines = out.splitlines()
    assert (
        lines[0]
        == "Funnel by source (median calendar time per step), Mon 02 Nov to Mon 16 Nov 2026"
    )
    web = next(line for line in lines if line.startswith("Web form "))  # in words for people
    assert web.split()[:7] == ["Web", "form", "6", "1", "1", "1", "0"]
    code, out, _ = run(capsys, "--db", database, "report", "funnel", *PERIOD, "--format", "json")
    rows = {row["group"]: row for row in json.loads(out)}
    assert rows["web_form"]["mql"] == 6 and rows["all"]["mql_to_won"] == 0.125
    assert rows["web_form"]["to_won_median_minutes"] == 67 * 60
    code, out, _ = run(capsys, "--db", database, "report", "funnel", *PERIOD, "--format", "csv")
    table = list(csv.DictReader(out.splitlines()))
    assert [row["group"] for row in table] == ["web_form", "trade_show", "all"]
    assert table[0]["sal_rate"] == str(round(1 / 6, 4))


def test_sla_breaches_and_attempts_from_the_command_line(
    capsys: pytest.CaptureFixture[str], database: str
) -> None:
    code, out, _ = run(capsys, "--db", database, "report", "sla", *PERIOD, "--format", "json")
    by_rep = {row["group"]: row for row in json.loads(out)}
    assert by_rep["dana"]["compliance"] == 0.5
    assert by_rep["dana"]["first_attempt_median_minutes"] == 30
    code, out, _ = run(capsys, "--db", database, "report", "breaches", *PERIOD)
    f = next(line for line in out.splitlines() if " f " in line)
    assert code == 0 and f.endswith("4 d")  # 42 business hours: four 10-hour days
    assert next(line for line in out.splitlines() if " a " in line).endswith("10 min")
    code, out, _ = run(capsys, "--db", database, "report", "attempts", *PERIOD, "--format", "csv")
    dana = next(row for row in csv.DictReader(out.splitlines()) if row["rep"] == "dana")
    assert (dana["calls"], dana["emails"], dana["returned_to_nurture"]) == ("5", "2", "1")


def test_sources_read_in_words_in_a_table_and_as_codes_in_csv(
    capsys: pytest.CaptureFixture[str], database: str
) -> None:
    code, out, _ = run(capsys, "--db", database, "report", "breaches", *PERIOD)
    assert code == 0 and "Web form" in out and "web_form" not in out
    code, out, _ = run(capsys, "--db", database, "report", "breaches", *PERIOD, "--format", "csv")
    assert {row["source"] for row in csv.DictReader(out.splitlines())} == {"web_form"}


def test_an_empty_range_says_so(capsys: pytest.CaptureFixture[str], database: str) -> None:
    code, out, _ = run(
        capsys,
        "--db",
        database,
        "report",
        "funnel",
        "--since",
        "2025-01-01",
        "--until",
        "2025-01-31",
    )
    assert code == 0
    assert out.strip() == "No leads were handed to sales from Wed 01 Jan to Fri 31 Jan 2025."
    code, out, _ = run(
        capsys,
        "--db",
        database,
        "report",
        "attempts",
        "--period",
        "today",
        "--at",
        "2026-11-21T18:00:00Z",
    )
    assert out.startswith("No attempts were logged on ")


def test_a_backwards_range_is_refused(capsys: pytest.CaptureFixture[str], database: str) -> None:
    code, _, err = run(
        capsys, "--db", database, "report", "sla", "--since", "2026-11-16", "--until", "2026-11-02"
    )
    assert code != 0 and "comes after" in err and len(err.strip().splitlines()) == 1


def write_funnel(folder: Path, leads: int = 120, seed: int = 3) -> tuple[Path, Path]:
    """Two files in the shape of the public dataset: every MQL, then the won deals."""
    draw = random.Random(seed)
    mqls, deals = folder / "mqls.csv", folder / "closed_deals.csv"
    rows = []
    with mqls.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["mql_id", "first_contact_date", "landing_page_id", "origin"])
        for number in range(leads):
            day = date(2018, 1, 1) + timedelta(days=draw.randrange(150))
            origin = draw.choice(ORIGINS) if draw.random() > 0.05 else ""
            row = [f"{number:032x}", day.isoformat(), f"page{draw.randrange(9)}", origin]
            writer.writerow(row)
            rows.append(row)
    with deals.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["mql_id", "seller_id", "sdr_id", "sr_id", "won_date", "lead_type"])
        for mql_id, first, _, _ in rows:
            if draw.random() < 0.3:
                won = date.fromisoformat(first) + timedelta(days=draw.randrange(1, 60))
                sdr = draw.choice(SDRS)
                writer.writerow([mql_id, "s", sdr, "r", f"{won} 14:05:09", "online_medium"])
    return mqls, deals


def test_a_public_funnel_imports_end_to_end(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    mqls, deals = write_funnel(tmp_path)
    db = str(tmp_path / "funnel.db")
    code, _, err = run(
        capsys,
        "--db",
        db,
        "import",
        "leads",
        str(mqls),
        "--map",
        "mql_id=external_id",
        "--map",
        "first_contact_date=mql_at",
        "--map",
        "origin=source",
    )
    assert code == 0, err
    code, _, err = run(
        capsys,
        "--db",
        db,
        "import",
        "outcomes",
        str(deals),
        "--outcome",
        "won",
        "--map",
        "mql_id=lead",
        "--map",
        "sdr_id=rep",
        "--map",
        "won_date=at",
    )
    assert code == 0, err
    # By hand, straight from the two files.
    with mqls.open() as source:
        origin = {row["mql_id"]: row["origin"] or "unknown" for row in csv.DictReader(source)}
    with deals.open() as source:
        sdr = {row["mql_id"]: row["sdr_id"] for row in csv.DictReader(source)}
    handed, won = Counter(origin.values()), Counter(origin[mql] for mql in sdr)
    span = ("--since", "2017-12-01", "--until", "2018-12-31", "--format", "json")
    code, out, _ = run(capsys, "--db", db, "report", "funnel", "--by", "source", *span)
    funnel = {row["group"]: row for row in json.loads(out)}
    assert {group: row["mql"] for group, row in funnel.items() if group != "all"} == handed
    for group, count in handed.items():
        assert funnel[group]["won"] == won[group]
        assert funnel[group]["mql_to_won"] == round(won[group] / count, 4)
    code, out, _ = run(capsys, "--db", db, "report", "funnel", "--by", "rep", *span)
    by_rep = {row["group"]: row for row in json.loads(out)}
    per_sdr = Counter(sdr.values())
    for rep_id, count in per_sdr.items():
        assert (by_rep[rep_id]["mql"], by_rep[rep_id]["won"]) == (count, count)
    assert by_rep["(unassigned)"]["mql"] == len(origin) - len(sdr)
    assert by_rep["all"]["won"] == len(sdr)


def test_a_demo_database_reports_as_of_its_own_clock(
    capsys: pytest.CaptureFixture[str], work: Store
) -> None:
    code, out, _ = run(capsys, "--db", str(work.path), "report", "funnel", "--period", "week")
    assert code == 0
    assert out.splitlines()[0].endswith("Mon 16 Nov to Tue 17 Nov 2026")  # the demo's week
