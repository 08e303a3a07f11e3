"""Time from any era: history from 2009 imports calmly, moments outside 1970-2199 are
refused at every door, and a file that already holds one still opens and reports."""

from __future__ import annotations

import csv
import json
import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from leadtui.cli import main
from leadtui.core import sla
from leadtui.core.agreement import Agreement
from leadtui.core.calendar import BusinessCalendar
from leadtui.core.models import Event, EventKind
from leadtui.core.moments import MomentOutOfRange
from leadtui.importing import import_leads
from leadtui.store import Store
from tests import on_disk
from tests.conftest import NOW, make_lead

HEADER = "Email,Name,Company,Title,Lead Source,Created Date,MQL Date"


def _csv(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_lead_handed_over_in_2016_imports_and_its_clock_reads(
    store: Store, terms: Agreement, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path / "history.csv",
        "old@granite.com,Ada Old,Granite,VP of IT,web_form,2015-12-01,2016-01-05",
        "early@granite.com,Bea Early,Granite,VP of IT,web_form,1900-01-01,",
        "late@granite.com,Cy Late,Granite,VP of IT,web_form,2026-01-01,9999-12-31",
        "zone@granite.com,Di Zone,Granite,VP of IT,web_form,0001-01-01T00:00+05:00,",
    )
    summary = import_leads(store, path, agreement=terms, now=NOW)
    assert (summary.imported, summary.rejected) == (1, 3)
    with (tmp_path / "history.rejects.csv").open(encoding="utf-8") as handle:
        reasons = {row["Email"]: row["reason"] for row in csv.DictReader(handle)}
    assert reasons["early@granite.com"].startswith("created_at '1900-01-01' is outside")
    assert reasons["late@granite.com"].startswith("mql_at '9999-12-31' is outside")
    assert "1970-01-01 to 2199-12-31" in reasons["zone@granite.com"]
    (lead,) = [store.lead(1)]
    assert lead.mql_at == datetime(2016, 1, 5, tzinfo=UTC)
    calendar = BusinessCalendar(terms.sla)
    reading = sla.read(lead, terms.sla, calendar, NOW)
    assert reading.state is sla.SlaState.BREACHED
    assert reading.due is not None and reading.left == -calendar.between(reading.due, NOW)


def test_an_import_that_fails_after_its_rows_were_read_leaves_nothing(
    store: Store, terms: Agreement, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _csv(
        tmp_path / "leads.csv",
        "ada@granite.com,Ada,Granite,VP of IT,web_form,2026-10-01,2026-11-16",
    )

    def broken(*args: object, **kwargs: object) -> None:  # a fault no real part gives on cue
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(Store, "refresh_due", broken)
    with pytest.raises(RuntimeError):
        import_leads(store, path, agreement=terms, now=NOW)
    assert on_disk.value(store, "SELECT count(*) FROM leads") == 0
    assert on_disk.value(store, "SELECT count(*) FROM events") == 0
    monkeypatch.undo()
    assert import_leads(store, path, agreement=terms, now=NOW).imported == 1
    assert [e.kind for e in store.events()][:1] == [EventKind.BECAME_MQL]


def test_the_store_refuses_an_event_from_outside_the_range(store: Store) -> None:
    kept = store.add_lead(make_lead())
    for at in (datetime(1969, 12, 31, 23, 59, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)):
        event = Event(lead_id=kept.id, kind=EventKind.BECAME_MQL, actor="system", at=at)
        with pytest.raises(MomentOutOfRange, match="outside the dates leadtui keeps"):
            store.record(event)
    assert store.events(kept.id or 0) == []


@pytest.mark.parametrize(
    "args",
    [
        ("report", "sla", "--since", "1969-12-31"),
        ("report", "funnel", "--until", "2200-01-01"),
        ("report", "attempts", "--at", "1900-01-01"),
        ("rescore", "--at", "9999-12-31"),
    ],
)
def test_options_outside_the_range_are_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: tuple[str, ...]
) -> None:
    code, out, err = _run(capsys, "--db", str(tmp_path / "x.db"), "--as", "dana", *args)
    assert code == 2 and out == ""
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]  # after click's usage lines, the one that says why
    assert last.startswith("Error: Invalid value for '--")
    assert last.endswith("is outside the dates leadtui keeps (1970-01-01 to 2199-12-31)")


def test_a_report_over_2015_and_2016_is_measured(
    capsys: pytest.CaptureFixture[str], store: Store, terms: Agreement, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path / "history.csv",
        "old@granite.com,Ada Old,Granite,VP of IT,web_form,2015-12-01,2016-01-05",
    )
    import_leads(store, path, agreement=terms, now=NOW)
    db = str(store.path)
    for kind in ("sla", "funnel", "attempts", "breaches"):
        code, out, err = _run(
            capsys, "--db", db, "report", kind, "--since", "2015-01-01", "--until", "2016-12-31"
        )
        assert code == 0, err
    code, out, _ = _run(
        capsys,
        "--db",
        db,
        "report",
        "breaches",
        "--since",
        "2015-01-01",
        "--until",
        "2016-12-31",
        "--format",
        "json",
    )
    (breach,) = json.loads(out)
    assert breach["lead"] == 1 and breach["touched_at"] is None


def _older_file(path: Path, work: Store) -> dict[str, int]:
    """Moments an older version let in, written straight into a copy of the demo."""
    work.close()
    conn = sqlite3.connect(path)
    open_ids = [
        row[0]
        for row in conn.execute(
            "SELECT id FROM leads WHERE stage IN ('mql', 'working') ORDER BY id LIMIT 4"
        )
    ]
    year_one, year_9999, year_1900 = -62135596800, 253402300799, -2208988800
    conn.execute("UPDATE leads SET mql_at = ? WHERE id = ?", (year_one, open_ids[0]))
    conn.execute("UPDATE leads SET mql_at = ? WHERE id = ?", (year_9999, open_ids[1]))
    conn.execute("UPDATE leads SET first_touch_at = ? WHERE id = ?", (year_1900, open_ids[2]))
    conn.execute(
        "INSERT INTO events(id, lead_id, kind, actor, at, payload) VALUES (?, ?, ?, ?, ?, ?)",
        (
            str(uuid.uuid4()),
            open_ids[3],
            "attempt",
            "dana",
            year_1900,
            json.dumps({"channel": "call", "outcome": "voicemail", "note": ""}),
        ),
    )
    conn.execute(
        "INSERT INTO activities(lead_id, kind, at, detail) VALUES (?, 'pricing_page', ?, '')",
        (open_ids[3], year_9999),
    )
    conn.commit()
    conn.close()
    return {"year one": open_ids[0], "year 9999": open_ids[1], "touched 1900": open_ids[2]}


def test_a_file_that_holds_such_moments_opens_reads_and_reports(
    capsys: pytest.CaptureFixture[str], work: Store, terms: Agreement
) -> None:
    path = work.path
    strays = _older_file(path, work)
    db = str(path)
    for name, lead_id in strays.items():
        code, out, err = _run(capsys, "--db", db, "lead", "show", str(lead_id))
        assert code == 0, (name, err)
        assert "SLA: no clock:" in out and "outside the dates leadtui keeps" in out, name
    code, out, err = _run(capsys, "--db", db, "lead", "show", str(strays["year one"]), "--json")
    assert code == 0 and json.loads(out)["mql_at"].startswith("0001-01-01")
    code, _, err = _run(capsys, "--db", db, "rescore", "--at", "2026-11-17T16:40:00Z")
    assert code == 0, err
    with Store(path) as store:
        touched = store.lead(strays["touched 1900"])
        assert touched.first_touch_at == datetime(1900, 1, 1, tzinfo=UTC)
        assert sla.next_due(touched, terms.sla, BusinessCalendar(terms.sla)) is None
        handed = touched.mql_at
    assert handed is not None
    day = handed.date()
    args = ("--since", str(day - timedelta(days=1)), "--until", str(day + timedelta(days=1)))
    code, out, err = _run(capsys, "--db", db, "report", "sla", *args)
    assert code == 0, err
    assert f"lead {strays['touched 1900']}" in out.splitlines()[-1]
    assert out.splitlines()[-1].startswith("note: ")
    code, out, err = _run(capsys, "--db", db, "report", "breaches", *args, "--format", "csv")
    assert code == 0 and "note: " in err and "note" not in out
    lead_ids = {row.split(",")[0] for row in out.splitlines()[1:]}
    assert str(strays["touched 1900"]) not in lead_ids
