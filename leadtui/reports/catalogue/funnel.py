"""The funnel, MQL -> SAL -> SQL -> won, by source or by rep: counts, the rate of each
step, and the median calendar time each step took."""

from __future__ import annotations

from leadtui.reports.report import Board, Column, Kind, Report
from leadtui.reports.words import NOTHING_HANDED, UNASSIGNED_WORDS

REPORT = Report(
    name="funnel",
    about="MQL -> SAL -> SQL -> won with rates and time per step, by source or rep",
    title="Funnel by {by} (median calendar time per step)",
    empty=NOTHING_HANDED,
    columns=(
        Column("group", "Group", Kind.GROUP, lambda row: row.group or UNASSIGNED_WORDS),
        Column("mql", "MQL", Kind.COUNT),
        Column("sal", "SAL", Kind.COUNT),
        Column("sql", "SQL", Kind.COUNT),
        Column("won", "Won", Kind.COUNT),
        Column("lost", "Lost", Kind.COUNT),
        Column("sal_rate", "MQL>SAL", Kind.RATE, brief="MQL→SAL"),
        Column("sql_rate", "SAL>SQL", Kind.RATE, brief="SAL→SQL"),
        Column("won_rate", "SQL>won", Kind.RATE, brief="SQL→won"),
        Column("mql_to_won", "MQL>won", Kind.RATE, brief="MQL→won"),
        Column("to_sal_median_minutes", "to SAL", Kind.DAYS, lambda row: row.to_sal.median),
        Column("to_sql_median_minutes", "to SQL", Kind.DAYS, lambda row: row.to_sql.median),
        Column("to_won_median_minutes", "to won", Kind.DAYS, lambda row: row.to_won.median),
    ),
    rows=lambda reports, by: reports.funnel(by or "source"),
    by=("source", "rep"),
    board=Board(
        columns=(
            "group",
            "mql",
            "sal",
            "sql",
            "won",
            "sal_rate",
            "sql_rate",
            "won_rate",
            "mql_to_won",
            Column(
                "mql_to_won_bar", "", Kind.BAR, lambda row: row.mql_to_won, width=6, scaled=True
            ),
            "to_sal_median_minutes",
            "to_sql_median_minutes",
            "to_won_median_minutes",
        ),
    ),
)
