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

    def fit(self, lead: DemoLead) -> tuple[list[FactorRow], int]:
        """The factors of who the lead is, and their sum: its fit, at any moment."""
        lead_id = lead.id
        fits, found = self._first.scored((lead,), lead_id)
        rows = [
            (lead_id, position, group, side, label, points, f"{subject}{_shown(value)}", 0)
            + (None, None)
            for _, position, group, side, label, points, subject, value in found
        ]
        return rows, fits[0]

    def engagement(
        self, lead_id: int, activities: Sequence[Seen], at: datetime
    ) -> tuple[list[FactorRow], int]:
        """The factors of what the lead did up to `at` (activity after it is not seen),
        and their sum: its engagement then."""
        now = at.timestamp()
        by_kind: dict[str, list[tuple[float, datetime]]] = {}
        for activity in activities:
            if activity.at <= at and activity.kind in self._kinds:
                by_kind.setdefault(activity.kind, []).append((activity.at.timestamp(), activity.at))
        rows: list[FactorRow] = []
        total = 0
        for position, kind, label, points, cap, half_life in self._engagement:
            found = by_kind.get(kind)
            if not found:
                continue
            exact = sum(
                float(points * 0.5 ** ((max(now - seconds, 0.0) / SECONDS_PER_DAY) / half_life))
                for seconds, _ in found
            )
            worth = round_points(min(exact, cap))
            if worth:
                latest = max(moment for _, moment in found)
                evidence = f"{len(found)}x, latest {latest:%Y-%m-%d}"
                rows.append(_row(lead_id, position, _ENGAGEMENT, label, worth, evidence, found))
                total += worth
        for position, kind, label, points in self._negative:
            if found := by_kind.get(kind):
                evidence = f"activity: {kind}"
                rows.append(_row(lead_id, position, _NEGATIVE, label, points, evidence, found))
                total += points
        return rows, total


def _row(
    lead_id: int,
    position: int,
    group: str,
    label: str,
    points: int,
    evidence: str,
    found: list[tuple[float, datetime]],
) -> FactorRow:
    latest, earliest = max(at for _, at in found), min(at for _, at in found)
    return (lead_id, position, group, _ENGAGEMENT, label, points, evidence, len(found)) + (
        int(earliest.timestamp()),
        int(latest.timestamp()),
    )


def _shown(value: object) -> str:
    """A value in a factor's evidence, as scoring.evidence writes it."""
    return "" if value is None else f"{value}"
