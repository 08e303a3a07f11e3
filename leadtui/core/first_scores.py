"""The scores new leads come in with, many at once, from plain records.

A lead that has just come in has no activity yet, so its score is what the agreement
says of who it is: the fit rules and the negative rules on a field or a column the
import kept. Each rule is decided once per distinct value (a few hundred titles, not a
million leads) with the very test the set-based rescoring asks (`scoring.value_holds`),
and tiers are taken as it takes them (the first rule of a tier that holds counts), so a
lead scored here has the factors a rescoring would give it. The evidence is handed back
as its subject and the value, for the store to write as it writes a rescoring's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any, NamedTuple, cast

from leadtui.core.agreement import Agreement, FitRule, NegativeRule
from leadtui.core.scoring import Group, value_holds

_NULL = object()  # a kept column the record has without a value: no rule reads it
_FIT = Group.FIT.value  # the side every one of these rules counts toward


class FirstFactor(NamedTuple):
    """One factor of a new lead: the rule's place in the scoring order, its group and
    side, label and points, and its evidence as the subject ('title: ') and the value
    (None: nothing to show)."""

    position: int
    group: str
    side: str
    label: str
    points: int
    subject: str
    value: object


# What a group of rules made of one value (or of its values): the factors and their sum.
Decided = tuple[tuple[FirstFactor, ...], int]
# A group's decisions are kept for this many distinct values (a title is seen again and
# again, an email rarely): past it, a new value is decided each time it comes.
KEPT_DECISIONS = 1_000_000
_NONE: Decided = ((), 0)


class _Group:
    """Rules decided together: those that read the same value, and those in one tier
    with them (the first of a tier that holds counts); their decisions by value."""

    def __init__(self, rules: list[tuple[int, FitRule | NegativeRule, str]]) -> None:
        # Each rule with its tier, what it reads, and the factor it gives but the value.
        self.rules = [
            (
                rule,
                getattr(rule, "tier", None),
                _reads(rule),
                (position, group, _FIT, rule.label, int(rule.points), f"{rule.subject}: "),
            )
            for position, rule, group in sorted(rules, key=lambda chosen: chosen[0])
        ]
        self.reads = sorted({reads for _, _, reads, _ in self.rules})
        readers = [_reader(reads) for reads in self.reads]
        self.read: Callable[[Any], object] = (
            readers[0] if len(readers) == 1 else lambda record: tuple(r(record) for r in readers)
        )
        self.decided: dict[object, Decided] = {}

    def decide(self, key: object) -> Decided:
        """What the group's rules make of the value (or values) `key`, kept."""
        given = cast(tuple[object, ...], key) if len(self.reads) > 1 else (key,)
        values = dict(zip(self.reads, given, strict=True))
        factors: list[FirstFactor] = []
        tiers_taken: set[str] = set()
        for rule, tier, reads, factor in self.rules:
            value = values[reads]
            if value is _NULL or (tier is not None and tier in tiers_taken):
                continue
            if not value_holds(rule, value):
                continue
            if tier is not None:
                tiers_taken.add(tier)
            if rule.points:
                factors.append(FirstFactor._make((*factor, value)))
        found = (tuple(factors), sum(factor.points for factor in factors)) if factors else _NONE
        if len(self.decided) < KEPT_DECISIONS:
            self.decided[key] = found
        return found


def _reads(rule: FitRule | NegativeRule) -> tuple[str, str]:
    """What the rule reads: ("field", name) or ("column", header)."""
    if rule.column is not None:
        return ("column", rule.column)
    return ("field", rule.field or "")


def _reader(reads: tuple[str, str]) -> Callable[[Any], object]:
    """The value a record gives: its field's, or its kept column's (None when it has no
    such column, _NULL when the column is there without a value)."""
    kind, name = reads
    if kind == "field":
        return attrgetter(name)

    def kept(record: Any) -> object:
        value = (record.custom or {}).get(name, None)
        if value is None:
            return _NULL if name in (record.custom or {}) else None
        return value

    return kept


class FirstScores:
    """The agreement's rules on who a lead is, to score new leads' records with."""

    def __init__(self, agreement: Agreement) -> None:
        first_negative = len(agreement.fit) + len(agreement.engagement)
        chosen: list[tuple[int, FitRule | NegativeRule, str]] = [
            (position, rule, Group.FIT.value) for position, rule in enumerate(agreement.fit)
        ]
        chosen += [
            (position, rule, Group.NEGATIVE.value)
            for position, rule in enumerate(agreement.negative, start=first_negative)
            if rule.kind is None and rule.subject
        ]
        # Rules join a group by what they read and by their tier.
        parts: list[tuple[set[object], list[tuple[int, FitRule | NegativeRule, str]]]] = []
        for one in chosen:
            tier = getattr(one[1], "tier", None)
            marks: set[object] = {_reads(one[1])} | ({("tier", tier)} if tier else set())
            merged = (marks, [one])
            for part in [part for part in parts if part[0] & marks]:
                merged[0].update(part[0])
                merged[1].extend(part[1])
                parts.remove(part)
            parts.append(merged)
        self._groups = [_Group(rules) for _, rules in parts]

    def scored(
        self, records: Iterable[Any], first_id: int
    ) -> tuple[list[int], list[tuple[object, ...]]]:
        """The fit of each record (its whole score: with no activity yet, engagement is
        0), and the factors of them all (none worth 0), each as (lead id, position,
        group, side, label, points, subject, value), for records whose leads are
        numbered from `first_id` in turn."""
        fits: list[int] = []
        factors: list[tuple[object, ...]] = []
        groups = [(group.read, group.decided, group.decide) for group in self._groups]
        for lead_id, record in enumerate(records, start=first_id):
            fit = 0
            for read, decided, decide in groups:
                key = read(record)
                found = decided.get(key) or decide(key)
                if found[0]:
                    fit += found[1]
                    factors += [(lead_id, *factor) for factor in found[0]]
            fits.append(fit)
        return fits, factors
