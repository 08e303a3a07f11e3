"""Two CRM rounds on one file at the same time (the team server's and a cron job's `leadtui
crm push --db team.db`; the app's and the command line's): each push is claimed by one
of them, so nothing is made twice in the CRM; a round that died lets go when its claim's
lease ends."""

from __future__ import annotations

import threading
from pathlib import Path

from leadtui.core.agreement import Agreement
from leadtui.core.clock import FixedClock
from leadtui.core.models import AttemptOutcome, Channel
from leadtui.crm.rounds import LEASE, CrmRound
from leadtui.desk import Desk
from leadtui.store import Store
from tests.conftest import NOW
from tests.crm.conftest import Running, connector, fill, rounds
from tests.crm.fake_hubspot import Fault

CALL_PATH = "/crm/v3/objects/calls"


def test_two_rounds_at_once_make_each_call_once(
    hubspot: Running, team_file: Store, terms: Agreement, tmp_path: Path
) -> None:
    handed = fill(hubspot.fake, handed=3, with_marketing=0)
    rounds(team_file, connector(hubspot.url), terms).round(NOW)
    ids = team_file.lead_ids_by_key(handed)
    desk = Desk(team_file, terms, FixedClock(NOW), rep="dana")
    for contact in handed:
        desk.log(ids[contact], Channel.CALL, AttemptOutcome.CONNECTED, "Talked pricing")
    connector(hubspot.url).check()  # the account prepared (its event id property made)
    for _ in range(6):  # every create answers slowly: the two rounds overlap
        hubspot.fake.fail("POST", CALL_PATH, Fault("", "", late=0.3))

    start = threading.Barrier(2)
    done: list[CrmRound] = []
    failed: list[Exception] = []

    def one_round() -> None:
        with Store(tmp_path / "team.db") as store:
            start.wait()
            try:
                done.append(rounds(store, connector(hubspot.url), terms).round(NOW, pull=False))
            except Exception as error:  # said by the test, not lost in the thread
                failed.append(error)

    both = [threading.Thread(target=one_round) for _ in range(2)]
    for thread in both:
        thread.start()
    for thread in both:
        thread.join(timeout=60)

    hubspot.fake.faults.clear()  # the slow answers left over: three creates, not six
    assert failed == []
    calls = sorted(len(hubspot.fake.made_for(event)) for event in team_file.made_in_crm("hubspot"))
    assert calls == [1, 1, 1]
    # Each made by one round; the other may have found it made (already there).
    assert sum(round_.pushed for round_ in done) == 3
    assert team_file.crm_counts("hubspot").waiting == 0


def test_a_claim_of_a_round_that_died_holds_until_its_lease_ends(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    handed = fill(hubspot.fake, handed=1, with_marketing=0)
    rounds(team_file, connector(hubspot.url), terms).round(NOW)
    lead = team_file.lead_ids_by_key(handed)[handed[0]]
    Desk(team_file, terms, FixedClock(NOW), rep="dana").log(
        lead, Channel.CALL, AttemptOutcome.VOICEMAIL, "Left a message"
    )
    (owed,) = team_file.owed_to_crm("hubspot")
    died_at = 1_800_000_000.0
    assert team_file.claim_push(
        "hubspot",
        owed.event_id,
        NOW,
        holder="a round that died",
        wall=died_at,
        lease=LEASE.total_seconds(),
    )

    soon = rounds(team_file, connector(hubspot.url), terms)
    soon.wall = lambda: died_at + 60
    assert soon.round(NOW, pull=False).pushed == 0
    assert hubspot.fake.made_for(owed.event_id) == []
    assert team_file.crm_counts("hubspot").waiting == 1  # still owed, not lost

    later = rounds(team_file, connector(hubspot.url), terms)
    later.wall = lambda: died_at + LEASE.total_seconds() + 1
    done = later.round(NOW, pull=False)
    assert (done.pushed, done.already) == (1, 0)  # looked for first, then made once
    assert len(hubspot.fake.made_for(owed.event_id)) == 1
    assert team_file.crm_counts("hubspot").waiting == 0
