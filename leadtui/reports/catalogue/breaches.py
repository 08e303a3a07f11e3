"""Every lead whose first touch came late or not at all, the latest deadline first."""

from __future__ import annotations

from leadtui.reports.report import Board, Column, Kind, Report
from leadtui.reports.words import UNASSIGNED_WORDS

REPORT = Report(
    name="breaches",
    about="every lead whose first touch came late or not at all",
    title="First-touch breaches (business time late)",
    empty="No breaches among the leads handed over {span}.",
    columns=(
        Column("lead", "Lead", Kind.ID, lambda breach: breach.lead_id),
        Column("name", "Name", brief="Lead"),
        Column("rep", "Rep", Kind.REP, lambda breach: breach.rep or UNASSIGNED_WORDS),
        Column("source", "Source", Kind.SOURCE),
        Column("handed_at", "Handed over", Kind.MOMENT),
        Column("due_at", "Due", Kind.MOMENT),
        Column("touched_at", "First touch", Kind.MOMENT),
        Column("late_minutes", "Late by", Kind.SPAN, lambda breach: breach.late),
    ),
    rows=lambda reports, by: reports.breaches(),
    board=Board(
        columns=("name", "rep", "source", "due_at", "touched_at", "late_minutes"),
        key=lambda breach: str(breach.lead_id),
    ),
)
