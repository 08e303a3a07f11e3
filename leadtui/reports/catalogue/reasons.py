"""Why marketing's leads went back (returned to nurture) or were disqualified, by
source and reason."""

from __future__ import annotations

from leadtui.reports.report import Column, Kind, Report
from leadtui.reports.words import MOVES

REPORT = Report(
    name="reasons",
    about="why leads went back to marketing or were disqualified, by source",
    title="Returned to nurture and disqualified, by source",
    empty="No lead was returned to nurture or disqualified {span}.",
    columns=(
        Column("source", "Source", Kind.SOURCE, lambda move: move.who),
        Column("move", "Went", value=lambda move: MOVES.get(move.kind, move.kind)),
        Column("reason", "Reason", value=lambda move: move.reason or "(none)"),
        Column("leads", "Leads", Kind.COUNT, lambda move: move.count),
    ),
    rows=lambda reports, by: reports.reasons(),
)
