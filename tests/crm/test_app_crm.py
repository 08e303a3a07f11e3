"""The app runs the CRM rounds on its own, as a rep works: the status line says how the CRM
stands, what a rep logs reaches HubSpot without a key, a refused push is explained in
words, and no key waits on the network."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from textual.pilot import Pilot
from textual.worker import WorkerState

from leadtui.core.agreement import Agreement
from leadtui.core.clock import FixedClock
from leadtui.store import Store, View
from leadtui.tui.app import LeadApp, make_app
from leadtui.tui.desk import CrmLink
from leadtui.tui.widgets.crm_status import CrmStatus
from tests.conftest import NOW
from tests.crm.conftest import Running, connector, fill, rounds
from tests.crm.fake_hubspot import Fault, too_many
from tests.tui.conftest import notes, queue_of, settle

SEARCH = "/crm/v3/objects/contacts/search"


def app_for(hubspot: Running, store: Store, terms: Agreement, **options: Any) -> LeadApp:
    link = CrmLink("hubspot", lambda: connector(hubspot.url, **options), every_seconds=3600)
    return make_app(store, terms, FixedClock(NOW), rep="dana", crm=link)


def status(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one(CrmStatus).render())


async def pushed(pilot: Pilot[None]) -> None:
    """Let the push that follows a change run, and its answer land."""
    await pilot.pause(2.3)
    await settle(pilot)


async def test_the_app_pulls_on_its_own_and_a_logged_call_reaches_hubspot(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    fill(hubspot.fake, handed=9, with_marketing=2)
    async with app_for(hubspot, team_file, terms).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert status(pilot) == "HubSpot: pulled 9 · synced just now"
        await settle(pilot)  # the new MQLs come into the queue as news
        lead = queue_of(pilot).lines[0].row
        await pilot.press("l", "n")  # a call, no answer
        assert status(pilot) == "HubSpot: pulled 9 · synced just now"  # not pushed yet
        await pushed(pilot)
        assert status(pilot) == "HubSpot: synced just now"  # pushed; nothing waits
    (call,) = hubspot.fake.objects["calls"].values()
    contact = team_file.lead(lead.id).external_id  # type: ignore[arg-type]
    assert call["associations"] == [(contact, 194)]
    assert team_file.crm_counts("hubspot").waiting == 0


async def test_a_refused_push_is_said_in_words_and_kept(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    handed = fill(hubspot.fake, handed=6, with_marketing=0)
    rounds(team_file, connector(hubspot.url), terms).round(NOW)
    async with app_for(hubspot, team_file, terms).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        lead = queue_of(pilot).lines[0].row
        contact = team_file.lead(lead.id).external_id  # type: ignore[arg-type]
        assert contact in handed
        hubspot.fake.deleted.add(contact)  # type: ignore[arg-type]
        await pilot.press("l", "n")
        await pushed(pilot)
        said = [note for note in notes(pilot) if "did not take" in note]
        assert said == [
            f"HubSpot did not take the call on lead {lead.id} ({lead.name}): HubSpot has no "
            f"contact {contact} any more (deleted or merged). It stays in your file."
        ]
        assert "1 refused" in status(pilot)
    assert hubspot.fake.objects["calls"] == {}
    assert team_file.crm_counts("hubspot").refused == 1
    assert team_file.lead(lead.id).calls == lead.calls + 1  # the rep's call is kept


async def test_a_refused_token_is_said_once_and_nothing_is_lost(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    fill(hubspot.fake, handed=3, with_marketing=0)
    rounds(team_file, connector(hubspot.url), terms).round(NOW)
    async with app_for(hubspot, team_file, terms, token="pat-na1-revoked").run_test(
        size=(120, 40)
    ) as pilot:
        await settle(pilot)
        assert status(pilot) == "HubSpot: token refused"
        await pilot.press("3")  # every open lead: the pulled ones wait in the pool
        await settle(pilot)
        await pilot.press("l", "n")
        await pushed(pilot)
        assert status(pilot) == "HubSpot: token refused"
        refused = [note for note in notes(pilot) if "refused the token" in note]
        assert len(refused) == 1  # said once, not at every round
        assert "pat-na1" not in " ".join(notes(pilot))
    assert team_file.crm_counts("hubspot").waiting == 1  # kept for a new token


async def test_the_daily_limit_pauses_the_rounds_until_the_accounts_day_ends(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    fill(hubspot.fake, handed=3, with_marketing=0)
    hubspot.fake.fail("POST", SEARCH, too_many("DAILY"))
    ends = hubspot.fake.resets_at.astimezone(ZoneInfo(terms.sla.time_zone))  # the same day
    paused = f"HubSpot: paused until {ends:%H:%M} (API limit)"
    async with app_for(hubspot, team_file, terms).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert status(pilot) == paused
        asked = len(hubspot.fake.requests)
        pilot.app.screen.query_one(CrmStatus).round()
        await settle(pilot)
        assert status(pilot) == paused
        assert len(hubspot.fake.requests) == asked  # no request while paused
        assert sum("daily API limit" in note for note in notes(pilot)) == 1


async def test_no_key_waits_on_a_slow_hubspot(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    fill(hubspot.fake, handed=9, with_marketing=0)
    rounds(team_file, connector(hubspot.url), terms).round(NOW)
    hubspot.fake.fail("POST", SEARCH, Fault("", "", late=3.0))  # the pull's search crawls
    async with app_for(hubspot, team_file, terms).run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.6)
        (crm,) = [worker for worker in pilot.app.workers if worker.group == "crm"]
        assert crm.state is WorkerState.RUNNING  # still waiting on HubSpot
        await pilot.press("2")  # the unassigned leads
        await pilot.pause(0.3)
        assert crm.state is WorkerState.RUNNING  # the key did not wait for it
        queue = queue_of(pilot)
        assert pilot.app.screen.asked.view is View.UNASSIGNED  # type: ignore[attr-defined]
        assert queue.lines and all(line.row.owner is None for line in queue.lines)
        await settle(pilot)
        assert status(pilot) == "HubSpot: synced just now"


async def test_hidden_without_a_crm_and_left_to_the_team_file_with_a_server(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    from leadtui.sync import TeamServer

    link = CrmLink("hubspot", lambda: connector(hubspot.url), every_seconds=3600)
    without = make_app(team_file, terms, FixedClock(NOW), rep="dana")
    on_a_team = make_app(
        team_file,
        terms,
        FixedClock(NOW),
        rep="dana",
        crm=link,
        team=lambda: TeamServer("http://127.0.0.1:9", "t"),
    )
    for app in (without, on_a_team):
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert not pilot.app.screen.query_one(CrmStatus).display
            assert "HubSpot" not in " ".join(notes(pilot))
    assert hubspot.fake.requests == []
