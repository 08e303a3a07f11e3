"""Small shared pieces of the reports: spreads of durations, rates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Spread:
    """How long something took across leads: the median and the 90th percentile."""

    count: int
    median: timedelta | None
    p90: timedelta | None

    @classmethod
    def of(cls, seconds: Sequence[int]) -> Spread:
        ordered = sorted(seconds)
        return cls(len(ordered), quantile(ordered, 0.5), quantile(ordered, 0.9))


def quantile(ordered: Sequence[int], share: float) -> timedelta | None:
    """The nearest-rank quantile of sorted spans in seconds (the median of an even
    count is the lower middle one: a time some lead really took); None when none."""
    if not ordered:
        return None
    rank = max(1, -(-len(ordered) * share // 1))  # ceil(n * share), at least 1
    return timedelta(seconds=ordered[int(rank) - 1])


def rate(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide."""
    return part / whole if whole else None
