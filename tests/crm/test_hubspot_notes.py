"""A move's reason and note reach HubSpot as a note on the contact, once, whatever fails on
the way; a team may map the reason into a property of its own instead."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from leadtui.core.agreement import Agreement
from leadtui.core.clock import FixedClock
from leadtui.core.lifecycle import CHECKLIST
from leadtui.core.models import AttemptOutcome, Channel
from leadtui.crm.errors import CrmDown
from leadtui.crm.hubspot.mapping import HubSpotMap
from leadtui.desk import Desk
from leadtui.store import Store
from tests.conftest import NOW
from tests.crm.conftest import Running, connector, fill, rounds
from tests.crm.fake_hubspot import Fault

NOTE_PATH = "/crm/v3/objects/notes"


@pytest.fixture
def pulled(hubspot: Running, team_file: Store, terms: Agreement) -> list[tuple[int, str]]:
    handed = fill(hubspot.fake, handed=4, with_marketing=0)
    rounds(team_file, connector(hubspot.url), terms).round(NOW)
    ids = team_file.lead_ids_by_key(handed)
    return [(ids[contact], contact) for contact in handed]


@pytest.fixture
def desk(team_file: Store, terms: Agreement) -> Desk:
    return Desk(team_file, terms, FixedClock(NOW), rep="dana")


def notes_on(hubspot: Running, contact: str) -> list[dict[str, Any]]:
    return [
        note["properties"]
        for note in hubspot.fake.objects["notes"].values()
        if note["associations"] == [(contact, 202)]
    ]


def moves_logged(team_file: Store) -> list[str]:
    from tests import on_disk

    return [
        row[0]
        for row in on_disk.rows(
            team_file, "SELECT id FROM events WHERE kind = 'returned_to_nurture' ORDER BY seq"
        )
    ]


def test_the_reason_and_the_note_of_a_move_are_a_note_on_the_contact(
    hubspot: Running, team_file: Store, terms: Agreement, pulled: list[tuple[int, str]], desk: Desk
) -> None:
    (omar, omar_contact), (greta, greta_contact), (ines, ines_contact) = pulled[:3]
    desk.nurture(omar, "not_now", "Budget opens in Q2 <call back>")
    desk.disqualify(greta, "competitor")
    desk.claim(ines, team_file.lead(ines).version)
    desk.accept(ines)  # nothing to say beyond the status: no note
    done = rounds(team_file, connector(hubspot.url), terms).round(NOW)
    assert (done.pushed, done.refused) == (3, [])

    (nurtured,) = notes_on(hubspot, omar_contact)
    assert nurtured["hs_note_body"] == (
        "<p>Return to nurture in leadtui by Dana Whitfield: Interested, but not this "
        "quarter (reason code not_now)</p><p>Note: Budget opens in Q2 &lt;call back&gt;</p>"
    )
    assert nurtured["hs_timestamp"].startswith("2026-11-17T16:40")
    (gone,) = notes_on(hubspot, greta_contact)
    assert (
        "Disqualification in leadtui by Dana Whitfield: Works for a competitor"
        in (gone["hs_note_body"])
    )
    assert notes_on(hubspot, ines_contact) == []
    assert hubspot.fake.contacts[omar_contact]["hs_lead_status"] == "BAD_TIMING"
    # An account connected before moves made notes gets leadtui's property on notes.
    assert hubspot.fake.properties["notes"]["leadtui_event_id"]["groupName"] == "noteinformation"
    (event_id,) = moves_logged(team_file)
    (made,) = hubspot.fake.made_for(event_id)
    assert team_file.made_in_crm("hubspot")[event_id] == made

    again = rounds(team_file, connector(hubspot.url), terms).round(NOW)
    assert (again.pushed, again.already) == (0, 0)
    assert len(hubspot.fake.objects["notes"]) == 2


def test_a_qualify_note_names_what_the_rep_confirmed(
    hubspot: Running, team_file: Store, terms: Agreement, pulled: list[tuple[int, str]], desk: Desk
) -> None:
    lead, contact = pulled[1]  # in the pool (the first is Dana's in HubSpot: hers already)
    desk.claim(lead, team_file.lead(lead).version)
    desk.log(lead, Channel.CALL, AttemptOutcome.CONNECTED)  # qualified in a conversation
    desk.accept(lead)
    desk.qualify(lead, dict.fromkeys(CHECKLIST, True), "Demo with the CFO on Monday")
    rounds(team_file, connector(hubspot.url), terms).round(NOW)
    (note,) = notes_on(hubspot, contact)
    assert note["hs_note_body"] == (
        "<p>Qualification in leadtui by Dana Whitfield</p>"
        "<p>Confirmed: decision maker, budget, need, timing</p>"
        "<p>Note: Demo with the CFO on Monday</p>"
    )
    assert hubspot.fake.contacts[contact]["lifecyclestage"] == "salesqualifiedlead"


def test_a_note_whose_answer_came_too_late_is_found_not_doubled(
    hubspot: Running, team_file: Store, terms: Agreement, pulled: list[tuple[int, str]], desk: Desk
) -> None:
    lead, contact = pulled[1]
    desk.nurture(lead, "no_budget", "Revisit after their fiscal year")
    hubspot.fake.fail("POST", NOTE_PATH, Fault("", "", late=1.5))
    with pytest.raises(CrmDown):
        rounds(team_file, connector(hubspot.url, timeout=0.5), terms).round(NOW, pull=False)
    assert len(notes_on(hubspot, contact)) == 1  # HubSpot made it; leadtui never heard
    assert team_file.crm_counts("hubspot").unsure == 1

    done = rounds(team_file, connector(hubspot.url), terms).round(NOW)
    assert (done.pushed, done.already) == (0, 1)
    assert len(notes_on(hubspot, contact)) == 1
    (event_id,) = moves_logged(team_file)
    assert team_file.made_in_crm("hubspot")[event_id] == hubspot.fake.made_for(event_id)[0]
    assert team_file.crm_counts("hubspot").waiting == 0


def test_a_failed_note_is_sent_again_once_with_the_status_set_again(
    hubspot: Running, team_file: Store, terms: Agreement, pulled: list[tuple[int, str]], desk: Desk
) -> None:
    lead, contact = pulled[2]
    desk.nurture(lead, "researching")
    hubspot.fake.fail("POST", NOTE_PATH, Fault("", "", 502, {"message": "Bad gateway"}))
    with pytest.raises(CrmDown):
        rounds(team_file, connector(hubspot.url), terms).round(NOW, pull=False)
    assert notes_on(hubspot, contact) == []
    assert hubspot.fake.contacts[contact]["hs_lead_status"] == "BAD_TIMING"  # set already
    done = rounds(team_file, connector(hubspot.url), terms).round(NOW)
    assert done.pushed == 1
    (note,) = notes_on(hubspot, contact)
    assert "Only researching" in note["hs_note_body"]
    assert team_file.crm_counts("hubspot").waiting == 0


def test_a_team_may_map_the_reason_into_a_property_and_leave_notes_out(
    hubspot: Running, team_file: Store, terms: Agreement, pulled: list[tuple[int, str]], desk: Desk
) -> None:
    lead, contact = pulled[3]
    desk.disqualify(lead, "too_small", "Twelve people")
    hub = connector(
        hubspot.url,
        terms=HubSpotMap.over_defaults(
            moves={
                "disqualified": {
                    "hs_lead_status": "UNQUALIFIED",
                    "why_not": "{reason} ({reason_code}): {note}",
                }
            },
            notes=False,
        ),
    )
    done = rounds(team_file, hub, terms).round(NOW)
    assert done.pushed == 1
    assert hubspot.fake.objects["notes"] == {}
    assert hubspot.fake.contacts[contact]["why_not"] == (
        "Company too small to buy (too_small): Twelve people"
    )


@pytest.fixture(autouse=True)
def _no_stray_faults(hubspot: Running) -> Iterator[None]:
    yield
    assert hubspot.fake.faults == [], "a fault set up was never met"
