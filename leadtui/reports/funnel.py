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
from leadtui.store.for_reports import Handed

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
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for lead in handed:  # one pass: there may be hundreds of thousands
        tallies[by(lead)].add(lead)
    rows = [tally.row(group) for group, tally in tallies.items()]
    rows.sort(key=lambda row: (-row.mql, row.group))
    if len(rows) > 1:
        everyone = _Tally()
        for tally in tallies.values():
            everyone.merge(tally)
        rows.append(everyone.row("all"))
    return rows


class _Tally:
    """A group's counts and step times, added up lead by lead."""

    def __init__(self) -> None:
        self.counts = [0, 0, 0, 0, 0]  # mql, sal, sql, won, lost
        self.to_sal: list[int] = []
        self.to_sql: list[int] = []
        self.to_won: list[int] = []

    def add(self, lead: Handed) -> None:
        counts = self.counts
        counts[0] += 1
        handed, accepted, qualified, closed = (
            lead.handed_at,
            lead.accepted_at,
            lead.qualified_at,
            lead.closed_at,
        )
        reached_sql = qualified or closed
        reached_sal = accepted or reached_sql
        if reached_sal:
            counts[1] += 1
            self.to_sal.append(max(reached_sal - handed, 0))
        if reached_sql:
            counts[2] += 1
            self.to_sql.append(max(reached_sql - (accepted or handed), 0))
        if closed:
            if lead.stage == "won":
                counts[3] += 1
                self.to_won.append(max(closed - (qualified or handed), 0))
            else:
                counts[4] += 1

    def merge(self, other: _Tally) -> None:
        self.counts = [
            mine + theirs for mine, theirs in zip(self.counts, other.counts, strict=True)
        ]
        self.to_sal += other.to_sal
        self.to_sql += other.to_sql
        self.to_won += other.to_won

    def row(self, group: str) -> FunnelRow:
        mql, sal, sql, won, lost = self.counts
        return FunnelRow(
            group,
            mql,
            sal,
            sql,
            won,
            lost,
            Spread.of(self.to_sal),
            Spread.of(self.to_sql),
            Spread.of(self.to_won),
        )


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
    """Conversion by score at hand-off: in bands of `BAND` points, and in deciles (by
    score, highest first; leads with the same score in the order they came in)."""
    # Scores take few values: bucket, then order within each. Each lead is one int,
    # its id and its outcome (bit 1: converted, bit 2: won), so a third of a million
    # leads make no tuples for the cycle collector to chase.
    by_score: dict[int, list[int]] = defaultdict(list)
    for lead in handed:
        converted = bool(lead.qualified_at or lead.closed_at)
        by_score[lead.score].append(lead.id << 2 | (lead.stage == "won") << 1 | converted)
    by_band: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # leads, converted, won
    scores: list[int] = []  # highest first, one per lead
    outcomes: list[int] = []  # the same leads' outcome bits
    for score in sorted(by_score, reverse=True):
        leads = [code & 3 for code in sorted(by_score[score])]
        tally = by_band[min(max(score, 0) // BAND * BAND, TOP_BAND)]
        tally[0] += len(leads)
        tally[1] += sum(code & 1 for code in leads)
        tally[2] += sum(code >> 1 for code in leads)
        scores += [score] * len(leads)
        outcomes += leads
    banded = [
        (_band_label(low), by_band[low][0], by_band[low][1], by_band[low][2])
        for low in sorted(by_band, reverse=True)
    ]
    tenths: list[tuple[str, int, int, int]] = []
    if len(outcomes) >= 10:
        for decile in range(10):
            start, end = len(outcomes) * decile // 10, len(outcomes) * (decile + 1) // 10
            part = outcomes[start:end]
            high, low = scores[start], scores[end - 1]
            label = f"{low}" if low == high else f"{low}-{high}"
            tenths.append(
                (
                    f"decile {decile + 1} ({label})",
                    len(part),
                    sum(code & 1 for code in part),
                    sum(code >> 1 for code in part),
                )
            )
    return Bands(_judged(banded), _judged(tenths))


def _band_label(low: int) -> str:
    return f"{low}+" if low >= TOP_BAND else f"{low}-{low + BAND - 1}"


def _judged(groups: list[tuple[str, int, int, int]]) -> list[Band]:
    """Bands highest first; each flagged when it converts less than the next one down.
    A group is (label, leads, converted, won)."""
    found = []
    for index, (label, leads, converted, won) in enumerate(groups):
        inverted = False
        if index + 1 < len(groups):
            _, below, below_converted, _ = groups[index + 1]
            if leads >= MIN_LEADS and below >= MIN_LEADS:
                inverted = converted / leads < below_converted / below
        found.append(Band(label, leads, converted, won, inverted))
    return found
