"""Where the leads handed over in a period went: MQL -> SAL -> SQL -> won, by source
or by rep, with the time each step took; and whether the score predicted it.

A stage counts as reached when the lead got to it or past it: a lead qualified
without an `accepted` step was accepted too, and a closed deal was an SQL. Times
in a stage are calendar time (deals close on calendar days, not business hours),
measured over the leads that made the step.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from leadtui.reports.figures import Spread, rate
from leadtui.reports.log import Handed

BAND = 20  # points per score band
TOP_BAND = 100  # one band for this score and above
MIN_LEADS = 10  # fewer leads than this in a band or decile: too few to call an inversion


@dataclass(frozen=True)
class FunnelRow:
    group: str  # a source, or a rep's id ("" when unassigned)
    mql: int
    sal: int
    sql: int
    won: int
    lost: int
    to_sal: Spread  # hand-off to acceptance
    to_sql: Spread  # acceptance (or hand-off) to qualification
    to_won: Spread  # qualification (or hand-off) to the won deal

    @property
    def sal_rate(self) -> float | None:
        return rate(self.sal, self.mql)

    @property
    def sql_rate(self) -> float | None:
        return rate(self.sql, self.sal)

    @property
    def won_rate(self) -> float | None:
        return rate(self.won, self.sql)

    @property
    def mql_to_won(self) -> float | None:
        return rate(self.won, self.mql)


def funnel(handed: list[Handed], by: Callable[[Handed], str]) -> list[FunnelRow]:
    """One row per group, biggest first, then a row for everyone ("all")."""
    groups: dict[str, list[Handed]] = defaultdict(list)
    for lead in handed:
        groups[by(lead)].append(lead)
    rows = [_row(group, leads) for group, leads in groups.items()]
    rows.sort(key=lambda row: (-row.mql, row.group))
    if len(rows) > 1:
        rows.append(_row("all", handed))
    return rows


def _row(group: str, leads: list[Handed]) -> FunnelRow:
    to_sal, to_sql, to_won = [], [], []
    for lead in leads:
        accepted = lead.accepted_at or lead.qualified_at or lead.closed_at
        qualified = lead.qualified_at or lead.closed_at
        if accepted is not None:
            to_sal.append(_span(lead.handed_at, accepted))
        if qualified is not None:
            to_sql.append(_span(lead.accepted_at or lead.handed_at, qualified))
        if lead.won and lead.closed_at is not None:
            to_won.append(_span(lead.qualified_at or lead.handed_at, lead.closed_at))
    return FunnelRow(
        group,
        mql=len(leads),
        sal=sum(lead.sal for lead in leads),
        sql=sum(lead.sql for lead in leads),
        won=sum(lead.won for lead in leads),
        lost=sum(1 for lead in leads if lead.closed_at is not None and not lead.won),
        to_sal=Spread.of(to_sal),
        to_sql=Spread.of(to_sql),
        to_won=Spread.of(to_won),
    )


def _span(start: int, end: int) -> int:
    return max(end - start, 0)


@dataclass(frozen=True)
class Band:
    """Leads in one score band (or decile) and how many became SQLs and deals."""

    label: str
    leads: int
    converted: int  # reached SQL
    won: int
    inverted: bool  # converts less than the band below it, both with enough leads

    @property
    def rate(self) -> float | None:
        return rate(self.converted, self.leads)


@dataclass(frozen=True)
class Bands:
    bands: list[Band]  # by score at hand-off, highest first
    deciles: list[Band]  # by rank, top tenth first

    @property
    def inversions(self) -> list[Band]:
        return [band for band in (*self.bands, *self.deciles) if band.inverted]


def bands(handed: list[Handed]) -> Bands:
    """Conversion by score at hand-off: in bands of `BAND` points, and in deciles."""
    by_band: dict[int, list[Handed]] = defaultdict(list)
    for lead in handed:
        by_band[min(max(lead.score, 0) // BAND * BAND, TOP_BAND)].append(lead)
    banded = [
        (_band_label(low), by_band[low]) for low in sorted(by_band, reverse=True)
    ]  # fmt: skip
    ranked = sorted(handed, key=lambda lead: (-lead.score, lead.id))
    tenths = []
    if len(ranked) >= 10:
        for decile in range(10):
            part = ranked[len(ranked) * decile // 10 : len(ranked) * (decile + 1) // 10]
            low, high = part[-1].score, part[0].score
            scores = f"{low}" if low == high else f"{low}-{high}"
            tenths.append((f"decile {decile + 1} ({scores})", part))
    return Bands(_judged(banded), _judged(tenths))


def _band_label(low: int) -> str:
    return f"{low}+" if low >= TOP_BAND else f"{low}-{low + BAND - 1}"


def _judged(groups: list[tuple[str, list[Handed]]]) -> list[Band]:
    """Bands highest first; each flagged when it converts less than the next one down."""
    found = []
    for index, (label, leads) in enumerate(groups):
        converted = sum(lead.sql for lead in leads)
        inverted = False
        if index + 1 < len(groups):
            below = groups[index + 1][1]
            if len(leads) >= MIN_LEADS and len(below) >= MIN_LEADS:
                inverted = converted / len(leads) < sum(lead.sql for lead in below) / len(below)
        found.append(Band(label, len(leads), converted, sum(lead.won for lead in leads), inverted))
    return found
