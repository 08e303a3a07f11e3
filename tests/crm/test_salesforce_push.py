"""Pushing to Salesforce: each attempt a Task on the Lead upserted on the event's UUID
(runs of them in one sObject Collections request), each move the Lead's Status; once
each, whatever fails on the way. After every fault: nothing lost, nothing doubled, and
the fake and the file agree."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from leadtui.core.agreement import Agreement
from leadtui.core.models import AttemptOutcome, Channel, Stage
from leadtui.crm.errors import CrmDown, CrmPaused, DailyLimit, Unauthorized
from leadtui.desk import Desk
from leadtui.store import Store
from tests.conftest import NOW
from tests.crm.conftest import Running, Waits, rounds
from tests.crm.salesforce_org import DANA, connector
from tests.crm.salesforce_parts import DATA, Fault
from tests.crm.salesforce_pushes import (
    BATCH_PATH,
    agree,
    attempts_logged,
    desk,
    pulled,
    task_of,
)
from tests.sync.servers import DroppingProxy
from tests.unit.history import ALL_CHECKED

__all__ = ["desk", "pulled"]  # fixtures


def test_attempts_become_tasks_in_one_batch_and_moves_set_the_status(
    salesforce: Running,
    team_file: Store,
    terms: Agreement,
    pulled: list[tuple[int, str]],
    desk: Desk,
) -> None:
    (ines, ines_lead), (omar, omar_lead), (greta, greta_lead) = pulled[:3]
    desk.log(ines, Channel.CALL, AttemptOutcome.CONNECTED, "Wants a demo on Thursday")
    desk.log(ines, Channel.EMAIL, AttemptOutcome.SENT, "Sent the ROI calculator")
    desk.log(omar, Channel.CALL, AttemptOutcome.NO_ANSWER)
    desk.accept(ines)
    desk.nurture(omar, "not_now")
    desk.log(greta, Channel.CALL, AttemptOutcome.WRONG_NUMBER)
    desk.disqualify(greta, "bad_data")
    salesforce.fake.requests.clear()

    done = rounds(team_file, connector(salesforce.url), terms).round(NOW, pull=False)
    assert (done.pushed, done.refused) == (7, [])
    # The four Tasks in one request, the three moves in another.
    sent = [p for m, p in salesforce.fake.requests if m == "PATCH"]
    assert sent == [BATCH_PATH, f"{DATA}/composite/sobjects"]

    call, email, _, wrong = attempts_logged(team_file)
    first = task_of(salesforce, call)
    assert (first["WhoId"], first["TaskSubtype"], first["Status"]) == (
        ines_lead,
        "Call",
        "Completed",
    )
    assert first["CallDisposition"] == "Connected" and first["CallType"] == "Outbound"
    assert first["Description"] == "Wants a demo on Thursday"
    assert first["ActivityDate"] == "2026-11-17"
    assert first["Subject"] == "Call: Ines Martin (connected)"
    assert first["OwnerId"] == DANA  # Dana's in the org's reports by rep, not the API user's
    sent_email = task_of(salesforce, email)
    assert (sent_email["TaskSubtype"], sent_email["Description"]) == (
        "Email",
        "Sent the ROI calculator",
    )
    assert "CallDisposition" not in sent_email
    assert task_of(salesforce, wrong)["CallDisposition"] == "Wrong number"
    leads = salesforce.fake.leads
    assert leads[ines_lead]["Status"] == "Working - Contacted"
    assert leads[omar_lead]["Status"] == "Nurturing"
    assert leads[greta_lead]["Status"] == "Closed - Not Converted"
    agree(salesforce, team_file)

    again = rounds(team_file, connector(salesforce.url), terms).round(NOW, pull=False)
    assert (again.pushed, again.already) == (0, 0)
    assert len(salesforce.fake.tasks) == 4


def test_qualify_sets_the_status_and_leaves_conversion_to_the_ae(
    salesforce: Running,
    team_file: Store,
    terms: Agreement,
    pulled: list[tuple[int, str]],
    desk: Desk,
) -> None:
    lead, record = pulled[0]
    desk.log(lead, Channel.CALL, AttemptOutcome.CONNECTED, "Budget approved, meeting booked")
    desk.accept(lead)
    desk.qualify(lead, ALL_CHECKED)
    rounds(team_file, connector(salesforce.url), terms).round(NOW)
    found = salesforce.fake.leads[record]
    assert (found["Status"], found["IsConverted"]) == ("Qualified", False)
    # Still sales': the next pull reads it, and leadtui keeps it qualified.
    assert team_file.lead(lead).stage is Stage.QUALIFIED
    agree(salesforce, team_file)


def test_a_timeout_after_salesforce_made_the_tasks_is_found_not_doubled(
    salesforce: Running,
    team_file: Store,
    terms: Agreement,
    pulled: list[tuple[int, str]],
    desk: Desk,
) -> None:
    for lead, _ in pulled[:3]:
        desk.log(lead, Channel.CALL, AttemptOutcome.VOICEMAIL, "Left a message about the webinar")
    salesforce.fake.fail("PATCH", BATCH_PATH, Fault("", "", late=1.5))
    with pytest.raises(CrmDown, match="answer was lost"):
        rounds(team_file, connector(salesforce.url, timeout=0.5), terms).round(NOW)
    for event_id in attempts_logged(team_file):
        assert len(salesforce.fake.tasks_for(event_id)) == 1  # made; leadtui never heard
    assert team_file.crm_counts("salesforce").unsure == 3

    done = rounds(team_file, connector(salesforce.url), terms).round(NOW)
    assert (done.pushed, done.already) == (0, 3)
    agree(salesforce, team_file)


def test_sending_an_upsert_again_updates_the_task_it_made(
    salesforce: Running,
    team_file: Store,
    terms: Agreement,
    pulled: list[tuple[int, str]],
    desk: Desk,
) -> None:
    """The promise under the lookup: an upsert on the event's UUID makes one Task,
    however often it is sent (sent again, alone or in a batch, it updates that Task)."""
    lead, _ = pulled[0]
    desk.log(lead, Channel.CALL, AttemptOutcome.CONNECTED, "Talked pricing")
    org = connector(salesforce.url)
    (outgoing,) = team_file.owed_to_crm("salesforce")
    first = org.push(outgoing)
    again = replace(outgoing, unsure=True)  # as a round sends a push whose answer was lost
    assert org.push_many([again]) == [first]
    assert org.push(again) == first
    assert salesforce.fake.tasks_for(outgoing.event_id) == [first]
    assert salesforce.fake.tasks[first]["TaskSubtype"] == "Call"


def test_a_connection_dropped_after_salesforce_made_the_task(
    salesforce: Running,
    team_file: Store,
    terms: Agreement,
    pulled: list[tuple[int, str]],
    desk: Desk,
) -> None:
    proxy = DroppingProxy(salesforce.url).start()
    try:
        lead, _ = pulled[1]
        desk.log(lead, Channel.CALL, AttemptOutcome.CONNECTED, "Booked a call with their CFO")
        org = connector(proxy.url)
        rounds(team_file, org, terms).round(NOW, push=False)  # the org and its users read
        # the next request is the Task
        proxy.drop_next = True
        with pytest.raises(CrmDown):
            rounds(team_file, org, terms).round(NOW, pull=False)
        assert proxy.dropped == 1
        done = rounds(team_file, connector(proxy.url), terms).round(NOW)
        assert done.already == 1
        agree(salesforce, team_file)
    finally:
        proxy.stop()


def test_a_server_error_before_anything_was_made_sends_them_once(
    salesforce: Running,
    team_file: Store,
    terms: Agreement,
    pulled: list[tuple[int, str]],
    desk: Desk,
) -> None:
    lead, _ = pulled[0]
    desk.log(lead, Channel.CALL, AttemptOutcome.NO_ANSWER)
    desk.log(lead, Channel.CALL, AttemptOutcome.CONNECTED, "Call back after the board meeting")
    salesforce.fake.fail(
        "PATCH",
        BATCH_PATH,
        Fault("", "", 503, [{"message": "down", "errorCode": "SERVER_UNAVAILABLE"}]),
    )
    with pytest.raises(CrmDown):
        rounds(team_file, connector(salesforce.url), terms).round(NOW)
    assert salesforce.fake.tasks == {}  # nothing made; both wait in the file
    done = rounds(team_file, connector(salesforce.url), terms).round(NOW)
    assert (done.pushed, done.already) == (2, 0)
    agree(salesforce, team_file)
    for event_id in attempts_logged(team_file):  # made by the second send: a create
        assert task_of(salesforce, event_id)["TaskSubtype"] == "Call"


def test_an_expired_session_is_renewed_and_the_request_asked_again(
    salesforce: Running,
    team_file: Store,
    terms: Agreement,
    pulled: list[tuple[int, str]],
    desk: Desk,
) -> None:
    lead, _ = pulled[0]
    desk.log(lead, Channel.EMAIL, AttemptOutcome.SENT, "Case study")
    org = connector(salesforce.url)
    org.check()
    given = salesforce.fake.tokens_given
    salesforce.fake.expire_sessions()
    done = rounds(team_file, org, terms).round(NOW)
    assert done.pushed == 1
    assert salesforce.fake.tokens_given == given + 1
    agree(salesforce, team_file)


def test_the_session_is_kept_from_round_to_round(
    salesforce: Running,
    team_file: Store,
    terms: Agreement,
    pulled: list[tuple[int, str]],
    desk: Desk,
) -> None:
    """The app and the team server open a connector a round: each does not sign in again."""
    given = salesforce.fake.tokens_given
    for lead, _ in pulled[:3]:
        desk.log(lead, Channel.CALL, AttemptOutcome.NO_ANSWER)
        rounds(team_file, connector(salesforce.url), terms).round(NOW)
    assert salesforce.fake.tokens_given == given
    agree(salesforce, team_file)
    wrong = connector(salesforce.url, secret="rotated-away")  # another credential: its own
    with pytest.raises(Unauthorized):
        rounds(team_file, wrong, terms).round(NOW)


def test_a_validation_rule_refuses_in_words_once_and_the_others_go_on(
    salesforce: Running,
    team_file: Store,
    terms: Agreement,
    pulled: list[tuple[int, str]],
    desk: Desk,
) -> None:
    (kept, _), (ruled, ruled_lead) = pulled[0], pulled[1]

    def needs_a_comment(kind: str, record: dict[str, Any]) -> str | None:
        if kind == "Task" and record.get("WhoId") == ruled_lead and not record.get("Description"):
            return "Log what was said: a call needs its comments"
        if kind == "Lead" and record.get("Status") == "Nurturing":
            return "Nurturing needs a nurture campaign"
        return None

    salesforce.fake.rules.append(needs_a_comment)
    desk.log(kept, Channel.CALL, AttemptOutcome.CONNECTED, "Good talk")
    desk.log(ruled, Channel.CALL, AttemptOutcome.NO_ANSWER)
    desk.nurture(ruled, "not_now")
    done = rounds(team_file, connector(salesforce.url), terms).round(NOW)
    assert done.pushed == 1
    reasons = sorted(refusal.reason for refusal in done.refused)
    assert reasons == [
        "a Salesforce validation rule refused it: Log what was said: a call needs its comments",
        "a Salesforce validation rule refused it: Nurturing needs a nurture campaign",
    ]
    asked = len(salesforce.fake.requests)
    again = rounds(team_file, connector(salesforce.url), terms).round(NOW, pull=False)
    assert (again.pushed, again.refused) == (0, [])
    assert len(salesforce.fake.requests) == asked  # nothing sent again
    assert team_file.crm_counts("salesforce").refused == 2
    assert [r.lead_name for r in team_file.refused_by_crm("salesforce")]  # kept for the rep
    assert len(attempts_logged(team_file)) == 2  # the rep's log keeps both


def test_a_deleted_lead_refuses_in_words(
    salesforce: Running,
    team_file: Store,
    terms: Agreement,
    pulled: list[tuple[int, str]],
    desk: Desk,
) -> None:
    gone, gone_lead = pulled[3]
    desk.log(gone, Channel.CALL, AttemptOutcome.NO_ANSWER)
    desk.disqualify(gone, "bad_data")
    salesforce.fake.deleted.add(gone_lead)
    done = rounds(team_file, connector(salesforce.url), terms).round(NOW, pull=False)
    assert [r.reason for r in done.refused] == [
        "Salesforce has no such lead any more (deleted or merged)"
    ] * 2


def test_the_org_limit_pauses_the_rounds_and_loses_nothing(
    salesforce: Running,
    team_file: Store,
    terms: Agreement,
    pulled: list[tuple[int, str]],
    desk: Desk,
) -> None:
    lead, _ = pulled[0]
    desk.log(lead, Channel.CALL, AttemptOutcome.CONNECTED, "Interested in the pilot")
    salesforce.fake.api_limit = salesforce.fake.api_used  # spent
    with pytest.raises(DailyLimit, match="TotalRequests Limit exceeded"):
        rounds(team_file, connector(salesforce.url), terms).round(NOW)
    asked = len(salesforce.fake.requests)
    with pytest.raises(CrmPaused, match="wait until"):
        rounds(team_file, connector(salesforce.url), terms).round(NOW)
    assert len(salesforce.fake.requests) == asked  # not one request while paused
    assert team_file.crm_counts("salesforce").waiting == 1  # kept, not lost


def test_near_the_limit_it_slows_down_then_stops_short_of_it(
    salesforce: Running,
    team_file: Store,
    terms: Agreement,
    pulled: list[tuple[int, str]],
    desk: Desk,
) -> None:
    lead, _ = pulled[0]
    desk.log(lead, Channel.CALL, AttemptOutcome.CONNECTED)
    desk.accept(lead)
    salesforce.fake.api_used, salesforce.fake.api_limit = 9_300, 10_000  # 93% used
    waits = Waits()
    rounds(team_file, connector(salesforce.url, sleep=waits), terms).round(NOW, pull=False)
    # The org's users read (the budget not known yet), then the Task and the move each
    # waited a second: slowed, not stopped.
    assert waits.count(1.0) == 2
    agree(salesforce, team_file)

    desk.log(lead, Channel.EMAIL, AttemptOutcome.SENT, "Pilot terms")
    desk.qualify(lead, ALL_CHECKED)
    salesforce.fake.api_used = 9_850  # 1.5% left: the rest is the org's other tools'
    org = connector(salesforce.url)
    with pytest.raises(DailyLimit, match="nearly spent"):
        rounds(team_file, org, terms).round(NOW, pull=False)
    assert team_file.crm_counts("salesforce").waiting == 2  # the email and the move wait
    assert (org.budget().daily_left, org.budget().daily_max) == (149, 10_000)
    assert "nearly spent" in (team_file.meta("crm.salesforce.last_error") or "")


@pytest.fixture(autouse=True)
def _no_stray_faults(salesforce: Running) -> Iterator[None]:
    yield
    assert salesforce.fake.faults == [], "a fault set up was never met"
