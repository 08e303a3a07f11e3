"""Marketing's side of the SLA: business time from qualifying a lead to handing it to
sales, against the agreement's hours, by source."""

from __future__ import annotations

from leadtui.reports.report import Board, Column, Kind, Report

REPORT = Report(
    name="handoff",
    about="marketing's side: qualifying to hand-off, by source",
    title="Marketing's hand-off: qualifying to sales within {sla.handoff_hours:g} h",
    empty="No lead handed over {span} says when marketing qualified it.",
    columns=(
        Column("source", "Source", Kind.SOURCE),
        Column("leads", "Leads", Kind.COUNT),
        Column("within", "Within", Kind.COUNT),
        Column("compliance", "In time", Kind.RATE),
        Column("median_minutes", "p50", Kind.SPAN, lambda figures: figures.took.median),
        Column("p90_minutes", "p90", Kind.SPAN, lambda figures: figures.took.p90),
    ),
    rows=lambda reports, by: reports.handoff(),
    board=Board(columns=("source", "leads", "compliance", "median_minutes", "p90_minutes")),
)
