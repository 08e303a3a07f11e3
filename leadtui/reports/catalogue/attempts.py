"""Attempts by rep: open load against capacity, calls, emails, connects, attempts per
day, cadence completion, and the moves each rep made, with their reasons."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from leadtui.reports import RepFigures
from leadtui.reports.report import Board, Column, Kind, Report
from leadtui.reports.words import MOVES

BRIEF = {"accepted": "Acc", "qualified": "Qual", "returned_to_nurture": "Ret", "disqualified": "DQ"}


def _made(kind: str) -> Callable[[RepFigures], int]:
    return lambda rep: sum(move.count for move in rep.moves if move.kind == kind)


def _reasons(rep: RepFigures) -> str:
    """Each reason the rep gave and how often, the first given first."""
    reasons: dict[str, int] = {}
    for move in rep.moves:
        if move.reason:
            reasons[move.reason] = reasons.get(move.reason, 0) + move.count
    return ", ".join(f"{reason} {count}" for reason, count in reasons.items())


def _load(rep: RepFigures) -> str:
    """Open leads over capacity, marked when over."""
    return f"{rep.open}/{rep.capacity}" + (" !" if rep.open > rep.capacity else "")


def _nobody_attempted(team: Sequence[RepFigures]) -> bool:
    return not any(rep.calls or rep.emails for rep in team)


REPORT = Report(
    name="attempts",
    about="per rep: open load vs capacity, calls, emails, connects, attempts\n"
    "per day, cadence completion, dispositions",
    title="Attempts by rep",
    empty="No attempts were logged {span}.",
    columns=(
        Column("rep", "Rep"),
        Column("name", "Name", brief="Rep"),
        Column("open", "Open", Kind.COUNT),
        Column("capacity", "Cap", Kind.COUNT),
        Column("calls", "Calls", Kind.COUNT),
        Column("emails", "Emails", Kind.COUNT),
        Column("connects", "Conn", Kind.COUNT),
        Column("per_day", "Attempts per day", Kind.SERIES),
        Column("cadence_completion", "Cadence", Kind.RATE, lambda rep: rep.sla.cadence_completion),
        *(
            Column(kind, words.capitalize(), Kind.COUNT, _made(kind), brief=BRIEF[kind])
            for kind, words in MOVES.items()
        ),
        Column("reasons", "Reasons", value=_reasons),
    ),
    rows=lambda reports, by: reports.team(),
    silent=_nobody_attempted,
    board=Board(
        columns=(
            "name",
            Column("load", "Open/cap", value=_load, right=True),
            Column("compliance", "In time", Kind.RATE, lambda rep: rep.sla.compliance),
            Column(
                "first_attempt_median_minutes",
                "1st try p50",
                Kind.SPAN,
                lambda rep: rep.sla.to_first_attempt.median,
            ),
            "calls",
            "emails",
            "connects",
            "cadence_completion",
            *MOVES,
            "per_day",
        ),
        key=lambda rep: rep.rep,
        keep=lambda rep: bool(rep.rep),  # a row is known by its rep's id
        table="reps",
    ),
)
