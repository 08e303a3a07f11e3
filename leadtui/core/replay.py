"""Scores replayed over time: for every MQL threshold at once, when each lead's score
first reached it, as the agreement computes the score (fit, then engagement with its
decay and caps, and the negative signals).

One pass per lead over its activities, in time order. Between two activities a score
only falls (engagement decays, a cap only holds it down), so a score is highest at
the moments activity happens, and at the lead's arrival: those are the only moments
looked at. A lead that reaches a new best score s at moment t reaches every threshold
above its previous best up to s at t, so each lead adds to a range of thresholds at
once (a difference array), never a rescoring per threshold. It counts for those
thresholds if t falls in the weeks planned: a threshold it had reached before them
would have handed it over then.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from leadtui.core.agreement import Agreement
from leadtui.core.scoring import SECONDS_PER_DAY, round_points

# One lead as the replay reads it: its fit (fit rules and negative signals about who
# it is, which do not change with time), when it arrived, and each activity as
# (kind, when), seconds since the epoch, in any order.
Arrival = tuple[int, int, Sequence[tuple[str, int]]]


@dataclass(frozen=True)
class Volume:
    """How many of the leads replayed first reached each threshold from `floor` up in
    the weeks planned, in which week, and (given a conversion by score) how many SQLs
    they could be expected to make, from the score each had the moment it got there.

    Strictly, that count can rise with the threshold: a lead that reached 40 before
    the weeks planned and 60 within them counts at 60 and not at 40 (at 40 it was
    handed over before). `reached` levels those steps out: at each threshold, the most
    any threshold at or above it brings, so the volume never rises with the bar and a
    plan never rests on such a step.
    """

    floor: int
    counts: tuple[int, ...]  # counts[t - floor]: leads that first reached t in the weeks
    by_week: tuple[tuple[int, ...], ...]  # by_week[t - floor][w]: of those, in week w
    expected: tuple[float, ...]  # expected SQLs, by threshold as counts
    highest: int | None  # the highest score any lead reached (None: none reached floor)
    levelled: tuple[int, ...] = field(init=False)
    levelled_sqls: tuple[float, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "levelled", tuple(_levelled(self.counts)))
        object.__setattr__(self, "levelled_sqls", tuple(_levelled(self.expected)))

    def first_reached(self, threshold: int) -> int:
        index = self._index(threshold)
        return self.counts[index] if index < len(self.counts) else 0

    def reached(self, threshold: int) -> int:
        """Leads the threshold brings in the weeks planned, levelled (see above)."""
        index = self._index(threshold)
        levelled = self.levelled
        return levelled[index] if index < len(levelled) else 0

    def _index(self, threshold: int) -> int:
        index = threshold - self.floor
        if index < 0:
            raise ValueError(f"threshold {threshold} is below the lowest replayed, {self.floor}")
        return index

    def weekly(self, threshold: int) -> tuple[int, ...]:
        index = threshold - self.floor
        weeks = len(self.by_week[0]) if self.by_week else 0
        return self.by_week[index] if 0 <= index < len(self.by_week) else (0,) * weeks

    def sqls(self, threshold: int) -> float:
        """Expected SQLs of the leads the threshold brings, levelled as `reached` is."""
        index = self._index(threshold)
        levelled = self.levelled_sqls
        return levelled[index] if index < len(levelled) else 0.0


class _Rule:
    """An engagement rule's running sum of decayed points, as of its last activity."""

    __slots__ = ("cap", "exact", "half_life", "points", "since")

    def __init__(self, points: int, cap: int, half_life_days: float) -> None:
        self.points = points
        self.cap = cap
        self.half_life = half_life_days * SECONDS_PER_DAY
        self.exact = 0.0
        self.since = 0

    def add(self, at: int) -> None:
        if self.exact:
            self.exact *= 0.5 ** (max(at - self.since, 0) / self.half_life)
        self.exact += self.points
        self.since = at

    def points_at(self, at: int) -> int:
        exact = self.exact * 0.5 ** (max(at - self.since, 0) / self.half_life)
        return round_points(min(exact, self.cap))


def replay(
    arrivals: Iterable[Arrival],
    agreement: Agreement,
    *,
    floor: int,
    weeks: Sequence[int],
    until: int,
    conversion: Callable[[int], float] | None = None,
) -> Volume:
    """Each lead's best score over time, for thresholds from `floor` up.

    `weeks` are the instants each week begins (seconds since the epoch) and `until` the
    end of the last: a lead counts in the week its score first reached a threshold, if
    that happened in them. Leads whose fit is below the agreement's hurdle are never
    counted (the caller reads only complete leads).
    """
    engagement = {
        rule.kind: (rule.points, rule.cap, rule.half_life_days) for rule in agreement.engagement
    }
    negative = {rule.kind: rule.points for rule in agreement.negative if rule.kind is not None}
    hurdle = agreement.fit_hurdle
    first = weeks[0]
    count_diff: list[int] = []
    week_diff: list[list[int]] = [[] for _ in weeks]
    expected_diff: list[float] = []
    highest: int | None = None

    def counted(low: int, score: int, at: int) -> None:
        """Thresholds low..score were first reached at `at` by a lead now at `score`."""
        if at < first:
            return  # handed over before the weeks planned, at these thresholds
        start, end = low - floor, score - floor + 1
        if end >= len(count_diff):
            grow = end + 1 - len(count_diff)
            count_diff.extend([0] * grow)
            expected_diff.extend([0.0] * grow)
            for week in week_diff:
                week.extend([0] * grow)
        count_diff[start] += 1
        count_diff[end] -= 1
        week = week_diff[bisect_right(weeks, at) - 1]
        week[start] += 1
        week[end] -= 1
        if conversion is not None:
            chance = conversion(score)
            expected_diff[start] += chance
            expected_diff[end] -= chance

    for fit, arrived_at, activities in arrivals:
        if fit < hurdle or arrived_at >= until:
            continue
        best = floor - 1  # the best score so far; thresholds below floor are not kept
        rules: dict[str, _Rule] = {}
        held_down = 0  # negative activity points: once a kind is seen, no decay
        signals: set[str] = set()  # the negative kinds seen
        bound = fit  # no score since the last one worked out can be above this
        ordered = sorted(activities, key=_when)
        position = 0
        # The score at arrival, with what had happened by then; then at each later moment.
        moments = [arrived_at] + [at for _, at in ordered if arrived_at < at < until]
        previous = None
        for moment in moments:
            if moment == previous:
                continue
            previous = moment
            while position < len(ordered) and ordered[position][1] <= moment:
                kind, at = ordered[position]
                position += 1
                terms = engagement.get(kind)
                if terms is not None:
                    rule = rules.get(kind)
                    if rule is None:
                        rule = rules[kind] = _Rule(*terms)
                    rule.add(at)
                    bound += terms[0]
                elif kind in negative and kind not in signals:
                    held_down += negative[kind]  # once, however often, as the scorer does
                    signals.add(kind)
            if bound <= best:
                continue  # it cannot have risen past its best since
            score = fit + held_down
            score += sum(rule.points_at(moment) for rule in rules.values())
            bound = score
            if score > best:
                counted(best + 1, score, moment)
                best = score
                if moment >= first and (highest is None or score > highest):
                    highest = score
    return Volume(
        floor,
        _summed(count_diff),
        tuple(
            tuple(int(n) for n in column)
            for column in zip(*(_summed(week) for week in week_diff), strict=True)
        )
        if count_diff
        else (),
        tuple(_running(expected_diff)),
        highest,
    )


def _levelled(values: Sequence[float]) -> list[Any]:
    """Each value raised to the largest at or after it."""
    out = list(values)
    for index in range(len(out) - 2, -1, -1):
        out[index] = max(out[index], out[index + 1])
    return out


def _when(activity: tuple[str, int]) -> int:
    return activity[1]


def _summed(diff: list[int]) -> tuple[int, ...]:
    """The counts a difference array stands for, without its last (always zero) cell."""
    out, total = [], 0
    for step in diff[:-1]:
        total += step
        out.append(total)
    return tuple(out)


def _running(diff: list[float]) -> list[float]:
    out, total = [], 0.0
    for step in diff[:-1]:
        total += step
        out.append(max(total, 0.0))
    return out
