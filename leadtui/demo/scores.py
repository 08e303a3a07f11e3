"""The demo's scores, made quickly: each lead's factors as plain rows, what
`core.scoring.score` gives the same lead to the point (a test holds the two together).

Who a lead is (fit, and the negative rules on a field) does not change while its
activity comes in, so it is decided once per distinct value (core.first_scores); what it
did is summed over its activities at each moment asked, as scoring.py sums it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from leadtui.core.agreement import Agreement
from leadtui.core.first_scores import FirstScores
from leadtui.core.scoring import SECONDS_PER_DAY, Group, round_points
from leadtui.demo.people import DemoLead, Seen

# A factor as the store keeps it: lead id, position, group, side, label, points,
# evidence, occurrences, earliest and latest (Unix seconds).
FactorRow = tuple[Any, ...]
# An activity the rules count: its kind, its Unix seconds and its moment.
Happened = tuple[str, float, datetime]

_ENGAGEMENT, _NEGATIVE = Group.ENGAGEMENT.value, Group.NEGATIVE.value


class DemoScores:
    """The agreement's rules, to score demo leads with."""

    def __init__(self, agreement: Agreement) -> None:
        self._first = FirstScores(agreement)
        first = len(agreement.fit)
        self._engagement = [
            (position, rule.kind, rule.label, rule.points, rule.cap, rule.half_life_days)
            for position, rule in enumerate(agreement.engagement, start=first)
        ]
        first += len(agreement.engagement)
        self._negative = [
            (position, rule.kind, rule.label, rule.points)
            for position, rule in enumerate(agreement.negative, start=first)
            if rule.kind is not None
        ]
        self._kinds = {kind for _, kind, *_ in self._engagement + self._negative}
        self._rows: dict[tuple[object, ...], tuple[object, ...]] = {}  # a fit factor's row

    def fit(self, lead: DemoLead) -> tuple[list[FactorRow], int]:
        """The factors of who the lead is, and their sum: its fit, at any moment."""
        lead_id = lead.id
        fits, found = self._first.scored((lead,), lead_id)
        rows = []
        for factor in found:
            key = factor[1:]
            tail = self._rows.get(key)
            if tail is None:
                position, group, side, label, points, subject, value = key
                evidence = f"{subject}{_shown(value)}"
                tail = self._rows[key] = (position, group, side, label, points, evidence, 0)
            rows.append((lead_id, *tail, None, None))
        return rows, fits[0]

    def seen(self, activities: Sequence[Seen]) -> list[Happened]:
        """The activities the rules count, with their Unix seconds, in their order."""
        kinds = self._kinds
        return [
            (activity.kind, activity.at.timestamp(), activity.at)
            for activity in activities
            if activity.kind in kinds
        ]

    def engagement(
        self, lead_id: int, seen: Sequence[Happened], at: datetime
    ) -> tuple[list[FactorRow], int]:
        """The factors of what the lead did up to `at` (activity after it is not seen),
        and their sum: its engagement then."""
        now = at.timestamp()
        by_kind: dict[str, list[Happened]] = {}
        for happened in seen:
            if happened[1] <= now:
                by_kind.setdefault(happened[0], []).append(happened)
        rows: list[FactorRow] = []
        total = 0
        for position, kind, label, points, cap, half_life in self._engagement:
            if found := by_kind.get(kind):
                exact = sum(
                    float(points * 0.5 ** ((max(now - seconds, 0.0) / SECONDS_PER_DAY) / half_life))
                    for _, seconds, _ in found
                )
                if worth := round_points(min(exact, cap)):
                    # In time order: the first is the earliest, the last the latest.
                    evidence = f"{len(found)}x, latest {found[-1][2]:%Y-%m-%d}"
                    rows.append(_row(lead_id, position, _ENGAGEMENT, label, worth, evidence, found))
                    total += worth
        for position, kind, label, points in self._negative:
            if found := by_kind.get(kind):
                evidence = f"activity: {kind}"
                rows.append(_row(lead_id, position, _NEGATIVE, label, points, evidence, found))
                total += points
        return rows, total

    def crossing(
        self, fit: int, seen: Sequence[Happened], activities: Sequence[Seen], threshold: int
    ) -> int | None:
        """The first of the lead's activities (by its place) at whose moment its score,
        `fit` and the engagement of all it had done by then (`seen`), reached
        `threshold`; None when none did."""
        for place, activity in enumerate(activities):
            if fit + self._engagement_at(seen, activity.at.timestamp()) >= threshold:
                return place
        return None

    def _engagement_at(self, seen: Sequence[Happened], now: float) -> int:
        """engagement()'s sum alone."""
        by_kind: dict[str, list[float]] = {}
        for kind, seconds, _ in seen:
            if seconds <= now:
                by_kind.setdefault(kind, []).append(seconds)
        total = 0
        for _, kind, _, points, cap, half_life in self._engagement:
            if found := by_kind.get(kind):
                exact = sum(
                    float(points * 0.5 ** ((max(now - seconds, 0.0) / SECONDS_PER_DAY) / half_life))
                    for seconds in found
                )
                total += round_points(min(exact, cap))
        for _, kind, _, points in self._negative:
            if kind in by_kind:
                total += points
        return total


def _row(
    lead_id: int,
    position: int,
    group: str,
    label: str,
    points: int,
    evidence: str,
    found: list[Happened],
) -> FactorRow:
    earliest, latest = int(found[0][1]), int(found[-1][1])
    return (lead_id, position, group, _ENGAGEMENT, label, points, evidence, len(found)) + (
        earliest,
        latest,
    )


def _shown(value: object) -> str:
    """A value in a factor's evidence, as scoring.evidence writes it."""
    return "" if value is None else f"{value}"
