"""The threshold planner's arithmetic: the SDR team's bandwidth, conversion to SQL by
score from the team's own hand-offs, and for each MQL threshold the weekly volume and
SQLs it would have brought, with the suggested threshold.

Pure: the store reads the leads, the reps and the hand-offs; `replay` works out the
volume; this turns them into the plan. Words for people are the caller's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from leadtui.core.agreement import Agreement
from leadtui.core.replay import Volume
from leadtui.core.toml_lines import key_lines

CONVERSION_BAND = 10  # points per band of score at hand-off
FEW_LEADS = 10  # a band with fewer hand-offs than this borrows from its neighbours
LEAST_HISTORY = 50  # fewer hand-offs than this: no expected SQLs at all
STEP = 5  # thresholds shown in the table: every STEP points


@dataclass(frozen=True)
class Bandwidth:
    """How many new MQLs a week the team can work to the end of the cadence: each open
    lead holds a place in a rep's capacity for the cadence's business days."""

    reps: int
    capacity: int  # open leads the whole team holds at capacity
    cadence_days: int  # the cadence's business days
    working_days: int  # business days in a week

    @property
    def per_week(self) -> float:
        return self.capacity * self.working_days / self.cadence_days


def bandwidth(
    capacities: Sequence[int],
    agreement: Agreement,
    *,
    reps: int | None = None,
    capacity: int | None = None,
) -> Bandwidth:
    """The bandwidth of the reps with these capacities; `reps` and `capacity` say what
    if: that many reps (each at `capacity`, else at the team's mean capacity), or every
    rep at `capacity`."""
    if reps is not None and reps < 0 or capacity is not None and capacity < 0:
        raise ValueError("reps and capacity cannot be negative")
    count = len(capacities) if reps is None else reps
    if capacity is not None:
        total = count * capacity
    elif reps is None:
        total = sum(capacities)
    elif capacities:
        total = round(reps * sum(capacities) / len(capacities))
    else:
        raise ValueError("there are no reps to take a capacity from: give --capacity too")
    sla = agreement.sla
    return Bandwidth(count, total, sla.cadence.over_business_days, len(set(sla.working_days)))


class Conversion:
    """Conversion to SQL by score at hand-off, in bands of `CONVERSION_BAND` points.

    A band with fewer than `FEW_LEADS` hand-offs borrows those of its neighbours,
    nearest first (both sides at once), until it has that many: a band of three leads
    says little, and a score no lead was handed over at (below the threshold in force)
    takes the rate of the nearest scores that were.
    """

    def __init__(self, bands: dict[int, tuple[int, int]]) -> None:
        self.bands = bands  # a band's lowest score -> (hand-offs, SQLs)
        self.leads = sum(leads for leads, _ in bands.values())
        self._rates: dict[int, float] = {}

    @classmethod
    def of(cls, handed: Iterable[tuple[int, bool]]) -> Conversion:
        """From each hand-off's (score at hand-off, reached SQL)."""
        bands: dict[int, list[int]] = {}
        for score, converted in handed:
            tally = bands.setdefault(_band(score), [0, 0])
            tally[0] += 1
            tally[1] += converted
        return cls({low: (leads, sqls) for low, (leads, sqls) in bands.items()})

    @property
    def enough(self) -> bool:
        return self.leads >= LEAST_HISTORY

    def few(self, score: int) -> bool:
        """Whether the band holding `score` has fewer hand-offs than `FEW_LEADS`."""
        return self.bands.get(_band(score), (0, 0))[0] < FEW_LEADS

    def rate(self, score: int) -> float:
        low = _band(score)
        found = self._rates.get(low)
        if found is None:
            found = self._rates[low] = self._band_rate(low)
        return found

    def _band_rate(self, low: int) -> float:
        leads, sqls = self.bands.get(low, (0, 0))
        if self.leads == 0:
            return 0.0
        lowest, top = min(self.bands), max(self.bands)
        distance = 0
        while leads < FEW_LEADS:
            distance += CONVERSION_BAND
            if low - distance < lowest and low + distance > top:
                break
            for side in (low - distance, low + distance):
                more, more_sqls = self.bands.get(side, (0, 0))
                leads += more
                sqls += more_sqls
        return sqls / leads


def _band(score: int) -> int:
    return score // CONVERSION_BAND * CONVERSION_BAND


@dataclass(frozen=True)
class Row:
    """One threshold of the plan."""

    threshold: int
    mqls: float  # a week
    load: float | None  # MQLs a week against the bandwidth (None: no bandwidth)
    sqls: float | None  # expected a week (None: not enough history)
    fit_hurdle: int
    in_force: bool = False
    suggested: bool = False
    few_leads: bool = False  # its expected SQLs stand on a thin band

    @property
    def sql_rate(self) -> float | None:
        if self.sqls is None or not self.mqls:
            return None
        return self.sqls / self.mqls


@dataclass(frozen=True)
class Plan:
    weeks: int
    replayed: int  # complete leads over the hurdle whose score could rise in the weeks
    bandwidth: Bandwidth
    history: int  # hand-offs the conversion stands on
    in_force: Row
    suggested: Row | None  # None: no bandwidth to fit
    rows: tuple[Row, ...]  # every STEP points, with the threshold in force and the suggested

    @property
    def enough_history(self) -> bool:
        return self.history >= LEAST_HISTORY


def plan(
    volume: Volume,
    agreement: Agreement,
    team: Bandwidth,
    conversion: Conversion,
    *,
    weeks: int,
    replayed: int,
) -> Plan:
    """The plan: for each threshold, its weekly volume against the bandwidth and the
    SQLs to expect; suggested, the lowest threshold whose volume fits the bandwidth."""
    per_week = team.per_week
    enough = conversion.enough
    top = max(volume.highest or volume.floor, agreement.mql_threshold) + 1

    def row(threshold: int) -> Row:
        mqls = volume.reached(threshold) / weeks
        return Row(
            threshold,
            mqls,
            mqls / per_week if per_week else None,
            volume.sqls(threshold) / weeks if enough else None,
            agreement.fit_hurdle,
            in_force=threshold == agreement.mql_threshold,
            suggested=threshold == suggested,
            few_leads=enough and conversion.few(threshold),
        )

    suggested: int | None = None
    if per_week > 0:
        # Volume never rises with the threshold, and at `top` no lead reached it.
        suggested = next(
            t for t in range(volume.floor, top + 1) if volume.reached(t) / weeks <= per_week
        )
    shown = set(range(_first_step(volume.floor), top + STEP, STEP))
    shown |= {volume.floor, agreement.mql_threshold}
    if suggested is not None:
        shown.add(suggested)
    rows = tuple(row(threshold) for threshold in sorted(shown))
    by_threshold = {found.threshold: found for found in rows}
    return Plan(
        weeks,
        replayed,
        team,
        conversion.leads,
        by_threshold[agreement.mql_threshold],
        by_threshold[suggested] if suggested is not None else None,
        rows,
    )


def lowest_threshold(agreement: Agreement) -> int:
    """The lowest threshold an agreement may have: at its fit hurdle, and at least 1."""
    return max(agreement.fit_hurdle, 1)


def _first_step(floor: int) -> int:
    return -(-floor // STEP) * STEP


_THRESHOLD = re.compile(r"^(\s*mql_threshold\s*=\s*)(\d+)(.*)$", re.DOTALL)


def with_threshold(text: str, threshold: int) -> str:
    """The agreement file with its `mql_threshold` line set to `threshold`; every other
    line as the team wrote it."""
    line = key_lines(text).get(("mql_threshold",))
    if line is None:
        raise ValueError("the agreement in force has no mql_threshold line to change")
    lines = text.splitlines(keepends=True)
    lines[line - 1] = _THRESHOLD.sub(rf"\g<1>{threshold}\g<3>", lines[line - 1])
    return "".join(lines)
