"""First-touch SLA by rep or by source: compliance, business time to the first attempt
and the first connect, cadence completion."""

from __future__ import annotations

from leadtui.reports.report import Column, Kind, Report
from leadtui.reports.words import NOTHING_HANDED, UNASSIGNED_WORDS

REPORT = Report(
    name="sla",
    about="first-touch compliance and business time to first attempt and\nfirst connect, "
    "by rep or source",
    title="First-touch SLA by {by} (business time)",
    empty=NOTHING_HANDED,
    columns=(
        Column("group", "Group", Kind.GROUP, lambda row: row.group or UNASSIGNED_WORDS),
        Column("handed", "Handed", Kind.COUNT),
        Column("met", "Met", Kind.COUNT),
        Column("breached", "Breached", Kind.COUNT),
        Column("waiting", "Waiting", Kind.COUNT),
        Column("compliance", "In time", Kind.RATE),
        Column(
            "first_attempt_median_minutes",
            "1st attempt p50",
            Kind.SPAN,
            lambda row: row.to_first_attempt.median,
        ),
        Column(
            "first_attempt_p90_minutes",
            "p90",
            Kind.SPAN,
            lambda row: row.to_first_attempt.p90,
        ),
        Column(
            "first_connect_median_minutes",
            "1st connect p50",
            Kind.SPAN,
            lambda row: row.to_first_connect.median,
        ),
        Column(
            "first_connect_p90_minutes",
            "p90",
            Kind.SPAN,
            lambda row: row.to_first_connect.p90,
        ),
        Column("cadence_completion", "Cadence", Kind.RATE),
    ),
    rows=lambda reports, by: reports.sla(by or "rep"),
    by=("rep", "source"),
    board=None,  # on the team screen, its figures by rep sit in the reps' table
)
