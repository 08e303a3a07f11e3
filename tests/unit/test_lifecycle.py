"""The lifecycle table: allowed moves pass, others are refused with what is allowed."""

from __future__ import annotations

import pytest

from leadtui.core.agreement import Agreement
from leadtui.core.lifecycle import ALLOWED_FROM, TransitionRefused, allowed, check
from leadtui.core.models import Event, EventKind, Projection, Role, Stage
from tests.conftest import NOW

CHECKED = {"decision_maker": True, "budget": True, "need": True, "timing": True}


def _event(kind: EventKind, actor: str = "dana", **payload: object) -> Event:
    return Event(lead_id=1, kind=kind, actor=actor, at=NOW, payload=payload)


def _lead(stage: Stage, owner: str | None = "dana") -> Projection:
    return Projection(stage=stage, owner=owner)


def test_the_happy_path_is_allowed(terms: Agreement) -> None:
    check(_lead(Stage.MQL, None), _event(EventKind.CLAIMED, rep="dana"), terms)
    check(
        _lead(Stage.WORKING),
        _event(EventKind.ATTEMPT, channel="call", outcome="voicemail", note=""),
        terms,
    )
    check(_lead(Stage.WORKING), _event(EventKind.ACCEPTED), terms)
    check(_lead(Stage.ACCEPTED), _event(EventKind.QUALIFIED, checklist=CHECKED), terms)
    for stage in (Stage.MQL, Stage.WORKING, Stage.ACCEPTED):
        check(_lead(stage), _event(EventKind.DISQUALIFIED, reason="student"), terms)
        check(_lead(stage), _event(EventKind.RETURNED_TO_NURTURE, reason="not_now"), terms)


def test_moves_outside_the_table_say_what_is_allowed(terms: Agreement) -> None:
    with pytest.raises(TransitionRefused) as refused:
        check(_lead(Stage.MQL), _event(EventKind.QUALIFIED, checklist=CHECKED), terms)
    assert str(refused.value) == (
        "cannot qualify a lead that is mql; you can claim, return to nurture, disqualify, "
        "snooze, reassign"
    )
    with pytest.raises(TransitionRefused, match="cannot accept a lead that is disqualified$"):
        check(_lead(Stage.DISQUALIFIED), _event(EventKind.ACCEPTED), terms)
    assert allowed(Stage.WON) == []


def test_every_open_stage_can_be_left_with_a_reason(terms: Agreement) -> None:
    for kind in (EventKind.RETURNED_TO_NURTURE, EventKind.DISQUALIFIED):
        assert {Stage.MQL, Stage.WORKING, Stage.ACCEPTED} <= ALLOWED_FROM[kind]


def test_reasons_come_from_the_agreement(terms: Agreement) -> None:
    with pytest.raises(TransitionRefused) as refused:
        check(_lead(Stage.WORKING), _event(EventKind.DISQUALIFIED, reason="rude"), terms)
    assert str(refused.value).startswith("disqualify needs a reason: one of student, competitor,")
    assert str(refused.value).endswith("(not 'rude')")
    with pytest.raises(
        TransitionRefused, match="return to nurture needs a reason: one of no_response"
    ):
        check(_lead(Stage.WORKING), _event(EventKind.RETURNED_TO_NURTURE), terms)


def test_qualify_needs_the_whole_checklist(terms: Agreement) -> None:
    partial = CHECKED | {"budget": False}
    with pytest.raises(TransitionRefused, match="checklist confirmed: budget$"):
        check(_lead(Stage.ACCEPTED), _event(EventKind.QUALIFIED, checklist=partial), terms)
    with pytest.raises(TransitionRefused, match="decision maker, budget, need, timing"):
        check(_lead(Stage.ACCEPTED), _event(EventKind.QUALIFIED), terms)


def test_only_the_owner_or_a_team_lead_works_a_lead(terms: Agreement) -> None:
    attempt = _event(EventKind.ATTEMPT, actor="marcus", channel="call", outcome="no_answer")
    with pytest.raises(TransitionRefused, match="this lead is dana's; ask a team lead"):
        check(_lead(Stage.WORKING), attempt, terms)
    check(_lead(Stage.WORKING), attempt, terms, role=Role.LEAD)
    with pytest.raises(TransitionRefused, match="only a team lead can reassign"):
        check(_lead(Stage.WORKING), _event(EventKind.REASSIGNED, to="marcus"), terms)
    check(_lead(Stage.WORKING), _event(EventKind.REASSIGNED, to="marcus"), terms, role=Role.LEAD)


def test_an_outcome_must_fit_its_channel(terms: Agreement) -> None:
    with pytest.raises(TransitionRefused, match="a call ends connected, gatekeeper, no-answer"):
        check(
            _lead(Stage.WORKING),
            _event(EventKind.ATTEMPT, channel="call", outcome="replied"),
            terms,
        )
