"""Pushes Salesforce takes only in part: a Task that is the rep's (or the integration
user's, for a rep who is no user), a push failing round after round given up in words
and sent again once fixed, a record the integration user may not touch refused alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from leadtui.core.agreement import Agreement
from leadtui.core.clock import FixedClock
from leadtui.core.models import AttemptOutcome, Channel
from leadtui.crm.errors import CrmDown
from leadtui.desk import Desk
from leadtui.store import Store
from tests.conftest import NOW
from tests.crm.conftest import Running, rounds
from tests.crm.salesforce_org import connector
from tests.crm.salesforce_parts import DATA, Fault
from tests.crm.salesforce_pushes import (
    ONE_TASK_PATH,
    agree,
    attempts_logged,
    desk,
    down,
    pulled,
    task_of,
)

__all__ = ["desk", "pulled"]  # fixtures


def test_a_rep_who_is_no_salesforce_user_leaves_the_task_to_the_integration_user(
    salesforce: Running,
    team_file: Store,
    terms: Agreement,
    pulled: list[tuple[int, str]],
) -> None:
    lead, _ = pulled[1]
    Desk(team_file, terms, FixedClock(NOW), rep="marcus").log(
        lead, Channel.CALL, AttemptOutcome.NO_ANSWER
    )
    assert rounds(team_file, connector(salesforce.url), terms).round(NOW).pushed == 1
    (event_id,) = attempts_logged(team_file)
    assert "OwnerId" not in task_of(salesforce, event_id)
    agree(salesforce, team_file)


def test_a_push_that_fails_round_after_round_is_given_up_in_words_and_can_be_sent_again(
    salesforce: Running,
    team_file: Store,
    terms: Agreement,
    pulled: list[tuple[int, str]],
    desk: Desk,
) -> None:
    from leadtui.crm.rounds import MOST_TRIES

    (stuck, stuck_lead), (other, _) = pulled[0], pulled[1]
    desk.log(stuck, Channel.CALL, AttemptOutcome.CONNECTED, "Wants a quote")
    # The first send in a batch, then alone (a push that failed before goes on its own).
    salesforce.fake.faults += down(1) + down(MOST_TRIES - 1, ONE_TASK_PATH)
    for _ in range(MOST_TRIES - 1):
        with pytest.raises(CrmDown):
            rounds(team_file, connector(salesforce.url), terms).round(NOW, pull=False)
    desk.log(other, Channel.EMAIL, AttemptOutcome.SENT, "The case study")  # behind it
    done = rounds(team_file, connector(salesforce.url), terms).round(NOW, pull=False)
    assert done.pushed == 1  # the queue moves on
    (given_up,) = done.refused
    assert given_up.reason.startswith(f"tried {MOST_TRIES} times, it failed each time (")
    assert "--retry-refused" in given_up.reason
    assert team_file.crm_counts("salesforce").refused == 1
    assert len(salesforce.fake.tasks) == 1

    again = rounds(team_file, connector(salesforce.url), terms).round(
        NOW, pull=False, retry_refused=True
    )
    assert (again.sent_again, again.pushed, again.refused) == (1, 1, [])
    assert (
        salesforce.fake.tasks[salesforce.fake.tasks_for(attempts_logged(team_file)[0])[0]]["WhoId"]
        == stuck_lead
    )
    agree(salesforce, team_file)
    assert team_file.crm_counts("salesforce").refused == 0


def test_a_record_the_integration_user_may_not_touch_is_refused_not_a_stop(
    salesforce: Running,
    team_file: Store,
    terms: Agreement,
    pulled: list[tuple[int, str]],
    desk: Desk,
) -> None:
    (locked, locked_lead), (fine, fine_lead) = pulled[0], pulled[1]
    for lead in (locked, fine):
        desk.claim(lead)
        desk.accept(lead)
    # The batch of both moves fails first; sent again, each goes on its own.
    salesforce.fake.faults += down(4, f"{DATA}/composite/sobjects")
    with pytest.raises(CrmDown):
        rounds(team_file, connector(salesforce.url), terms).round(NOW, pull=False)
    salesforce.fake.fail(
        "PATCH",
        f"{DATA}/sobjects/Lead/{locked_lead}",
        Fault(
            "",
            "",
            403,
            [
                {
                    "message": "insufficient access rights on object id",
                    "errorCode": "INSUFFICIENT_ACCESS_OR_READONLY",
                }
            ],
        ),
    )
    done = rounds(team_file, connector(salesforce.url), terms).round(NOW, pull=False)
    assert done.pushed == 1  # the other lead's move
    (refusal,) = done.refused
    assert (
        "may not change" in refusal.reason and "INSUFFICIENT_ACCESS_OR_READONLY" in refusal.reason
    )
    assert salesforce.fake.leads[fine_lead]["Status"] == "Working - Contacted"
    assert salesforce.fake.leads[locked_lead]["Status"] == "MQL"


@pytest.fixture(autouse=True)
def _no_stray_faults(salesforce: Running) -> Iterator[None]:
    yield
    assert salesforce.fake.faults == [], "a fault set up was never met"
