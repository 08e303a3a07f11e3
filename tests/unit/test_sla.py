"""The SLA clock, read at frozen instants: due, due soon, breached, paused, met."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from leadtui.core.agreement import Agreement
from leadtui.core.calendar import BusinessCalendar
from leadtui.core.models import Channel, Lead, Stage
from leadtui.core.sla import (
    SlaState,
    cadence,
    duration,
    handoff,
    next_step,
    read,
    spacing,
    speed_to_lead,
    steps_made,
)
from tests.conftest import make_lead

CHICAGO = ZoneInfo("America/Chicago")


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in Chicago in November 2026 (Mon 16 .. Fri 20 is a working week)."""
    return datetime.combine(date(2026, 11, day), time(hour, minute), CHICAGO).astimezone(UTC)


def _mql(**fields: object) -> Lead:
    values: dict[str, object] = {"stage": Stage.MQL, "mql_at": _at(17, 10, 0)}
    values.update(fields)
    return make_lead(**values)  # a web-form lead: first touch within 60 business minutes


def test_the_cadence_interleaves_calls_and_emails(terms: Agreement) -> None:
    assert cadence(terms.sla) == [Channel.CALL, Channel.EMAIL] * 2 + [Channel.CALL]
    calendar = BusinessCalendar(terms.sla)
    assert spacing(calendar, terms.sla) == timedelta(hours=10)  # 5 days of 10 h, 5 steps
    first = next_step(_mql(), terms.sla, calendar)
    assert first is not None and (first.label, first.due) == ("call 1 of 3", _at(17, 11))
    labels, lead, at = [], _mql(stage=Stage.WORKING), _at(17, 10, 30)
    for channel in cadence(terms.sla):
        step = next_step(lead, terms.sla, calendar)
        assert step is not None and step.channel is channel
        labels.append(step.label)
        lead = lead.model_copy(
            update={
                "calls": lead.calls + (channel is Channel.CALL),
                "emails": lead.emails + (channel is Channel.EMAIL),
                "first_touch_at": lead.first_touch_at or at,
                "last_attempt_at": at,
            }
        )
        following = next_step(lead, terms.sla, calendar)
        if following is not None:  # a business day after this attempt
            assert following.due == calendar.add(at, timedelta(hours=10))
        at = calendar.add(at, timedelta(hours=10))
    assert labels == ["call 1 of 3", "email 1 of 2", "call 2 of 3", "email 2 of 2", "call 3 of 3"]
    assert next_step(lead, terms.sla, calendar) is None  # five spaced attempts: done


def test_a_late_lead_gets_a_fresh_plan_once_touched(terms: Agreement) -> None:
    """Claimed six days late: once first touched, the next step is a day after that
    touch, not six days overdue; the first touch's lateness is the SLA's to count."""
    calendar = BusinessCalendar(terms.sla)
    late = _mql(
        mql_at=_at(9, 10),
        stage=Stage.WORKING,
        calls=1,
        first_touch_at=_at(17, 10),
        last_attempt_at=_at(17, 10),
    )
    reading = read(late, terms.sla, calendar, _at(17, 10, 5))
    assert reading.state is SlaState.ON_TRACK
    assert reading.words == "email 1 of 2 due Wed 10:00"
    assert speed_to_lead(calendar, late)[0] == timedelta(hours=60)  # six business days


def test_a_burst_of_attempts_does_not_finish_the_cadence(terms: Agreement) -> None:
    calendar = BusinessCalendar(terms.sla)
    burst = _mql(
        stage=Stage.WORKING,
        calls=3,
        emails=2,
        first_touch_at=_at(17, 10, 20),
        last_attempt_at=_at(17, 10, 21),
    )
    assert steps_made(burst, terms.sla, calendar) == 1
    reading = read(burst, terms.sla, calendar, _at(17, 10, 30))
    assert (reading.state, reading.words) == (SlaState.ON_TRACK, "attempt 2 of 5 due Wed 10:21")
    spaced = burst.model_copy(update={"last_attempt_at": _at(23, 10, 20)})  # 4 days on
    assert steps_made(spaced, terms.sla, calendar) == 5
    assert read(spaced, terms.sla, calendar, _at(23, 11)).state is SlaState.MET


def test_after_a_voicemail_the_email_owed_is_shown(terms: Agreement) -> None:
    calendar = BusinessCalendar(terms.sla)
    two_calls = _mql(
        stage=Stage.WORKING,
        calls=2,
        first_touch_at=_at(17, 10, 20),
        last_attempt_at=_at(18, 10, 20),
    )
    step = next_step(two_calls, terms.sla, calendar)
    assert step is not None and step.label == "email 1 of 2"


def test_first_touch_on_track_due_soon_breached(terms: Agreement) -> None:
    calendar = BusinessCalendar(terms.sla)
    lead = _mql()
    on_track = read(lead, terms.sla, calendar, _at(17, 10, 5))
    assert (on_track.state, on_track.words) == (SlaState.ON_TRACK, "first touch due in 55 min")
    soon = read(lead, terms.sla, calendar, _at(17, 10, 46))
    assert (soon.state, soon.words) == (SlaState.DUE_SOON, "first touch due in 14 min")
    late = read(lead, terms.sla, calendar, _at(17, 12, 20))
    assert (late.state, late.words) == (
        SlaState.BREACHED,
        "first touch breached 1 h 20 min ago (business time)",
    )
    assert late.left == -timedelta(minutes=80)


def test_the_clock_counts_business_time_only(terms: Agreement) -> None:
    calendar = BusinessCalendar(terms.sla)
    lead = _mql(mql_at=_at(17, 17, 40))  # 20 minutes before closing
    night = read(lead, terms.sla, calendar, _at(17, 22, 0))
    assert night.state is SlaState.PAUSED
    assert night.words == "outside hours; first touch due Wed 08:40"
    overnight = read(lead, terms.sla, calendar, _at(18, 8, 50))
    assert overnight.words == "first touch breached 10 min ago (business time)"


def test_later_steps_and_the_end_of_the_cadence(terms: Agreement) -> None:
    calendar = BusinessCalendar(terms.sla)
    touched = _mql(stage=Stage.WORKING, calls=1, first_touch_at=_at(17, 10, 20))
    reading = read(touched, terms.sla, calendar, _at(17, 10, 30))
    assert reading.state is SlaState.ON_TRACK
    assert reading.words.startswith("email 1 of 2 due Wed ")
    behind = read(touched, terms.sla, calendar, _at(20, 10))
    assert behind.state is SlaState.BREACHED and behind.words.startswith("email 1 of 2 overdue by")
    emails_first = _mql(stage=Stage.WORKING, emails=2, first_touch_at=_at(17, 10, 20))
    assert read(emails_first, terms.sla, calendar, _at(17, 10, 30)).words.startswith("call 1 of 3")
    exhausted = _mql(stage=Stage.WORKING, calls=3, emails=2, first_touch_at=_at(17, 10, 20))
    done = read(exhausted, terms.sla, calendar, _at(24, 12))
    assert done.state is SlaState.MET
    assert done.suggestion == "return to nurture: no_response"


def test_snoozed_connected_and_closed_leads(terms: Agreement) -> None:
    calendar = BusinessCalendar(terms.sla)
    snoozed = _mql(snoozed_until=_at(18, 10))
    reading = read(snoozed, terms.sla, calendar, _at(17, 12))
    assert (reading.state, reading.words) == (SlaState.PAUSED, "snoozed until Wed 10:00")
    woke = read(snoozed, terms.sla, calendar, _at(18, 10, 30))
    assert woke.state is SlaState.BREACHED  # a snooze pauses the reading, not the deadline
    connected = _mql(
        stage=Stage.ACCEPTED,
        calls=1,
        first_touch_at=_at(17, 10, 12),
        first_connect_at=_at(17, 10, 12),
    )
    assert read(connected, terms.sla, calendar, _at(19, 9)).words == (
        "connected 12 min after hand-off (business time)"
    )
    slow = connected.model_copy(update={"first_connect_at": _at(27, 10)})  # 6 business days
    assert read(slow, terms.sla, calendar, _at(27, 11)).words == (
        "connected 6 d after hand-off (business time)"
    )
    aside = connected.model_copy(update={"snoozed_until": _at(20, 10)})
    snoozed_after_connect = read(aside, terms.sla, calendar, _at(19, 9))
    assert (snoozed_after_connect.state, snoozed_after_connect.words) == (
        SlaState.PAUSED,
        "snoozed until Fri 10:00",
    )  # a snooze shows on a connected lead too
    far = connected.model_copy(update={"snoozed_until": _at(30, 9)})  # eleven days on
    assert read(far, terms.sla, calendar, _at(19, 9)).words == "snoozed until Mon 30 Nov 09:00"
    closed = make_lead(stage=Stage.DISQUALIFIED, mql_at=_at(17, 10))
    no_sla = read(closed, terms.sla, calendar, _at(19, 9))
    assert (no_sla.state, no_sla.words) == (SlaState.NO_SLA, "disqualified")  # not met
    nurtured = make_lead(stage=Stage.NURTURING)
    assert read(nurtured, terms.sla, calendar, _at(19, 9)).words == ("never handed to sales")


def test_speed_to_lead_is_measured_twice(terms: Agreement) -> None:
    calendar = BusinessCalendar(terms.sla)
    lead = _mql(first_touch_at=_at(17, 17, 50), first_connect_at=_at(18, 8, 30))
    assert speed_to_lead(calendar, lead) == (
        timedelta(hours=7, minutes=50),
        timedelta(hours=8, minutes=30),
    )
    assert speed_to_lead(calendar, make_lead()) == (None, None)


def test_durations_read_naturally() -> None:
    spans = [timedelta(minutes=m) for m in (0, 14, 60, 80, 600, 1570)]
    assert [duration(span) for span in spans] == [
        "0 min",
        "14 min",
        "1 h",
        "1 h 20 min",
        "10 h",
        "26 h",
    ]


def test_marketing_hand_off_is_measured_in_business_time(terms: Agreement) -> None:
    calendar = BusinessCalendar(terms.sla)  # hand-off within 4 business hours
    took, kept = handoff(calendar, terms.sla, _at(17, 16), _at(18, 9))
    assert (took, kept) == (timedelta(hours=3), True)  # 2 h Tuesday, 1 h Wednesday
    took, kept = handoff(calendar, terms.sla, _at(17, 9), _at(17, 14))
    assert (took, kept) == (timedelta(hours=5), False)


def test_the_badge_never_says_met_for_a_lead_without_an_sla(terms: Agreement) -> None:
    from leadtui.tui.widgets.sla_badge import badge

    calendar = BusinessCalendar(terms.sla)
    day = calendar.day_length()
    nurtured = read(make_lead(stage=Stage.NURTURING), terms.sla, calendar, _at(19, 9))
    assert badge(nurtured, day) == "– no SLA"
    closed = read(
        make_lead(stage=Stage.QUALIFIED, mql_at=_at(17, 10)), terms.sla, calendar, _at(19, 9)
    )
    assert badge(closed, day) == "– no SLA"
