"""Scores that explain themselves: fit and engagement as sums of whole-point factors."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Protocol

from leadtui.core.agreement import Agreement, FieldCondition, NegativeRule
from leadtui.core.cells import is_blank, number_in
from leadtui.core.models import Lead

SECONDS_PER_DAY = 86_400


class Group(StrEnum):
    FIT = "fit"
    ENGAGEMENT = "engagement"
    NEGATIVE = "negative"


class Happened(Protocol):
    """Anything that says what kind of activity happened and when (an Activity will do)."""

    @property
    def kind(self) -> str: ...

    @property
    def at(self) -> datetime: ...


@dataclass(frozen=True)
class Factor:
    """One reason a lead has the points it has.

    `points` is whole: each factor is rounded on its own, so the factors a rep
    sees always add up to the score they see.
    """

    label: str
    group: Group
    points: int
    evidence: str = ""
    # The sub-score it counts toward: FIT or ENGAGEMENT. Negative signals about who the
    # lead is lower fit; those about what they did lower engagement.
    side: Group = Group.FIT
    count: int = 0  # how many activities the factor stands on
    latest: datetime | None = None  # the most recent of them
    earliest: datetime | None = None  # and the oldest
    # The rule's place in the agreement's scoring order: fit, engagement, then negative
    # rules, each as listed. Factors are stored under it, so it stays stable over runs.
    rule: int = 0


@dataclass(frozen=True)
class Score:
    factors: tuple[Factor, ...]

    @property
    def fit(self) -> int:
        """Fit factors plus negative signals about who the lead is."""
        return sum(factor.points for factor in self.factors if factor.side is Group.FIT)

    @property
    def engagement(self) -> int:
        return self.total - self.fit

    @property
    def total(self) -> int:
        return sum(factor.points for factor in self.factors)


def round_points(exact: float) -> int:
    """Half away from zero, the way SQLite's round() does, so SQL and Python agree."""
    return int(math.floor(abs(exact) + 0.5)) * (1 if exact >= 0 else -1)


def decayed(points: float, age_seconds: float, half_life_days: float) -> float:
    """`points` halved every `half_life_days`; future-dated activity counts in full."""
    age_days = max(age_seconds, 0.0) / SECONDS_PER_DAY
    return float(points * 0.5 ** (age_days / half_life_days))


@cache
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE)


def value_of(condition: FieldCondition | NegativeRule, lead: Lead) -> object:
    """What the rule reads of the lead: a field, or a column the import kept (None when
    the lead has no such column)."""
    if condition.column is not None:
        return lead.custom.get(condition.column)
    return getattr(lead, condition.field or "")


def holds(condition: FieldCondition | NegativeRule, lead: Lead) -> bool:
    """Whether the lead's field or column meets the rule's one condition."""
    return value_holds(condition, value_of(condition, lead))


def evidence(condition: FieldCondition | NegativeRule, lead: Lead) -> str:
    """'title: VP of IT', 'Lead Origin: Lead Add Form'; a missing value shows as nothing."""
    value = value_of(condition, lead)
    return f"{condition.subject}: {'' if value is None else value}"


def value_holds(condition: FieldCondition | NegativeRule, value: object) -> bool:
    """Whether one value meets the rule's condition; the set-based rescoring asks this
    once per distinct value, so SQL and Python cannot disagree on a match. A number
    written as text ("1,100") meets at_least and less_than as the number."""
    if condition.blank is not None:
        return is_blank(value) is condition.blank
    if condition.any_of is not None:
        wanted = {choice.casefold() for choice in condition.any_of}
        return isinstance(value, str) and value.strip().casefold() in wanted
    if condition.matches is not None:
        return isinstance(value, str) and _pattern(condition.matches).search(value) is not None
    if isinstance(value, str):
        value = number_in(value)
    if not isinstance(value, int | float):
        return False
    if condition.at_least is None and condition.less_than is None:
        return False
    above = condition.at_least is None or value >= condition.at_least
    return bool(above and (condition.less_than is None or value < condition.less_than))


def score(lead: Lead, activities: Iterable[Happened], agreement: Agreement, now: datetime) -> Score:
    """The lead's factors as of `now`; activity after `now` is ignored."""
    seen = [activity for activity in activities if activity.at <= now]
    factors = [*_fit(lead, agreement), *_engagement(seen, agreement, now)]
    factors += _negative(lead, seen, agreement)
    return Score(tuple(factor for factor in factors if factor.points != 0))


def _fit(lead: Lead, agreement: Agreement) -> list[Factor]:
    factors: list[Factor] = []
    tiers_taken: set[str] = set()
    for position, rule in enumerate(agreement.fit):
        if rule.tier is not None and rule.tier in tiers_taken:
            continue
        if holds(rule, lead):
            if rule.tier is not None:
                tiers_taken.add(rule.tier)
            shown = evidence(rule, lead)
            factors.append(Factor(rule.label, Group.FIT, rule.points, shown, rule=position))
    return factors


def _engagement(
    activities: Sequence[Happened], agreement: Agreement, now: datetime
) -> list[Factor]:
    by_kind: dict[str, list[Happened]] = {}
    for activity in activities:
        by_kind.setdefault(activity.kind, []).append(activity)
    factors: list[Factor] = []
    for position, rule in enumerate(agreement.engagement, start=len(agreement.fit)):
        found = by_kind.get(rule.kind)
        if not found:
            continue
        exact = sum(
            decayed(rule.points, (now - activity.at).total_seconds(), rule.half_life_days)
            for activity in found
        )
        latest = max(activity.at for activity in found)
        earliest = min(activity.at for activity in found)
        evidence = f"{len(found)}x, latest {latest:%Y-%m-%d}"
        points = round_points(min(exact, rule.cap))
        factors.append(
            Factor(
                rule.label,
                Group.ENGAGEMENT,
                points,
                evidence,
                side=Group.ENGAGEMENT,
                count=len(found),
                latest=latest,
                earliest=earliest,
                rule=position,
            )
        )
    return factors


def _negative(lead: Lead, activities: Sequence[Happened], agreement: Agreement) -> list[Factor]:
    by_kind: dict[str, list[datetime]] = {}
    for activity in activities:
        by_kind.setdefault(activity.kind, []).append(activity.at)
    factors: list[Factor] = []
    first = len(agreement.fit) + len(agreement.engagement)
    for position, rule in enumerate(agreement.negative, start=first):
        if rule.kind is not None:
            if found := by_kind.get(rule.kind):
                factors.append(
                    Factor(
                        rule.label,
                        Group.NEGATIVE,
                        rule.points,
                        f"activity: {rule.kind}",
                        side=Group.ENGAGEMENT,
                        count=len(found),
                        latest=max(found),
                        earliest=min(found),
                        rule=position,
                    )
                )
        elif holds(rule, lead):
            shown = evidence(rule, lead)
            factors.append(Factor(rule.label, Group.NEGATIVE, rule.points, shown, rule=position))
    return factors
