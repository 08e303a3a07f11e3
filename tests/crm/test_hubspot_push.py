"""Pushing to HubSpot: each attempt a call or an email on the contact, each move its lead
status and lifecycle stage; once each, whatever fails on the way. After every fault:
nothing lost, nothing doubled, and the fake and the file agree."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from leadtui.core.agreement import Agreement
from leadtui.core.clock import FixedClock
from leadtui.core.models import AttemptOutcome, Channel
from leadtui.crm.errors import CrmDown, CrmPaused, DailyLimit, Unauthorized
from leadtui.desk import Desk
from leadtui.store import Store
from tests import on_disk
from tests.conftest import NOW
from tests.crm.conftest import Running, Waits, connector, fill, rounds
from tests.crm.fake_hubspot import Fault, too_many
from tests.sync.servers import DroppingProxy

CALL_PATH = "/crm/v3/objects/calls"


@pytest.fixture
def pulled(hubspot: Running, team_file: Store, terms: Agreement) -> list[tuple[int, str]]:
    """The account pulled in: (lead id, contact id) of the first six contacts."""
    handed = fill(hubspot.fake, handed=6, with_marketing=0)
    rounds(team_file, connector(hubspot.url), terms).round(NOW)
    ids = team_file.lead_ids_by_key(handed)
    return [(ids[contact], contact) for contact in handed]


@pytest.fixture
def desk(team_file: Store, terms: Agreement) -> Desk:
    return Desk(team_file, terms, FixedClock(NOW), rep="dana")


def attempts_logged(team_file: Store) -> list[str]:
    return [
        row[0]
        for row in on_disk.rows(
            team_file, "SELECT id FROM events WHERE kind = 'attempt' ORDER BY seq"
        )
    ]


def agree(hubspot: Running, team_file: Store) -> None:
    """Every attempt logged is in HubSpot exactly once, and the file knows it as made."""
    made = team_file.made_in_crm("hubspot")
    for event_id in attempts_logged(team_file):
        found = hubspot.fake.made_for(event_id)
        assert len(found) == 1, f"event {event_id} is in HubSpot {len(found)} times"
        assert made[event_id] == found[0]
    assert team_file.crm_counts("hubspot").waiting == 0


def test_attempts_become_calls_and_emails_and_moves_set_the_status(
    hubspot: Running, team_file: Store, terms: Agreement, pulled: list[tuple[int, str]], desk: Desk
) -> None:
    (ines, ines_contact), (omar, omar_contact), (greta, greta_contact) = pulled[:3]
    desk.log(ines, Channel.CALL, AttemptOutcome.CONNECTED, "Wants a demo on Thursday")
    desk.log(ines, Channel.EMAIL, AttemptOutcome.SENT, "Sent the ROI calculator")
    desk.accept(ines)
    desk.log(omar, Channel.CALL, AttemptOutcome.NO_ANSWER)
    desk.nurture(omar, "not_now")
    desk.log(greta, Channel.CALL, AttemptOutcome.WRONG_NUMBER)
    desk.disqualify(greta, "bad_data")

    done = rounds(team_file, connector(hubspot.url), terms).round(NOW)
    assert (done.pushed, done.refused) == (7, [])

    calls = hubspot.fake.objects["calls"]
    first = next(c for c in calls.values() if c["properties"]["hs_call_body"].startswith("Wants"))
    assert first["associations"] == [(ines_contact, 194)]
    assert first["properties"]["hs_call_status"] == "COMPLETED"
    assert first["properties"]["hs_call_disposition"] == "f240bbac-87c9-4f6e-bf70-924b57d47db7"
    assert first["properties"]["hs_timestamp"].startswith("2026-11-17T16:40")
    (email,) = hubspot.fake.objects["emails"].values()
    assert email["associations"] == [(ines_contact, 198)]
    assert email["properties"]["hs_email_text"] == "Sent the ROI calculator"
    contacts = hubspot.fake.contacts
    assert contacts[ines_contact]["hs_lead_status"] == "IN_PROGRESS"
    # Back to nurture: the stage is cleared first, as HubSpot moves it only forward.
    assert (contacts[omar_contact]["lifecyclestage"], contacts[omar_contact]["hs_lead_status"]) == (
        "lead",
        "BAD_TIMING",
    )
    assert contacts[greta_contact]["hs_lead_status"] == "UNQUALIFIED"
    agree(hubspot, team_file)

    again = rounds(team_file, connector(hubspot.url), terms).round(NOW)
    assert (again.pushed, again.already) == (0, 0)
    assert len(hubspot.fake.objects["calls"]) == 3


def test_a_create_whose_answer_came_too_late_is_found_not_doubled(
    hubspot: Running, team_file: Store, terms: Agreement, pulled: list[tuple[int, str]], desk: Desk
) -> None:
    lead, _ = pulled[0]
    desk.log(lead, Channel.CALL, AttemptOutcome.VOICEMAIL, "Left a message about the webinar")
    hubspot.fake.fail("POST", CALL_PATH, Fault("", "", late=1.5))
    with pytest.raises(CrmDown):
        rounds(team_file, connector(hubspot.url, timeout=0.5), terms).round(NOW, pull=False)
    (event_id,) = attempts_logged(team_file)
    assert len(hubspot.fake.made_for(event_id)) == 1  # HubSpot made it; leadtui never heard
    assert team_file.crm_counts("hubspot").unsure == 1

    done = rounds(team_file, connector(hubspot.url), terms).round(NOW)
    assert (done.pushed, done.already) == (0, 1)
    agree(hubspot, team_file)


def test_the_event_id_property_made_by_another_round_meanwhile_is_taken(
    hubspot: Running, team_file: Store, terms: Agreement, pulled: list[tuple[int, str]], desk: Desk
) -> None:
    lead, _ = pulled[0]
    desk.log(lead, Channel.CALL, AttemptOutcome.CONNECTED, "Talked pricing")
    connector(hubspot.url).check()  # another round made the property ...
    # ... after this one looked and found none
    hubspot.fake.fail("GET", "/crm/v3/properties/calls/", Fault("", "", 404, {"status": "error"}))
    done = rounds(team_file, connector(hubspot.url), terms).round(NOW)
    assert (done.pushed, done.refused) == (1, [])
    agree(hubspot, team_file)


def test_a_connection_dropped_after_hubspot_made_the_call(
    hubspot: Running, team_file: Store, terms: Agreement, pulled: list[tuple[int, str]], desk: Desk
) -> None:
    proxy = DroppingProxy(hubspot.url).start()
    try:
        lead, _ = pulled[1]
        desk.log(lead, Channel.CALL, AttemptOutcome.CONNECTED, "Booked a call with their CFO")
        hub = connector(proxy.url)
        hub.check()  # what the account offers is read; the next request is the call
        proxy.drop_next = True
        with pytest.raises(CrmDown):
            rounds(team_file, hub, terms).round(NOW, pull=False)
        assert proxy.dropped == 1
        done = rounds(team_file, connector(proxy.url), terms).round(NOW)
        assert done.already == 1
        agree(hubspot, team_file)
    finally:
        proxy.stop()


def test_a_server_error_on_a_create_is_looked_for_then_sent_once(
    hubspot: Running, team_file: Store, terms: Agreement, pulled: list[tuple[int, str]], desk: Desk
) -> None:
    lead, _ = pulled[0]
    desk.log(lead, Channel.CALL, AttemptOutcome.NO_ANSWER)
    desk.log(lead, Channel.CALL, AttemptOutcome.CONNECTED, "Call back after the board meeting")
    hubspot.fake.fail("POST", CALL_PATH, Fault("", "", 502, {"message": "Bad gateway"}))
    failed = rounds(team_file, connector(hubspot.url), terms).round(NOW)
    assert failed.failed == 1  # the pull went on: HubSpot answered it
    assert hubspot.fake.objects["calls"] == {}  # nothing made; both wait in the file, in order
    done = rounds(team_file, connector(hubspot.url), terms).round(NOW)
    assert (done.pushed, done.already) == (2, 0)
    agree(hubspot, team_file)


def test_one_push_that_keeps_failing_holds_back_only_its_lead(
    hubspot: Running, team_file: Store, terms: Agreement, pulled: list[tuple[int, str]], desk: Desk
) -> None:
    (stuck, _), (other, _), (_, changed) = pulled[0], pulled[1], pulled[2]
    desk.log(stuck, Channel.CALL, AttemptOutcome.NO_ANSWER)
    desk.log(stuck, Channel.EMAIL, AttemptOutcome.SENT, "Pricing sheet")  # behind the call
    desk.log(other, Channel.EMAIL, AttemptOutcome.SENT, "The case study")
    hubspot.fake.change_contact(changed, jobtitle="CTO")
    # This one call fails; HubSpot answers everything else.
    hubspot.fake.fail("POST", CALL_PATH, Fault("", "", 502, {"message": "Bad gateway"}))
    done = rounds(team_file, connector(hubspot.url), terms).round(NOW)

    assert (done.pushed, done.failed, done.refused) == (1, 1, [])  # the other lead's email
    assert len(hubspot.fake.objects["emails"]) == 1 and hubspot.fake.objects["calls"] == {}
    assert done.updated >= 1  # the pull went on
    assert team_file.lead(team_file.lead_ids_by_key([changed])[changed]).title == "CTO"
    assert team_file.crm_counts("hubspot").waiting == 2  # the call, and the email behind it
    assert team_file.meta("crm.hubspot.last_error") == ""


def test_pushes_failing_one_after_another_stop_the_round(
    hubspot: Running, team_file: Store, terms: Agreement, pulled: list[tuple[int, str]], desk: Desk
) -> None:
    (first, _), (second, _) = pulled[0], pulled[1]
    desk.log(first, Channel.CALL, AttemptOutcome.NO_ANSWER)
    desk.log(second, Channel.CALL, AttemptOutcome.VOICEMAIL)
    for _ in range(2):
        hubspot.fake.fail("POST", CALL_PATH, Fault("", "", 503, {"message": "Unavailable"}))
    searched = len(hubspot.fake.searches)
    with pytest.raises(CrmDown):
        rounds(team_file, connector(hubspot.url), terms).round(NOW)
    assert len(hubspot.fake.searches) == searched  # HubSpot is down: no pull tried


def test_the_rolling_window_is_waited_for_and_nothing_hammers(
    hubspot: Running, team_file: Store, terms: Agreement, pulled: list[tuple[int, str]], desk: Desk
) -> None:
    lead, _ = pulled[0]
    desk.log(lead, Channel.EMAIL, AttemptOutcome.SENT, "Case study")
    for _ in range(2):
        hubspot.fake.fail("POST", "/crm/v3/objects/emails", too_many("TEN_SECONDLY_ROLLING"))
    hubspot.fake.fail("POST", "/crm/v3/objects/contacts/search", too_many("TEN_SECONDLY_ROLLING"))
    waits = Waits()
    done = rounds(team_file, connector(hubspot.url, sleep=waits), terms).round(NOW)
    assert done.pushed == 1
    assert waits.count(10.0) == 3  # each 429 waited out the ten-second window, once
    agree(hubspot, team_file)


def test_the_daily_limit_stops_the_rounds_until_tomorrow(
    hubspot: Running, team_file: Store, terms: Agreement, pulled: list[tuple[int, str]], desk: Desk
) -> None:
    lead, _ = pulled[0]
    desk.log(lead, Channel.CALL, AttemptOutcome.CONNECTED, "Interested in the pilot")
    hubspot.fake.fail("POST", CALL_PATH, too_many("DAILY"))
    with pytest.raises(DailyLimit, match="daily API limit"):
        rounds(team_file, connector(hubspot.url), terms).round(NOW)
    asked = len(hubspot.fake.requests)
    with pytest.raises(CrmPaused, match="wait until"):
        rounds(team_file, connector(hubspot.url), terms).round(NOW)
    assert len(hubspot.fake.requests) == asked  # not one request while paused
    assert team_file.crm_counts("hubspot").waiting == 1  # kept, not lost
    assert "daily" in (team_file.meta("crm.hubspot.last_error") or "")


def test_a_refused_token_stops_the_round_and_loses_nothing(
    hubspot: Running, team_file: Store, terms: Agreement, pulled: list[tuple[int, str]], desk: Desk
) -> None:
    lead, _ = pulled[0]
    desk.log(lead, Channel.CALL, AttemptOutcome.CONNECTED)
    with pytest.raises(Unauthorized, match="refused the token") as refused:
        rounds(team_file, connector(hubspot.url, token="pat-na1-revoked"), terms).round(NOW)
    assert "pat-na1" not in str(refused.value)
    assert hubspot.fake.objects["calls"] == {}
    assert team_file.crm_counts("hubspot").waiting == 1
    rounds(team_file, connector(hubspot.url), terms).round(NOW)
    agree(hubspot, team_file)


def test_a_deleted_contact_refuses_once_in_words_and_is_not_retried(
    hubspot: Running, team_file: Store, terms: Agreement, pulled: list[tuple[int, str]], desk: Desk
) -> None:
    (gone, gone_contact), (kept, _) = pulled[3], pulled[4]
    desk.log(gone, Channel.CALL, AttemptOutcome.NO_ANSWER)
    desk.disqualify(gone, "bad_data")
    desk.log(kept, Channel.CALL, AttemptOutcome.CONNECTED, "Good talk")
    hubspot.fake.deleted.add(gone_contact)
    done = rounds(team_file, connector(hubspot.url), terms).round(NOW)
    assert done.pushed == 1
    reasons = [refusal.reason for refusal in done.refused]
    assert reasons == [f"HubSpot has no contact {gone_contact} any more (deleted or merged)"] * 2
    asked = len(hubspot.fake.requests)
    again = rounds(team_file, connector(hubspot.url), terms).round(NOW, pull=False)
    assert (again.pushed, again.refused) == (0, [])
    assert len(hubspot.fake.requests) == asked  # not sent again
    assert team_file.crm_counts("hubspot").refused == 2
    assert [r.reason for r in team_file.refused_by_crm("hubspot")]  # kept for the rep


@pytest.fixture(autouse=True)
def _no_stray_faults(hubspot: Running) -> Iterator[None]:
    yield
    assert hubspot.fake.faults == [], "a fault set up was never met"
