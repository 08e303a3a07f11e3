"""Pulling from HubSpot: the contacts handed to sales land through the intake door, with
what maps to what, their owners, paging, and the 10,000-result cap of one search."""

from __future__ import annotations

from datetime import datetime, timedelta

from leadtui.core.agreement import Agreement
from leadtui.core.models import Stage
from leadtui.crm.hubspot import mapping
from leadtui.crm.hubspot.mapping import HubSpotMap
from leadtui.crm.rounds import meta_key
from leadtui.store import Store
from tests import on_disk
from tests.conftest import NOW
from tests.crm.conftest import Running, connector, contact_properties, fill, rounds


def test_the_contacts_handed_to_sales_land_as_mqls_with_their_fields(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    handed = fill(hubspot.fake)
    hub = connector(hubspot.url)
    hub.check()
    done = rounds(team_file, hub, terms).round(NOW)

    assert done.imported == 36 and done.updated == 0 and done.rejected == []
    external = on_disk.rows(team_file, "SELECT external_id FROM leads ORDER BY id")
    assert [row[0] for row in external] == handed  # not the dozen still with marketing
    ines = team_file.lead(team_file.lead_ids_by_key([handed[0]])[handed[0]])
    assert (ines.name, ines.title, ines.company) == (
        "Ines Martin",
        "VP of IT",
        "Granite Precision Inc.",
    )
    assert ines.employees == 500  # the band '500-1000' at its lower end
    assert ines.revenue == 20_000_000
    assert ines.region == "IL" and ines.source == "PAID_SOCIAL"
    assert ines.custom["hubspot_page_views"] == "3"
    assert ines.custom["hubspot_recent_conversion"] == "Pricing page: talk to sales"
    assert ines.custom["hubspot_owner"] == "Dana Whitfield"
    assert ines.mql_at is not None and ines.mql_at.isoformat().startswith("2026-11-16T14:05")
    # Owned in HubSpot by Dana: claimed by her in leadtui too (as a HubSpot export's
    # owner is); the others wait in the pool.
    assert ines.stage is Stage.WORKING and ines.owner == "dana"
    second = team_file.lead(team_file.lead_ids_by_key([handed[1]])[handed[1]])
    assert second.owner is None and second.stage is Stage.MQL
    assert team_file.crm_counts("hubspot").linked == 36


def test_a_second_round_reads_only_what_changed(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    handed = fill(hubspot.fake)
    hub = connector(hubspot.url)
    rounds(team_file, hub, terms).round(NOW)
    hubspot.fake.change_contact(handed[4], jobtitle="CIO", phone="+81 6 5555 0100")
    done = rounds(team_file, hub, terms).round(NOW)

    # Only the one changed since: the newest change read last round is not read again.
    assert done.imported == 0 and done.updated == 1
    changed = team_file.lead(team_file.lead_ids_by_key([handed[4]])[handed[4]])
    assert changed.title == "CIO" and changed.phone == "+81 6 5555 0100"  # HubSpot's fields win
    last_search = hubspot.fake.searches[-1]
    since = last_search["filterGroups"][0]["filters"][1]
    assert since["propertyName"] == "lastmodifieddate" and int(since["value"]) > 0
    idle = rounds(team_file, hub, terms).round(NOW)
    assert (idle.imported, idle.updated) == (0, 0)


def test_a_contact_searchable_late_is_read_by_the_next_round(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    fake = hubspot.fake
    fake.contact_lag = timedelta(seconds=20)  # HubSpot's search shows this change late
    late = fake.add_contact(**contact_properties(1))
    fake.contact_lag = timedelta(0)
    shown = fake.add_contact(**contact_properties(2))  # changed after, searchable at once
    hub = connector(hubspot.url, clock=lambda: fake.now)
    first = rounds(team_file, hub, terms).round(NOW)
    assert first.imported == 1 and team_file.lead_ids_by_key([shown, late]).keys() == {shown}

    fake.now += timedelta(seconds=30)  # now search shows it
    second = rounds(team_file, hub, terms).round(NOW)
    assert (second.imported, second.updated) == (1, 0)
    assert team_file.lead_ids_by_key([late])
    idle = rounds(team_file, hub, terms).round(NOW)
    assert (idle.imported, idle.updated) == (0, 0)


def test_a_cursor_kept_by_an_earlier_version_is_read(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    handed = fill(hubspot.fake, handed=3, with_marketing=0)
    hub = connector(hubspot.url)
    rounds(team_file, hub, terms).round(NOW)
    newest = hubspot.fake.contacts[handed[-1]]["lastmodifieddate"]
    at = str(mapping.millis(datetime.fromisoformat(newest.replace("Z", "+00:00"))))
    team_file.set_meta(meta_key("hubspot", "cursor"), at)  # the millisecond alone
    again = rounds(team_file, hub, terms).round(NOW)
    assert (again.imported, again.updated) == (0, 1)  # the newest read again, as before
    team_file.set_meta(meta_key("hubspot", "cursor"), f"{at}|{handed[-1]}")  # with its id
    idle = rounds(team_file, hub, terms).round(NOW)
    assert (idle.imported, idle.updated) == (0, 0)


def test_a_contact_changed_between_two_pages_is_read_and_none_is_skipped(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    handed = fill(hubspot.fake, handed=30, with_marketing=0)
    first_pages: list[int] = []

    def change_one_already_read(body: dict[str, object]) -> None:
        first_pages.append(1)
        if len(first_pages) == 1:  # between the first page and the second
            hubspot.fake.change_contact(handed[2], jobtitle="CTO")

    hubspot.fake.after_search.append(change_one_already_read)
    done = rounds(team_file, connector(hubspot.url, page_size=10), terms).round(NOW)

    kept = {row[0] for row in on_disk.rows(team_file, "SELECT external_id FROM leads")}
    assert kept == set(handed)  # an offset over the moving sort skipped the 11th
    assert done.imported == 30
    moved = team_file.lead(team_file.lead_ids_by_key([handed[2]])[handed[2]])
    assert moved.title == "CTO"  # read again after it changed
    assert all("after" not in search for search in hubspot.fake.searches)


def test_each_page_is_a_search_of_its_own_so_the_cap_is_never_met(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    hubspot.fake.cap = 50  # a 10,000-result cap, scaled down
    handed = fill(hubspot.fake, handed=130, with_marketing=5)
    done = rounds(team_file, connector(hubspot.url, page_size=20), terms).round(NOW)

    assert hubspot.fake.refused_paging == 0  # never asked past the cap
    assert done.imported == 130
    kept = {row[0] for row in on_disk.rows(team_file, "SELECT external_id FROM leads")}
    assert kept == set(handed)
    windows = [s["filterGroups"][0]["filters"][1]["value"] for s in hubspot.fake.searches]
    assert len(windows) == len(set(windows)) >= 7  # each page from the newest change read


def test_more_contacts_changed_in_one_millisecond_than_a_page_holds(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    handed = fill(hubspot.fake, handed=25, with_marketing=0)
    for contact in handed:  # a bulk update in HubSpot: one moment for all of them
        hubspot.fake.contacts[contact]["lastmodifieddate"] = "2026-11-17T09:30:00.000Z"
    later = hubspot.fake.add_contact(
        firstname="Noor", lastname="Aziz", lifecyclestage="marketingqualifiedlead"
    )
    done = rounds(team_file, connector(hubspot.url, page_size=10), terms).round(NOW)

    kept = {row[0] for row in on_disk.rows(team_file, "SELECT external_id FROM leads")}
    assert kept == {*handed, later} and done.imported == 26
    by_id = [s for s in hubspot.fake.searches if s["sorts"][0]["propertyName"] == "hs_object_id"]
    assert by_id  # the millisecond gone through by id


def test_the_accounts_own_mql_stage_is_read_not_assumed(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    stages = hubspot.fake.properties["contacts"]["lifecyclestage"]["options"]
    for option in stages:
        if option["value"] == "marketingqualifiedlead":
            option.update(value="mql_custom_42", label="Marketing Qualified Lead")
    contact = hubspot.fake.add_contact(
        firstname="Ada", lastname="Byrne", email="ada@byrne-eng.com", lifecyclestage="mql_custom_42"
    )
    done = rounds(team_file, connector(hubspot.url), terms).round(NOW)
    assert done.imported == 1
    assert team_file.lead_ids_by_key([contact])


def test_a_contact_that_cannot_be_kept_is_named_and_the_rest_land(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    fill(hubspot.fake, handed=5, with_marketing=0)
    bad = hubspot.fake.add_contact(
        firstname="Old",
        lastname="Typo",
        email="old@typo-corp.com",
        lifecyclestage="marketingqualifiedlead",
        hs_lifecyclestage_marketingqualifiedlead_date="1900-01-01T00:00:00Z",
    )
    done = rounds(team_file, connector(hubspot.url), terms).round(NOW)
    assert done.imported == 5
    assert len(done.rejected) == 1 and done.rejected[0].startswith(f"contact {bad}:")
    assert "1900-01-01" in done.rejected[0]


def test_a_property_the_settings_map_to_mql_at_is_the_leads_mql_date(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    handed = fill(hubspot.fake, handed=2, with_marketing=0)
    hubspot.fake.contacts[handed[0]]["sdr_handoff_date"] = "2026-11-12T08:30:00.000Z"
    hubspot.fake.contacts[handed[1]]["sdr_handoff_date"] = "1890-01-01T00:00:00Z"
    hub = connector(hubspot.url, terms=HubSpotMap.over_defaults({"sdr_handoff_date": "mql_at"}))
    done = rounds(team_file, hub, terms).round(NOW)

    assert done.imported == 1  # HubSpot's own MQL date (16 Nov) is not what the team uses
    lead = team_file.lead(team_file.lead_ids_by_key([handed[0]])[handed[0]])
    assert lead.mql_at is not None and lead.mql_at.isoformat().startswith("2026-11-12T08:30")
    assert len(done.rejected) == 1 and done.rejected[0].startswith(f"contact {handed[1]}:")
    assert "sdr_handoff_date" in done.rejected[0]
