"""The SLA badge of a queue row: a mark and the time left, so colour is never the only
signal ("✖ 1h20 late", "▲ 14m left", "‖ snoozed")."""

from __future__ import annotations

from datetime import timedelta

from leadtui.core.sla import SlaReading, SlaState

MARKS = {
    SlaState.BREACHED: "✖",
    SlaState.DUE_SOON: "▲",
    SlaState.ON_TRACK: "·",
    SlaState.PAUSED: "‖",
    SlaState.MET: "✓",
    SlaState.NO_CLOCK: "?",
    SlaState.NO_SLA: "–",
}

# The component class (leadtui.tcss) that colours each state.
STYLES = {
    SlaState.BREACHED: "queue-list--breached",
    SlaState.DUE_SOON: "queue-list--due-soon",
    SlaState.ON_TRACK: "queue-list--on-track",
    SlaState.PAUSED: "queue-list--paused",
    SlaState.MET: "queue-list--met",
    SlaState.NO_CLOCK: "queue-list--paused",
    SlaState.NO_SLA: "queue-list--paused",
}


def span(left: timedelta, day: timedelta) -> str:
    """'14m', '1h20', '9h', '3d' (business days of length `day`)."""
    minutes = int(abs(left).total_seconds() // 60)
    if day and abs(left) >= 2 * day:
        return f"{int(abs(left) / day)}d"
    if minutes < 60:
        return f"{minutes}m"
    hours, rest = divmod(minutes, 60)
    return f"{hours}h{rest:02d}" if rest and hours < 10 else f"{hours}h"


def badge(reading: SlaReading, day: timedelta) -> str:
    mark = MARKS[reading.state]
    if reading.state is SlaState.BREACHED and reading.left is not None:
        return f"{mark} {span(reading.left, day)} late"
    if reading.state is SlaState.PAUSED:
        return f"{mark} snoozed" if reading.words.startswith("snoozed") else f"{mark} after hrs"
    if reading.state is SlaState.MET and reading.suggestion:
        return f"{mark} tried all"  # the cadence ran out without a connect
    if reading.state is SlaState.MET:
        return f"{mark} connected" if reading.words.startswith("connected") else f"{mark} done"
    if reading.state is SlaState.NO_SLA:
        return f"{mark} no SLA"
    if reading.left is not None:
        return f"{mark} {span(reading.left, day)} left"
    return f"{mark} {reading.state.value}"
