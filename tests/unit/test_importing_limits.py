"""Importing real CSV files holding what exports hold at their worst: formulas, numbers
beyond any company, NUL bytes, cells of megabytes. Each is one row in the rejects file;
the rest of the file is imported."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from leadtui.core.agreement import Agreement
from leadtui.importing import ImportFailure, import_activities, import_leads
from leadtui.store import Store
from tests import on_disk
from tests.conftest import NOW


def _write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _rejects(path: Path) -> list[dict[str, str]]:
    with path.with_name(f"{path.stem}.rejects.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _emails(store: Store) -> list[str]:
    return [row[0] for row in on_disk.rows(store, "SELECT email FROM leads ORDER BY id")]


def test_the_rejects_file_keeps_formulas_as_text_and_numbers_as_they_are(
    store: Store, terms: Agreement, tmp_path: Path
) -> None:
    path = _write(
        tmp_path / "leads.csv",
        "Email,Name,Phone,Lead Source,Number of Employees",
        'not-an-email,"=HYPERLINK(""http://evil.example"",""open"")",+1 312 555 0199,=1+2,12',
        "ana@acme.com,@SUM(A1:A9),-12.5,web,-12",
        'bo@acme.com,"\tTabbed","\rReturned",-,lots',
    )
    summary = import_leads(store, path, agreement=terms, now=NOW)
    assert (summary.imported, summary.rejected) == (0, 3)
    rows = _rejects(path)
    assert [row["Name"] for row in rows] == [
        '\'=HYPERLINK("http://evil.example","open")',
        "'@SUM(A1:A9)",
        "'\tTabbed",
    ]
    assert [row["Phone"] for row in rows] == ["'+1 312 555 0199", "-12.5", "'\rReturned"]
    assert [row["Lead Source"] for row in rows] == ["'=1+2", "web", "'-"]
    assert [row["Number of Employees"] for row in rows] == ["12", "-12", "lots"]
    assert rows[0]["reason"] == "email 'not-an-email' is not an email address"


def test_numbers_beyond_their_bounds_are_rejected_rows(
    store: Store, terms: Agreement, tmp_path: Path
) -> None:
    nines = "9" * 400
    path = _write(
        tmp_path / "leads.csv",
        "Email,Number of Employees,Annual Revenue",
        f"a@acme.com,{nines},",
        f"b@acme.com,{'9' * 23},",
        "c@acme.com,10000001,",
        f"d@acme.com,,{nines}",
        "e@acme.com,,2000000b",
        'f@acme.com,"10,000,000","$1,000,000,000,000,000"',
    )
    summary = import_leads(store, path, agreement=terms, now=NOW)
    assert (summary.imported, summary.rejected) == (1, 5)
    assert [row["reason"] for row in _rejects(path)] == [
        f"employees '{'9' * 30}…' is more than 10,000,000",
        f"employees '{'9' * 23}' is more than 10,000,000",
        "employees '10000001' is more than 10,000,000",
        f"revenue '{'9' * 30}…' is more than 1,000,000,000,000,000",
        "revenue '2000000b' is more than 1,000,000,000,000,000",
    ]
    lead = store.lead(1)
    assert (lead.email, lead.employees, lead.revenue) == ("f@acme.com", 10_000_000, 10.0**15)


def test_a_nul_anywhere_in_a_row_rejects_that_row_and_a_binary_file_is_refused(
    store: Store, terms: Agreement, tmp_path: Path
) -> None:
    early = "early@acme.com,Ea\x00rly"  # within the first 4 KB
    filler = [f"lead{n}@acme.com,Lead {n}" for n in range(300)]  # past the first 4 KB
    path = _write(
        tmp_path / "leads.csv",
        "Email,Name",
        early,
        *filler,
        "late@acme.com,La\x00te",
        "z@acme.com,Z",
    )
    assert len("\n".join(filler)) > 4096
    summary = import_leads(store, path, agreement=terms, now=NOW)
    assert (summary.imported, summary.rejected) == (301, 2)
    rows = _rejects(path)
    assert [(row["line"], row["Email"]) for row in rows] == [
        ("2", "early@acme.com"),
        ("303", "late@acme.com"),
    ]
    assert {row["reason"] for row in rows} == {"column 'Name' holds a NUL character (binary data)"}
    assert "late@acme.com" not in _emails(store) and "z@acme.com" in _emails(store)
    wide = tmp_path / "wide.csv"  # UTF-16 saved without its byte-order mark
    wide.write_bytes("Email,Name\nwide@acme.com,Wide\n".encode("utf-16-le"))
    with pytest.raises(ImportFailure) as failure:
        import_leads(store, wide, agreement=terms, now=NOW)
    assert str(failure.value) == f"{wide} is not a CSV file (it holds binary data)"


def test_a_cell_of_megabytes_rejects_its_row_and_the_rest_import(
    store: Store, terms: Agreement, tmp_path: Path
) -> None:
    huge = "x" * 5_000_000
    spread = "line\n" * 30_000  # quoted over many lines, 150,000 characters
    path = _write(
        tmp_path / "leads.csv",
        "Email,Name,Notes",
        "a@acme.com,Ana,short",
        f"b@acme.com,Bo,{huge}",
        f'c@acme.com,Cy,"{spread}"',
        f"d@acme.com,Di,{'y' * 100_000}",
    )
    summary = import_leads(store, path, agreement=terms, now=NOW)
    assert (summary.imported, summary.rejected) == (2, 2)
    assert [(row["Email"], row["reason"]) for row in _rejects(path)] == [
        ("b@acme.com", "column 'Notes' holds 5,000,000 characters (at most 100,000)"),
        ("c@acme.com", "column 'Notes' holds 150,000 characters (at most 100,000)"),
    ]
    assert _emails(store) == ["a@acme.com", "d@acme.com"]
    assert store.lead(2).custom == {"Notes": "y" * 100_000}


def test_activities_with_a_nul_or_a_huge_cell_reject_those_rows(
    store: Store, terms: Agreement, tmp_path: Path
) -> None:
    import_leads(
        store, _write(tmp_path / "leads.csv", "Email", "ana@acme.com"), agreement=terms, now=NOW
    )
    path = _write(
        tmp_path / "visits.csv",
        "Email,Activity,Date,Page",
        "ana@acme.com,pricing_page,2026-11-16,/pricing",
        "ana@acme.com,pricing_page,2026-11-16,/pri\x00cing",
        f"ana@acme.com,pricing_page,2026-11-16,{'/' * 200_000}",
    )
    summary = import_activities(store, path, agreement=terms, now=NOW)
    assert (summary.imported, summary.rejected) == (1, 2)
    assert [row["reason"] for row in _rejects(path)] == [
        "column 'Page' holds a NUL character (binary data)",
        "column 'Page' holds 200,000 characters (at most 100,000)",
    ]
    assert [activity.detail for activity in store.activities(1)] == ["/pricing"]


def test_a_custom_column_named_past_the_longest_field_rejects_the_rows_that_fill_it(
    store: Store, terms: Agreement, tmp_path: Path
) -> None:
    path = _write(tmp_path / "leads.csv", f"Email,{'N' * 100_001}", "a@acme.com,", "b@acme.com,hi")
    summary = import_leads(store, path, agreement=terms, now=NOW)
    assert (summary.imported, summary.rejected) == (1, 1)
    assert [row["reason"] for row in _rejects(path)] == [
        "custom: String should have at most 100000 characters"
    ]
    assert _emails(store) == ["a@acme.com"]


def test_a_name_made_of_two_long_parts_rejects_its_row_as_the_record_would(
    store: Store, terms: Agreement, tmp_path: Path
) -> None:
    part = "n" * 60_000
    path = _write(
        tmp_path / "leads.csv",
        "Email,First Name,Last Name",
        f"a@acme.com,{part},{part}",
        f"b@acme.com,{part},",
    )
    summary = import_leads(store, path, agreement=terms, now=NOW, source="trade_show")
    assert (summary.imported, summary.rejected) == (1, 1)
    assert [row["reason"] for row in _rejects(path)] == [
        "name: String should have at most 100000 characters"
    ]
    lead = store.lead(1)
    assert (lead.email, lead.name, lead.source) == ("b@acme.com", part, "trade_show")


def test_a_source_no_lead_can_keep_rejects_every_row_with_the_record_s_words(
    store: Store, terms: Agreement, tmp_path: Path
) -> None:
    path = _write(tmp_path / "leads.csv", "Email", "a@acme.com", "b@acme.com")
    summary = import_leads(store, path, agreement=terms, now=NOW, source="fair\x00")
    assert (summary.imported, summary.rejected) == (0, 2)
    assert {row["reason"] for row in _rejects(path)} == {
        "source: String should match pattern '^[^\\x00]*$'"
    }
