"""Conversion to SQL by score at hand-off, in bands of points and in deciles; a band
that converts less than the band below it is flagged."""

from __future__ import annotations

from collections.abc import Sequence

from leadtui.reports import Reports
from leadtui.reports.funnel import Band
from leadtui.reports.report import Board, Column, Kind, Report
from leadtui.reports.words import NOTHING_HANDED


def _bands_then_deciles(reports: Reports, by: str | None) -> Sequence[Band]:
    found = reports.bands()
    return (*found.bands, *found.deciles)


REPORT = Report(
    name="bands",
    about="conversion to SQL by score at hand-off, in bands and deciles;\n"
    "bands that convert less than the band below are flagged",
    title="Conversion by score band and decile",
    empty=NOTHING_HANDED,
    columns=(
        Column("band", "Score at hand-off", value=lambda band: band.label, brief="Score"),
        Column("leads", "Leads", Kind.COUNT),
        Column("sql", "SQL", Kind.COUNT, lambda band: band.converted),
        Column("rate", "To SQL", Kind.RATE),
        Column("won", "Won", Kind.COUNT),
        Column(
            "flag",
            "Flag",
            value=lambda band: (
                "inverts: converts less than the band below" if band.inverted else ""
            ),
        ),
    ),
    rows=_bands_then_deciles,
    board=Board(
        columns=(
            "band",
            "leads",
            "sql",
            "rate",
            Column("rate_bar", "", Kind.BAR, lambda band: band.rate, width=12),
            "won",
            Column("flag", "Flag", value=lambda band: "⚠ inverts" if band.inverted else ""),
        ),
    ),
)
