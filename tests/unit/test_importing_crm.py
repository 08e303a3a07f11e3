"""The CRMs' own CSV exports, as HubSpot and Salesforce write them: their headers, their
dates in the exporting user's locale, their stages and statuses, their owners."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from leadtui.core import timeline
from leadtui.core.agreement import Agreement
from leadtui.core.models import EventKind, Lead, Rep, Stage
from leadtui.importing import ImportFailure, import_leads
from leadtui.importing.owners import Owners
from leadtui.store import Store
from tests import on_disk
from tests.conftest import NOW

FIXTURES = Path(__file__).parent.parent / "fixtures" / "crm"


def _all(store: Store) -> list[Lead]:
    with on_disk.connected(store) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM leads ORDER BY id")]
    return [store.lead(lead_id) for lead_id in ids]


def _by_email(store: Store) -> dict[str, Lead]:
    return {lead.email or "": lead for lead in _all(store)}


def _standing(store: Store) -> Counter[tuple[str, str | None]]:
    return Counter((lead.stage.value, lead.owner) for lead in _all(store))


def _write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    target.write_bytes((FIXTURES / name).read_bytes())
    return target


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_hubspot_contacts_export_imports_as_it_comes(
    store: Store, terms: Agreement, tmp_path: Path
) -> None:
    path = _copy("hubspot-contacts-all-properties.csv", tmp_path)
    summary = import_leads(store, path, agreement=terms, now=NOW)
    assert summary.read_as == "a HubSpot contacts export"
    assert (summary.imported, summary.rejected, summary.unowned) == (36, 0, 2)
    assert summary.line().startswith("read as a HubSpot contacts export · imported 36")
    assert summary.line().endswith("2 owners match no rep (their leads go to the pool)")
    ines = _by_email(store)["ines.martin@graniteprecision.com"]
    assert (ines.external_id, ines.name, ines.title, ines.phone) == (
        "1501",
        "Ines Martin",
        "VP of IT",
        "+1 312 555 1000",
    )
    assert (ines.country, ines.region, ines.website, ines.source) == (
        "United States",
        "IL",
        "https://www.graniteprecision.com",
        "Organic Search",
    )
    assert (ines.employees, ines.revenue, ines.industry) == (450, 20_000_000, "Manufacturing")
    assert ines.created_at == _at("2026-09-01T08:00")
    assert ines.mql_at == _at("2026-09-04T10:00")  # "Became a Marketing Qualified Lead Date"
    assert (ines.stage, ines.owner, ines.claimed_at) == (Stage.WORKING, "dana", ines.mql_at)
    kept = set(ines.custom or {})
    assert {"HubSpot Score", "Number of Pageviews", "Original Source Drill-Down 1"} <= kept
    # What the import read as fields is not also kept as a custom field.
    assert not kept & {"Country/Region", "Website URL", "Original Source", "Contact owner"}
    assert not kept & {"Lifecycle Stage", "Lead Status", "Became a Marketing Qualified Lead Date"}
    # MQLs handed over (claimed by their owner, or in the pool when the owner is no rep
    # here, or moved on by their lead status); leads and subscribers stay marketing's;
    # SQLs, opportunities and customers are qualified.
    assert _standing(store) == Counter(
        {
            ("nurturing", None): 10,
            ("mql", None): 7,
            ("working", "dana"): 4,
            ("working", "marcus"): 4,  # one named by email: marcus.lee@northwind-sdr.com
            ("qualified", "dana"): 5,
            ("qualified", "marcus"): 4,
            ("disqualified", "dana"): 1,  # Unqualified
            ("returned_to_nurture", "marcus"): 1,  # Bad Timing
        }
    )
    bad_timing = next(lead for lead in _all(store) if lead.stage is Stage.RETURNED_TO_NURTURE)
    history = store.events(bad_timing.id or 0)
    assert [event.kind for event in history] == [
        EventKind.BECAME_MQL,
        EventKind.CLAIMED,
        EventKind.RETURNED_TO_NURTURE,
    ]
    assert [timeline.said(event, UTC) for event in history] == [
        "handed to sales, by import",
        "claimed for marcus, by import",
        'returned to nurture (closed_in_crm), by import: "returned to nurture in the CRM"',
    ]
    # The same file again changes nothing: no lead, no event, no stage.
    events = sum(len(store.events(lead.id or 0)) for lead in _all(store))
    again = import_leads(store, path, agreement=terms, now=NOW)
    assert (again.imported, again.updated, again.handed) == (0, 36, 0)
    assert sum(len(store.events(lead.id or 0)) for lead in _all(store)) == events


def test_a_salesforce_leads_report_imports_as_it_comes(
    store: Store, terms: Agreement, tmp_path: Path
) -> None:
    path = _copy("salesforce-leads-report.csv", tmp_path)
    summary = import_leads(store, path, agreement=terms, now=NOW)
    # Every row is taken, the report's footer (title, copyright, "Generated By") is no
    # row, and the dates (month first, settled by a later row) are read as written.
    assert summary.read_as == "a Salesforce leads report"
    assert (summary.imported, summary.rejected, summary.unowned) == (36, 0, 6)
    assert not (tmp_path / "salesforce-leads-report.rejects.csv").exists()
    leads = _by_email(store)
    jo = leads["jo.park@bluefinanalytics.io"]
    assert jo.created_at == _at("2026-10-01T09:00")  # "10/1/2026 9:00 AM"
    assert jo.mql_at == jo.created_at  # a report has no MQL date: handed over when made
    assert (jo.external_id, jo.company, jo.source) == (
        "00Q8c00001Xy003AAB",
        "Bluefin Analytics",
        "Purchased List",
    )
    assert not jo.custom  # a blank Rating is not kept; Converted is read, not kept
    ana = leads["ana.silva@northwindlogistics.com"]
    assert ana.created_at == _at("2026-10-03T00:00")  # 10/3/2026: the 3rd of October
    assert (ana.employees, ana.revenue, ana.region) == (1200, 85_000_000, "South Holland")
    assert (ana.custom or {}).get("Rating") == "Warm"
    afternoon = [lead for lead in leads.values() if lead.created_at.hour >= 12]
    assert afternoon, "a PM time in the file is read as the afternoon"
    assert _standing(store) == Counter(
        {
            ("working", "dana"): 12,  # Open - Not Contacted and Working - Contacted, held
            ("working", "marcus"): 8,
            ("mql", None): 4,  # the same, owned by Priya Raman: no rep here
            ("qualified", "dana"): 2,  # Closed - Converted
            ("qualified", "marcus"): 2,
            ("qualified", None): 1,
            ("disqualified", "dana"): 4,  # Closed - Not Converted
            ("disqualified", "marcus"): 2,
            ("disqualified", None): 1,
        }
    )
    again = import_leads(store, path, agreement=terms, now=NOW)
    assert (again.imported, again.updated, again.handed) == (0, 36, 0)


SALESFORCE = (
    "Lead Owner,First Name,Last Name,Company / Account,Email,Lead Status,Rating,Created Date"
)


def test_dates_that_could_be_either_way_are_refused_naming_date_format(
    store: Store, terms: Agreement, tmp_path: Path
) -> None:
    path = _write(
        tmp_path / "report.csv",
        SALESFORCE,
        "Dana Whitfield,Ines,Martin,Granite,ines@granite.com,Open - Not Contacted,Hot,03/04/2026",
        "Marcus Lee,Sam,Ng,Alder,sam@alder.de,Open - Not Contacted,Warm,05/06/2026",
        "Marcus Lee,Jo,Park,Bluefin,jo@bluefin.io,Open - Not Contacted,Cold,07/07/2026",
    )
    with pytest.raises(ImportFailure) as refused:
        import_leads(store, path, agreement=terms, now=NOW)
    assert str(refused.value) == (
        f"{path}: 'Created Date' has dates such as '03/04/2026' that could be day/month "
        "or month/day; say which with --date-format %d/%m/%Y (or --date-format %m/%d/%Y)"
    )
    assert _all(store) == []  # nothing of it was taken
    summary = import_leads(store, path, agreement=terms, now=NOW, date_format="%d/%m/%Y")
    assert summary.imported == 3
    assert _by_email(store)["ines@granite.com"].created_at == _at("2026-04-03T00:00")
    # A dotted date names its own format; an unreadable --date-format is refused.
    dotted = _write(tmp_path / "dotted.csv", "Email,Created Date", "a@b.com,03.04.2026")
    with pytest.raises(ImportFailure, match=r"--date-format %d\.%m\.%Y \(or"):
        import_leads(store, dotted, agreement=terms, now=NOW)
    with pytest.raises(ImportFailure, match="needs %d, %m and %Y"):
        import_leads(store, dotted, agreement=terms, now=NOW, date_format="%Y")


def test_a_columns_dates_settle_from_a_later_row(
    store: Store, terms: Agreement, tmp_path: Path
) -> None:
    path = _write(
        tmp_path / "report.csv",
        SALESFORCE,
        "Dana Whitfield,Ines,Martin,Granite,ines@granite.com,Open - Not Contacted,Hot,"
        '"03/04/2026, 9:41 AM"',
        "Marcus Lee,Sam,Ng,Alder,sam@alder.de,Open - Not Contacted,Warm,05/06/2026 12:05 PM",
        "Marcus Lee,Ines,Martin,Granite,ines@granite.com,Working - Contacted,Hot,",
        "Marcus Lee,Jo,Park,Bluefin,jo@bluefin.io,Open - Not Contacted,Cold,04/25/2026 16:20",
        "Marcus Lee,Lena,Berg,Quarry,lena@quarry.ca,Open - Not Contacted,Cold,26/04/2026",
        "Marcus Lee,Omar,Haddad,Cobalt,omar@cobalt.com,Open - Not Contacted,Cold,"
        "07/05/2026 13:00 PM",
    )
    summary = import_leads(store, path, agreement=terms, now=NOW)
    leads = _by_email(store)
    # Month first, as a row after them says (they waited for it).
    assert leads["ines@granite.com"].created_at == _at("2026-03-04T09:41")
    assert leads["sam@alder.de"].created_at == _at("2026-05-06T12:05")
    assert leads["jo@bluefin.io"].created_at == _at("2026-04-25T16:20")
    # The repeated row still fills in the first, as it came after it in the file.
    assert leads["ines@granite.com"].owner == "marcus"
    assert summary.rejected == 2
    rejects = (tmp_path / "report.rejects.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[0] for line in rejects[1:]] == ["6", "7"]
    assert rejects[1].endswith(
        "created_at '26/04/2026' is not month/day like the column's '04/25/2026 16:20' (line 5)"
    )
    assert rejects[2].endswith("created_at '07/05/2026 13:00 PM': 13 is no hour before AM or PM")


def test_owners_are_matched_to_reps_by_name_or_email() -> None:
    owners = Owners(
        [
            Rep(id="dana", name="Dana Whitfield"),
            Rep(id="marcus", name="Marcus Lee"),
            Rep(id="kim", name="Kim Ortiz"),
            Rep(id="kim2", name="Kim Ortiz"),  # two reps of one name: that name is nobody
        ]
    )
    assert owners.rep_for("Dana Whitfield") == "dana"
    assert owners.rep_for("  dana whitfield ") == "dana"
    assert owners.rep_for("Whitfield, Dana") == "dana"
    assert owners.rep_for("dana@northwind.io") == "dana"  # the address's local part is the id
    assert owners.rep_for("marcus.lee@northwind.io") == "marcus"  # ... or the name
    assert owners.rep_for("Marcus_Lee@northwind.io") == "marcus"
    assert owners.rep_for("marcus") == "marcus"
    assert owners.rep_for("Kim Ortiz") is None
    assert owners.rep_for("kim") == "kim"
    assert owners.rep_for("Priya Raman") is None
    assert owners.rep_for("0058c00000AbCdEAAZ") is None  # Data Loader's OwnerId
    assert owners.rep_for("") is None


def test_a_hubspot_export_of_internal_names_and_one_of_a_default_view(
    store: Store, terms: Agreement, tmp_path: Path
) -> None:
    internal = _write(
        tmp_path / "contacts.csv",
        "hs_object_id,firstname,lastname,email,company,country,lifecyclestage,hs_lead_status,"
        "hubspot_owner_id,createdate,hs_lifecyclestage_marketingqualifiedlead_date",
        "901,Ines,Martin,ines@granite.com,Granite,United States,marketingqualifiedlead,"
        "ATTEMPTED_TO_CONTACT,dana@northwind.io,2026-11-02T09:00:00Z,2026-11-03T10:30:00.000Z",
        "902,Sam,Ng,sam@alder.de,Alder,Germany,lead,,41234567,2026-11-02T09:00:00Z,",
        "903,Jo,Park,jo@bluefin.io,Bluefin,United States,marketingqualifiedlead,NEW,41234567,"
        "2026-11-04T09:00:00Z,2026-11-05T08:00:00Z",
    )
    summary = import_leads(store, internal, agreement=terms, now=NOW)
    assert (summary.read_as, summary.imported, summary.unowned) == (
        "a HubSpot contacts export",
        3,
        1,  # an owner id HubSpot knows and no rep here matches
    )
    leads = _by_email(store)
    assert (leads["ines@granite.com"].stage, leads["ines@granite.com"].owner) == (
        Stage.WORKING,
        "dana",
    )
    assert leads["ines@granite.com"].mql_at == _at("2026-11-03T10:30")
    assert (leads["sam@alder.de"].stage, leads["sam@alder.de"].country) == (
        Stage.NURTURING,
        "Germany",
    )
    assert (leads["jo@bluefin.io"].stage, leads["jo@bluefin.io"].owner) == (Stage.MQL, None)
    # A view's default columns: no lifecycle stage, so the lead status alone tells.
    view = _write(
        tmp_path / "view.csv",
        "Record ID,First Name,Last Name,Email,Phone Number,Contact owner,Lead Status,"
        "Create Date,Marketing contact status",
        "1201,Lena,Berg,lena@quarry.ca,+1 416 555 0100,Marcus Lee,In Progress,"
        "2026-11-10 14:02,Marketing contact",
        "1202,Omar,Haddad,omar@cobalt.com,,,,2026-11-11 09:15,Marketing contact",
    )
    summary = import_leads(store, view, agreement=terms, now=NOW)
    assert summary.read_as == "a HubSpot contacts export"
    leads = _by_email(store)
    assert (leads["lena@quarry.ca"].stage, leads["lena@quarry.ca"].owner) == (
        Stage.WORKING,
        "marcus",
    )
    assert leads["lena@quarry.ca"].mql_at == _at("2026-11-10T14:02")  # at its creation
    assert leads["omar@cobalt.com"].stage is Stage.NURTURING


def test_crm_none_reads_common_headers_only(store: Store, terms: Agreement, tmp_path: Path) -> None:
    path = _copy("hubspot-contacts-all-properties.csv", tmp_path)
    summary = import_leads(store, path, agreement=terms, now=NOW, crm="none")
    assert summary.read_as is None and summary.imported == 36
    ines = _by_email(store)["ines.martin@graniteprecision.com"]
    assert not ines.country and (ines.custom or {})["Country/Region"] == "United States"
    assert ines.stage is Stage.NURTURING and ines.owner is None
    with pytest.raises(ImportFailure, match="--crm 'pipedrive': use one of hubspot, salesforce"):
        import_leads(store, path, agreement=terms, now=NOW, crm="pipedrive")


def test_the_command_line_says_what_it_took_the_file_for_and_refuses_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from leadtui.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(tmp_path / "team.db"), "import", "leads", *args])
        out, err = capsys.readouterr()
        return code, out, err

    report = _copy("salesforce-leads-report.csv", tmp_path)
    code, out, err = run(str(report))
    assert (code, err) == (0, "")
    # A new file has no reps yet: every lead the report hands over waits in the pool.
    assert out == (
        "read as a Salesforce leads report · imported 36 · updated 0 · rejected 0 · "
        "36 owners match no rep (their leads go to the pool)\n"
    )
    contacts = _copy("hubspot-contacts-all-properties.csv", tmp_path)
    code, out, _ = run(str(contacts), "--crm", "none")  # the same people: matched by email
    assert (code, out) == (0, "imported 0 · updated 36 · rejected 0\n")
    ambiguous = _write(
        tmp_path / "leads.csv",
        "Email,Lead Owner,Lead Status,Rating,Created Date",
        "a@b.com,,,,03/04/2026",
    )
    code, out, err = run(str(ambiguous))
    assert (code, out) == (1, "")
    assert err == (
        f"leadtui: {ambiguous}: 'Created Date' has dates such as '03/04/2026' that could be "
        "day/month or month/day; say which with --date-format %d/%m/%Y "
        "(or --date-format %m/%d/%Y)\n"
    )
    code, out, err = run(str(ambiguous), "--date-format", "%m/%d/%Y")
    assert code == 0 and out.startswith("read as a Salesforce leads report · imported 1")
    code, _, err = run(str(ambiguous), "--date-format", "day first")
    assert code == 1 and err == (
        "leadtui: --date-format 'day first' needs %d, %m and %Y (e.g. %d/%m/%Y or %m/%d/%Y)\n"
    )
    code, _, err = run(str(ambiguous), "--crm", "pipedrive")
    assert code == 2 and "'pipedrive' is not one of 'hubspot', 'salesforce', 'none'" in err
