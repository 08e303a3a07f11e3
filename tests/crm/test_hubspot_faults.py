"""HubSpot's faults where the earlier tests do not reach: a pull cut off mid-paging (a
5xx, a dropped connection, a token that expires), search's own limit and a spent
ten-second window, the lag of search behind a create (why a lost create is looked for
only after 30 seconds), and the daily limit twice in a row. After each: nothing lost,
nothing doubled, and the fake and the file agree."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from leadtui.core.agreement import Agreement
from leadtui.core.clock import FixedClock
from leadtui.core.models import AttemptOutcome, Channel
from leadtui.crm.errors import CrmDown, CrmPaused, DailyLimit, Unauthorized
from leadtui.crm.hubspot import HubSpot, HubSpotHttp
from leadtui.crm.rounds import CrmRounds
from leadtui.desk import Desk
from leadtui.store import Store
from tests import on_disk
from tests.conftest import NOW
from tests.crm.conftest import Running, Waits, connector, fill, rounds
from tests.crm.fake_hubspot import Fault, too_many
from tests.sync.servers import DroppingProxy

SEARCH = "/crm/v3/objects/contacts/search"
CALLS = "/crm/v3/objects/calls"


def kept(team_file: Store) -> list[str]:
    """The contacts the file holds, each as often as it holds it."""
    return sorted(row[0] for row in on_disk.rows(team_file, "SELECT external_id FROM leads"))


def after_searches(hubspot: Running, count: int, then: Any) -> None:
    """Do `then` once the account has answered `count` searches."""
    answered: list[int] = []

    def hook(body: dict[str, Any]) -> None:
        answered.append(1)
        if len(answered) == count:
            then()

    hubspot.fake.after_search.append(hook)


# -- a pull cut off


def test_a_pull_cut_off_by_server_errors_keeps_its_pages_and_goes_on_next_round(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    handed = fill(hubspot.fake, handed=30, with_marketing=0)
    down = [Fault("", "", 503, {"message": "Service Unavailable"}) for _ in range(4)]
    after_searches(hubspot, 1, lambda: [hubspot.fake.fail("POST", SEARCH, f) for f in down])
    with pytest.raises(CrmDown, match="failed \\(503\\)"):
        rounds(team_file, connector(hubspot.url, page_size=10), terms).round(NOW)
    assert kept(team_file) == sorted(handed[:10])  # the first page landed, and its cursor
    cursor = team_file.meta("crm.hubspot.cursor")
    assert cursor and int(cursor.partition("|")[0]) > 0

    hubspot.fake.after_search.clear()
    searched = len(hubspot.fake.searches)
    done = rounds(team_file, connector(hubspot.url, page_size=10), terms).round(NOW)
    assert kept(team_file) == sorted(handed)  # every contact once
    assert done.imported == 20
    first = hubspot.fake.searches[searched]
    since = first["filterGroups"][0]["filters"][1]["value"]
    assert since == cursor.partition("|")[0]  # from where it stopped


def test_one_server_error_mid_pull_is_asked_again(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    handed = fill(hubspot.fake, handed=30, with_marketing=0)
    after_searches(hubspot, 2, lambda: hubspot.fake.fail("POST", SEARCH, Fault("", "", 502, {})))
    done = rounds(team_file, connector(hubspot.url, page_size=10), terms).round(NOW)
    assert done.imported == 30 and kept(team_file) == sorted(handed)


def test_a_connection_dropped_mid_pull_is_asked_again(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    handed = fill(hubspot.fake, handed=30, with_marketing=0)
    proxy = DroppingProxy(hubspot.url).start()
    try:
        after_searches(hubspot, 2, lambda: setattr(proxy, "drop_next", True))
        done = rounds(team_file, connector(proxy.url, page_size=10), terms).round(NOW)
        assert proxy.dropped == 1
        assert done.imported == 30 and kept(team_file) == sorted(handed)
    finally:
        proxy.stop()


def test_a_token_that_expires_mid_pull_stops_the_round_and_a_new_one_goes_on(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    handed = fill(hubspot.fake, handed=30, with_marketing=0)
    after_searches(hubspot, 1, lambda: setattr(hubspot.fake, "token", "pat-na1-renewed"))
    with pytest.raises(Unauthorized, match="refused the token"):
        rounds(team_file, connector(hubspot.url, page_size=10), terms).round(NOW)
    assert kept(team_file) == sorted(handed[:10])
    assert "refused the token" in (team_file.meta("crm.hubspot.last_error") or "")

    hubspot.fake.after_search.clear()
    hub = connector(hubspot.url, token="pat-na1-renewed", page_size=10)
    done = rounds(team_file, hub, terms).round(NOW)
    assert done.imported == 20 and kept(team_file) == sorted(handed)


# -- limits


class Clock:
    """A monotonic clock that the waits move on (no test sleeps)."""

    def __init__(self) -> None:
        self.at = 1000.0
        self.waits = Waits()

    def sleep(self, seconds: float) -> None:
        self.waits(seconds)
        self.at += seconds

    def monotonic(self) -> float:
        return self.at


def timed(url: str, clock: Clock) -> HubSpot:
    http = HubSpotHttp(
        url, "pat-na1-fake", backoff=0.0, sleep=clock.sleep, monotonic=clock.monotonic
    )
    return HubSpot(http, page_size=10)


def test_searchs_own_limit_waits_a_second_not_the_window(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    fill(hubspot.fake, handed=12, with_marketing=0)
    hubspot.fake.fail("POST", SEARCH, too_many("SECONDLY"))
    clock = Clock()
    done = rounds(team_file, timed(hubspot.url, clock), terms).round(NOW)
    assert done.imported == 12
    assert 1.0 in clock.waits and 10.0 not in clock.waits
    # Searches are paced to five a second: never two within 0.2 s of the clock.
    assert all(wait <= 1.0 for wait in clock.waits)


def test_a_spent_window_is_waited_for_before_the_next_request(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    fill(hubspot.fake, handed=12, with_marketing=0)
    hubspot.fake.window_spent = 1  # the first answer says the window's last is spent
    clock = Clock()
    done = rounds(team_file, timed(hubspot.url, clock), terms).round(NOW)
    assert done.imported == 12
    assert clock.waits.count(10.0) == 1  # the next request waited the window out, once


# -- pushes


@pytest.fixture
def pulled(hubspot: Running, team_file: Store, terms: Agreement) -> list[tuple[int, str]]:
    handed = fill(hubspot.fake, handed=4, with_marketing=0)
    rounds(team_file, connector(hubspot.url), terms).round(NOW)
    ids = team_file.lead_ids_by_key(handed)
    return [(ids[contact], contact) for contact in handed]


@pytest.fixture
def desk(team_file: Store, terms: Agreement) -> Desk:
    return Desk(team_file, terms, FixedClock(NOW), rep="dana")


def test_a_lost_create_is_looked_for_only_once_search_has_caught_up(
    hubspot: Running, team_file: Store, terms: Agreement, pulled: list[tuple[int, str]], desk: Desk
) -> None:
    lead, _ = pulled[0]
    desk.log(lead, Channel.CALL, AttemptOutcome.CONNECTED, "Pilot in January")
    hubspot.fake.search_lag = timedelta(seconds=30)
    hubspot.fake.fail("POST", CALLS, Fault("", "", late=1.5))
    with pytest.raises(CrmDown):
        CrmRounds(team_file, connector(hubspot.url, timeout=0.5), terms).round(NOW, pull=False)
    assert len(hubspot.fake.objects["calls"]) == 1  # made; its answer lost

    # Ten seconds on, HubSpot's search does not show the call yet: looking now would
    # find nothing and make it twice. The round leaves it for later.
    (owed,) = team_file.owed_to_crm("hubspot")
    hub = connector(hubspot.url)
    assert hub.find(owed) is None
    hubspot.fake.now += timedelta(seconds=10)
    soon = CrmRounds(team_file, hub, terms).round(NOW + timedelta(seconds=10), pull=False)
    assert (soon.pushed, soon.already) == (0, 0)
    assert len(hubspot.fake.objects["calls"]) == 1

    hubspot.fake.now += timedelta(seconds=25)  # search has caught up
    later = CrmRounds(team_file, hub, terms).round(NOW + timedelta(seconds=35), pull=False)
    assert (later.pushed, later.already) == (0, 1)
    (event_id,) = [e for e in team_file.made_in_crm("hubspot")]
    assert len(hubspot.fake.made_for(event_id)) == 1
    assert team_file.crm_counts("hubspot").waiting == 0


def at(day: int, hour: int, minute: int) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def test_the_daily_limit_twice_in_a_row_pauses_until_the_accounts_day_ends(
    hubspot: Running, team_file: Store, terms: Agreement, pulled: list[tuple[int, str]], desk: Desk
) -> None:
    (first, _), (second, _) = pulled[1], pulled[2]
    desk.claim(first, team_file.lead(first).version)
    desk.log(first, Channel.CALL, AttemptOutcome.NO_ANSWER)
    hubspot.fake.fail("POST", CALLS, too_many("DAILY"))
    with pytest.raises(DailyLimit, match="until 2026-11-18 05:00 UTC"):
        rounds(team_file, connector(hubspot.url), terms).round(NOW)
    # A US account's day ends at its midnight: 05:00 UTC, not 00:00 UTC the day after.
    assert team_file.meta("crm.hubspot.paused_until") == "2026-11-18T05:00:00+00:00"
    with pytest.raises(CrmPaused):
        rounds(team_file, connector(hubspot.url), terms).round(at(18, 4, 59))

    day_two = rounds(team_file, connector(hubspot.url), terms).round(at(18, 5, 1), pull=False)
    assert day_two.pushed == 1  # the new day: the call that waited goes

    desk.claim(second, team_file.lead(second).version)
    desk.log(second, Channel.CALL, AttemptOutcome.VOICEMAIL)
    hubspot.fake.resets_at = at(19, 5, 0)
    hubspot.fake.fail("POST", CALLS, too_many("DAILY"))  # day two's budget spent too
    with pytest.raises(DailyLimit, match="until 2026-11-19 05:00 UTC"):
        rounds(team_file, connector(hubspot.url), terms).round(at(18, 5, 2), pull=False)
    assert team_file.meta("crm.hubspot.paused_until") == "2026-11-19T05:00:00+00:00"

    day_three = rounds(team_file, connector(hubspot.url), terms).round(at(19, 5, 1), pull=False)
    assert day_three.pushed == 1
    made = team_file.made_in_crm("hubspot")
    assert len(made) == 2 and all(len(hubspot.fake.made_for(e)) == 1 for e in made)
    assert team_file.crm_counts("hubspot").waiting == 0


def test_without_the_accounts_reset_time_the_rounds_look_again_in_an_hour(
    hubspot: Running, team_file: Store, terms: Agreement, pulled: list[tuple[int, str]], desk: Desk
) -> None:
    lead, _ = pulled[1]
    desk.claim(lead, team_file.lead(lead).version)
    desk.log(lead, Channel.CALL, AttemptOutcome.NO_ANSWER)
    hubspot.fake.fail("POST", CALLS, too_many("DAILY"))
    hubspot.fake.fail("GET", "/account-info/", Fault("", "", 403, {"message": "scope"}))
    with pytest.raises(DailyLimit, match="try again in an hour"):
        rounds(team_file, connector(hubspot.url), terms).round(NOW)
    # From the round's own time (a demo's frozen clock, too), not the machine's.
    assert team_file.meta("crm.hubspot.paused_until") == "2026-11-17T17:40:00+00:00"
    assert rounds(team_file, connector(hubspot.url), terms).round(at(17, 17, 41)).pushed == 1


@pytest.fixture(autouse=True)
def _no_stray_faults(hubspot: Running) -> Iterator[None]:
    yield
    assert hubspot.fake.faults == [], "a fault set up was never met"
