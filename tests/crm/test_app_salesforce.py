"""The app runs Salesforce's rounds on its own, as it runs HubSpot's: the status line says
how Salesforce stands, a logged call reaches it as a Task that is the rep's, and the
org's spent API budget pauses the rounds for the hour it takes, said as such."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from leadtui.core.agreement import Agreement
from leadtui.core.clock import FixedClock
from leadtui.store import Store
from leadtui.tui.app import LeadApp, make_app
from leadtui.tui.desk import CrmLink
from leadtui.tui.widgets.crm_status import CrmStatus
from tests.conftest import NOW
from tests.crm.conftest import Running
from tests.crm.salesforce_org import DANA, connector, fill
from tests.tui.conftest import notes, queue_of, settle


def app_for(salesforce: Running, store: Store, terms: Agreement, **options: Any) -> LeadApp:
    link = CrmLink("salesforce", lambda: connector(salesforce.url, **options), every_seconds=3600)
    return make_app(store, terms, FixedClock(NOW), rep="dana", crm=link)


def status(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one(CrmStatus).render())


async def test_the_app_pulls_from_salesforce_and_a_logged_call_is_the_reps_task(
    salesforce: Running, team_file: Store, terms: Agreement
) -> None:
    fill(salesforce.fake, handed=9, with_marketing=2)
    async with app_for(salesforce, team_file, terms).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert status(pilot) == "Salesforce: pulled 9 · synced just now"
        await settle(pilot)
        lead = queue_of(pilot).lines[0].row
        await pilot.press("l", "c")  # a call, connected
        await pilot.pause(2.3)  # the push that follows a change
        await settle(pilot)
        assert status(pilot) == "Salesforce: synced just now"
    (task,) = salesforce.fake.tasks.values()
    assert task["WhoId"] == team_file.lead(lead.id).external_id
    assert (task["OwnerId"], task["TaskSubtype"]) == (DANA, "Call")
    assert team_file.crm_counts("salesforce").waiting == 0


async def test_the_orgs_spent_budget_pauses_the_rounds_for_an_hour_said_so(
    salesforce: Running, team_file: Store, terms: Agreement
) -> None:
    fill(salesforce.fake, handed=3, with_marketing=0)
    salesforce.fake.api_limit = 0  # the org's other tools spent it
    async with app_for(salesforce, team_file, terms).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # NOW is 16:40 UTC, 10:40 in the team's Chicago: an hour on is still today.
        assert status(pilot) == "Salesforce: paused until 11:40 (API limit)"
        asked = len(salesforce.fake.requests)
        pilot.app.screen.query_one(CrmStatus).round()
        await settle(pilot)
        assert status(pilot) == "Salesforce: paused until 11:40 (API limit)"
        assert len(salesforce.fake.requests) == asked  # no request while paused
        assert sum("API limit for this org is spent" in note for note in notes(pilot)) == 1
    assert team_file.meta("crm.salesforce.paused_until") == "2026-11-17T17:40:00+00:00"
    async with app_for(salesforce, team_file, terms).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # At 80 columns the queue's counts keep their room: the why was said already.
        assert status(pilot) == "Salesforce: paused until 11:40"
