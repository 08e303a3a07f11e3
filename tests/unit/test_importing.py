"""Importing real CSV files: mapping, rejects, no duplicates, encodings, outcomes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from leadtui.core.agreement import Agreement
from leadtui.core.models import EventKind, Stage
from leadtui.importing import ImportFailure, import_activities, import_leads, import_outcomes
from leadtui.store import Store
from tests import on_disk
from tests.conftest import NOW

HEADER = (
    "Lead ID,First Name,Last Name,E-mail Address,Job Title,Company Name,Business Phone,"
    "Web Site,City,State/Province,Country,Number of Employees,Annual Revenue,Industry,"
    "Lead Source,Created Date,Favourite Colour"
)
INES = (
    "L-1,Ines,Martin,Ines.Martin@GranitePrecision.com,VP of IT,Granite Precision Inc.,"
    "+1 312 555 0199,https://graniteprecision.com,Chicago,IL,United States,450,$20M,"
    "Manufacturing,web_form,2026-10-01,blue"
)


def _write(path: Path, *lines: str, encoding: str = "utf-8") -> Path:
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def _leads(store: Store) -> dict[str, dict[str, object]]:
    with on_disk.connected(store) as conn:
        cursor = conn.execute("SELECT * FROM leads ORDER BY id")
        names = [column[0] for column in cursor.description]
        return {row[names.index("email")]: dict(zip(names, row, strict=True)) for row in cursor}


def test_common_headers_are_mapped_and_unknown_ones_kept(
    store: Store, terms: Agreement, tmp_path: Path
) -> None:
    path = _write(tmp_path / "leads.csv", HEADER, INES)
    summary = import_leads(store, path, agreement=terms, now=NOW)
    assert (summary.imported, summary.updated, summary.rejected) == (1, 0, 0)
    assert summary.rejects is None and not (tmp_path / "leads.rejects.csv").exists()
    lead = store.lead(1)
    assert (lead.external_id, lead.name, lead.email, lead.title) == (
        "L-1",
        "Ines Martin",
        "ines.martin@graniteprecision.com",
        "VP of IT",
    )
    assert (lead.company, lead.phone, lead.website) == (
        "Granite Precision Inc.",
        "+1 312 555 0199",
        "https://graniteprecision.com",
    )
    assert (lead.city, lead.region, lead.country, lead.industry) == (
        "Chicago",
        "IL",
        "United States",
        "Manufacturing",
    )
    assert (lead.employees, lead.revenue, lead.source) == (450, 20_000_000, "web_form")
    assert lead.created_at.isoformat() == "2026-10-01T00:00:00+00:00"
    assert lead.custom == {"Favourite Colour": "blue"}
    assert lead.stage is Stage.NURTURING
    assert lead.fit == 43  # scored at once with the agreement


def test_bad_rows_go_to_a_rejects_file_with_reasons(
    store: Store, terms: Agreement, tmp_path: Path
) -> None:
    path = _write(
        tmp_path / "leads.csv",
        HEADER,
        INES,
        "L-2,Ana,Silva,not-an-email,Analyst,Acme,,,,,,,,,,2026-10-03,",
        "L-3,Bad,Row",
        "L-4,Sam,Ng,sam@acme.com,CIO,Acme,,,,,,lots,,,,2026-10-03,",
        "L-5,Jo,Park,jo@acme.com,CIO,Acme,,,,,,,,,,last tuesday,",
        ",No,Key,,CIO,Acme,,,,,,,,,,,",
    )
    summary = import_leads(store, path, agreement=terms, now=NOW)
    assert (summary.imported, summary.rejected) == (1, 5)
    assert summary.line() == "imported 1 · updated 0 · rejected 5 (see leads.rejects.csv)"
    with (tmp_path / "leads.rejects.csv").open(newline="", encoding="utf-8") as handle:
        rejects = list(csv.DictReader(handle))
    assert [(row["line"], row["Lead ID"], row["reason"]) for row in rejects] == [
        ("3", "L-2", "email 'not-an-email' is not an email address"),
        ("4", "L-3", "3 columns where the header has 17"),
        ("5", "L-4", "employees 'lots' is not a number"),
        (
            "6",
            "L-5",
            "created_at 'last tuesday' is not a date (use 2026-11-17, 11/17/2026, 17.11.2026, "
            "with the year in four digits)",
        ),
        ("7", "", "no email and no external id: nothing to know the lead by"),
    ]


def test_importing_twice_creates_no_duplicates(
    store: Store, terms: Agreement, tmp_path: Path
) -> None:
    path = _write(tmp_path / "leads.csv", HEADER, INES)
    import_leads(store, path, agreement=terms, now=NOW)
    store.became_mql(1, at=NOW, score=70, fit=43, engagement=27)
    store.claim(1, "dana", at=NOW, expected_version=1)
    again = import_leads(store, path, agreement=terms, now=NOW)
    assert (again.imported, again.updated) == (0, 1)
    lead = store.lead(1)
    assert (lead.stage, lead.owner) == (Stage.WORKING, "dana")  # the projection is untouched
    # Matched on email when the file has no external id; new values update contact fields.
    by_email = _write(
        tmp_path / "crm.csv",
        "Email,Title,Phone,Notes",
        "INES.MARTIN@graniteprecision.com,CIO,,met at the fair",
    )
    summary = import_leads(store, by_email, agreement=terms, now=NOW)
    assert (summary.imported, summary.updated) == (0, 1)
    lead = store.lead(1)
    assert (lead.title, lead.phone) == ("CIO", "+1 312 555 0199")  # a blank cell keeps the old
    assert lead.custom == {"Favourite Colour": "blue", "Notes": "met at the fair"}
    assert on_disk.value(store, "SELECT count(*) FROM leads") == 1


def test_map_and_source_override(store: Store, terms: Agreement, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "badges.csv",
        "Badge,Mail,Function,Employer",
        "B-9,kim@northwind.com,Director of Operations,Northwind Freight",
    )
    summary = import_leads(
        store,
        path,
        agreement=terms,
        now=NOW,
        overrides={
            "Badge": "external_id",
            "Mail": "email",
            "Function": "title",
            "Employer": "company",
        },
        source="trade_show",
    )
    assert summary.imported == 1
    lead = store.lead(1)
    assert (lead.external_id, lead.email, lead.title, lead.company, lead.source) == (
        "B-9",
        "kim@northwind.com",
        "Director of Operations",
        "Northwind Freight",
        "trade_show",
    )
    with pytest.raises(ImportFailure, match="has no column 'Missing'"):
        import_leads(store, path, agreement=terms, now=NOW, overrides={"Missing": "title"})
    with pytest.raises(ImportFailure, match="'favourite' is not a lead field"):
        import_leads(store, path, agreement=terms, now=NOW, overrides={"Badge": "favourite"})


def test_utf8_with_bom_and_other_encodings(store: Store, terms: Agreement, tmp_path: Path) -> None:
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeffEmail,Name\njürgen@müller-gmbh.de,Jürgen Müller\n".encode())
    assert import_leads(store, bom, agreement=terms, now=NOW).imported == 1
    assert store.lead(1).name == "Jürgen Müller"
    latin = _write(
        tmp_path / "latin.csv", "Email,Name", "a@b.com,Ana", "c@d.com,José", encoding="latin-1"
    )
    with pytest.raises(ImportFailure) as failure:
        import_leads(store, latin, agreement=terms, now=NOW)
    assert str(failure.value) == (
        f"{latin} is not UTF-8 (byte 0xe9 on line 3); save it as 'CSV UTF-8' and import it again"
    )
    assert on_disk.value(store, "SELECT count(*) FROM leads") == 1


def test_mql_dates_hand_leads_over(store: Store, terms: Agreement, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "mqls.csv",
        "Email,Origin,First Contact Date",
        "lee@acme.com,paid_search,2026-11-02",
    )
    import_leads(store, path, agreement=terms, now=NOW)
    lead = store.lead(1)
    assert (lead.stage, lead.source) == (Stage.MQL, "paid_search")
    assert lead.mql_at is not None and lead.mql_at.isoformat() == "2026-11-02T00:00:00+00:00"
    assert [event.actor for event in store.events(1)] == ["import"]


def test_activities_are_imported_and_the_leads_rescored(
    store: Store, terms: Agreement, tmp_path: Path
) -> None:
    import_leads(store, _write(tmp_path / "leads.csv", HEADER, INES), agreement=terms, now=NOW)
    path = _write(
        tmp_path / "activity.csv",
        "Email,Activity,Date,Page",
        "ines.martin@graniteprecision.com,Demo Request,2026-11-16T09:00:00Z,/demo",
        "L-1,pricing_page,2026-11-16T09:05:00Z,/pricing",
        "nobody@nowhere.com,pricing_page,2026-11-16,",
        "ines.martin@graniteprecision.com,pricing_page,someday,",
    )
    summary = import_activities(store, path, agreement=terms, now=NOW)
    assert (summary.imported, summary.rejected) == (2, 2)
    assert summary.new_mqls == [1]
    kinds = [activity.kind for activity in store.activities(1)]
    assert kinds == ["demo_request", "pricing_page"]
    lead = store.lead(1)
    assert lead.stage is Stage.MQL and lead.engagement > 30
    reasons = [row["reason"] for row in csv.DictReader((tmp_path / "activity.rejects.csv").open())]
    assert reasons == [
        "no lead with email or external id 'nobody@nowhere.com'",
        "at 'someday' is not a date (use 2026-11-17 or 2026-11-17T10:40)",
    ]


def test_outcomes_close_deals_once(store: Store, terms: Agreement, tmp_path: Path) -> None:
    import_leads(store, _write(tmp_path / "leads.csv", HEADER, INES), agreement=terms, now=NOW)
    path = _write(
        tmp_path / "deals.csv",
        "Lead ID,Status,Close Date",
        "L-1,Closed Won,2026-11-10",
        "L-404,Won,2026-11-10",
        "L-1,maybe,2026-11-10",
    )
    summary = import_outcomes(store, path)
    assert (summary.imported, summary.rejected) == (1, 2)
    assert store.lead(1).stage is Stage.WON
    closed = [e for e in store.events(1) if e.kind is EventKind.CLOSED]
    assert [json.dumps(e.payload) for e in closed] == ['{"outcome": "won"}']
    assert import_outcomes(store, path).imported == 0  # a second import changes nothing
    assert len([e for e in store.events(1) if e.kind is EventKind.CLOSED]) == 1
