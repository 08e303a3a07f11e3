"""The agreement's rules on columns the lead import kept, held against what the leads
in a database carry there: a number rule on a column of words can never hold."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from leadtui.core.agreement import (
    Agreement,
    FieldCondition,
    NegativeRule,
    Problem,
)
from leadtui.core.cells import is_blank, number_in
from leadtui.core.toml_lines import key_lines, line_for


@dataclass(frozen=True)
class ColumnsRead:
    problems: list[Problem]  # rules that cannot hold on these leads
    notes: list[str]  # columns no lead carries yet


def against_the_leads(
    text: str, terms: Agreement, kept: Callable[[str], tuple[int, list[str]]]
) -> ColumnsRead:
    """Each rule that reads a column, against `kept(header)`: how many leads carry the
    column and the distinct values they hold. A number condition on a column whose
    values are mostly not numbers is a problem, named by the rule's line and field."""
    lines = key_lines(text)
    problems: list[Problem] = []
    notes: list[str] = []
    unseen: set[str] = set()
    rules: list[tuple[str, int, FieldCondition | NegativeRule]] = [
        ("fit", index, rule) for index, rule in enumerate(terms.fit)
    ]
    rules += [("negative", index, rule) for index, rule in enumerate(terms.negative)]
    for table, index, rule in rules:
        if rule.column is None:
            continue
        carried, values = kept(rule.column)
        if not carried:
            unseen.add(rule.column)
            continue
        if rule.at_least is None and rule.less_than is None:
            continue
        filled = [value for value in values if not is_blank(value)]
        words = [value for value in filled if number_in(value) is None]
        if filled and len(words) * 2 > len(filled):
            loc = (table, index, "column")
            problems.append(
                Problem(
                    line_for(lines, loc),
                    f"{table}[{index + 1}].column",
                    f"{rule.column!r} holds text (such as {min(words)!r}), not numbers: "
                    f"{rule.condition} can never hold",
                )
            )
    notes += [f"no lead carries the column {header!r} yet" for header in sorted(unseen)]
    return ColumnsRead(problems, notes)


def reads_columns(terms: Agreement) -> bool:
    """Whether any fit or negative rule reads a column the import kept."""
    return any(rule.column for rule in terms.fit) or any(rule.column for rule in terms.negative)
