"""What the command line hands to spreadsheets and scripts: report CSV whose text cannot
run as a formula, JSON without Infinity, and a snooze a rep could mean."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from leadtui.cli import main
from leadtui.core.agreement import Agreement
from leadtui.core.sheets import cell
from leadtui.importing import import_leads
from leadtui.store import Store
from tests import on_disk
from tests.conftest import NOW
from tests.unit.test_demo import REPO


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_cell_that_would_run_as_a_formula_is_text_and_a_number_stays_one() -> None:
    for formula in ("=1+2", "+1 312 555", "-2+3", "-", "@SUM(A1)", "\tx", "\r=1", "=-1"):
        assert cell(formula) == "'" + formula
    for plain in ("-12.5", "+5", "-3e4", "12", "web_form", "2026-11-17T10:40:00+00:00", ""):
        assert cell(plain) == plain
    for number in (-12.5, -3, 0, 7, None):
        assert cell(number) == number
    assert (cell(float("inf")), cell(float("nan"))) == ("", "")


def test_report_csv_writes_a_source_that_looks_like_a_formula_as_text(
    store: Store, terms: Agreement, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "Email,Lead Source,MQL Date\n"
        "a@acme.com,=1+2,2026-11-02\n"
        'b@acme.com,"=HYPERLINK(""http://evil.example"")",2026-11-03\n'
        "c@acme.com,-12.5,2026-11-03\n",
        encoding="utf-8",
    )
    import_leads(store, leads, agreement=terms, now=NOW)
    period = ("--since", "2026-11-01", "--until", "2026-11-10", "--at", "2026-11-16T18:00:00Z")
    database = ("--db", str(store.path))
    code, out, err = _run(capsys, *database, "report", "funnel", *period, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(out.splitlines()))
    assert sorted(row["group"] for row in rows) == sorted(
        ["'=1+2", '\'=HYPERLINK("http://evil.example")', "-12.5", "all"]
    )
    assert {row["mql"] for row in rows if row["group"] != "all"} == {"1"}


@pytest.fixture
def db(tmp_path: Path) -> str:
    copy = tmp_path / "team.db"
    shutil.copyfile(REPO / "demo.db", copy)
    return str(copy)


def _working_lead(db: str) -> int:
    return int(
        on_disk.value(
            Path(db),
            "SELECT id FROM leads WHERE owner = 'dana' AND stage = 'working' ORDER BY id LIMIT 1",
        )
    )


def test_snooze_hours_beyond_a_year_or_not_a_number_are_refused_in_one_line(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    lead = str(_working_lead(db))
    with Store(db) as store:
        before = store.lead(int(lead)).snoozed_until
    for hours in ("100000000", "1e400", "nan", "8760.5", "0", "-3"):
        code, out, err = _run(
            capsys, "--db", db, "--as", "dana", "lead", "snooze", lead, "--hours", hours
        )
        assert code == 1 and out == "", hours
        assert err.count("\n") == 1 and "Traceback" not in err, err
        assert "at most 8,760 hours (a year)" in err, err
    with Store(db) as store:
        assert store.lead(int(lead)).snoozed_until == before
    code, _, err = _run(
        capsys, "--db", db, "--as", "dana", "lead", "snooze", lead, "--hours", "8760"
    )
    assert code == 0, err


def _no_constants(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def test_lead_show_json_never_prints_infinity_for_a_revenue_an_older_version_kept(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    lead = _working_lead(db)
    # as 400 nines were kept before
    on_disk.run(Path(db), "UPDATE leads SET revenue = ? WHERE id = ?", (float("inf"), lead))
    code, out, err = _run(capsys, "--db", db, "lead", "show", str(lead), "--json")
    assert code == 0, err
    assert json.loads(out, parse_constant=_no_constants)["revenue"] is None
