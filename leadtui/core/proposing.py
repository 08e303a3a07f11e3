"""A whole agreement from a calibration: the points a team's history taught, written as
fit and negative rules on the export's own columns, in the agreement in force.

What the proposal keeps of the agreement in force: its text, comments and all, with
its required fields, engagement rules, activity-based negative rules, reasons and SLA.
What it replaces: every fit rule and every negative rule on a field, by one rule per
learned level or band; and, when a target conversion is given, the fit hurdle and the
MQL threshold.

How the table becomes rules. Each column is one tier: its levels are exclusive (a lead
has one value, so it meets one `any_of`), and so are its numeric bands (`at_least`
with `less_than`). The model counts each column from a level it leaves at zero, which
makes points of either sign; the proposal counts each column from its *lowest* level
instead, so every learned rule is a fit rule worth 0 or more, and a value the history
did not learn (rare, or new) gets what the model gave it: the column's "any other
value" rule at the end of the tier. Moving a column's zero moves every lead's score by
the same amount, so no order changes; this is how the model's intercept is folded in.
A score is then the points above the least promising lead the history knows, and
every 10 of them double the odds of converting.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from leadtui.core.agreement import LEAD_FIELDS, NUMERIC_FIELDS, Agreement, parse
from leadtui.core.calibrate import BLANK, CalibrationError, Feature, Report, Weighted
from leadtui.core.reweigh import file_diff
from leadtui.core.toml_lines import key_lines

# A threshold is judged on at least this many held-out leads at or above it.
LEAST_LEADS_AT_THRESHOLD = 20
_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\- ]+?)\s*\]\]?\s*(#.*)?$")


@dataclass(frozen=True)
class Bar:
    """Where a proposal puts the MQL bar, and what the held-out leads say of it."""

    fit_hurdle: int
    mql_threshold: int
    converted: float  # held-out leads at or above the threshold: the share that converted
    passing: float  # the share of held-out leads at or above it
    words: str  # how it was chosen, for the report


@dataclass(frozen=True)
class Proposal:
    text: str
    rules: int  # fit rules written
    bar: Bar
    left_out: dict[str, str] = field(default_factory=dict)  # column -> why

    def diff(self, old_text: str, old_name: str, new_name: str) -> str:
        return file_diff(old_text, self.text, old_name, new_name)


def propose(
    report: Report,
    terms: Agreement,
    text: str,
    *,
    field_of: Callable[[str], str | None],
    learned_from: str,
    target_conversion: float | None = None,
) -> Proposal:
    """The agreement in force (`terms`, read from `text`) with the points `report`
    learned on the whole history as its fit rules. `field_of` names the built-in field
    the lead import fills from a column, or None: kept as a column."""
    left_out = dict(report.skipped)
    left_out |= {
        column: f"on its own it predicts the outcome (AUC {auc:.2f}): filled in after the fact?"
        for column, auc in report.suspicious.items()
    }
    by_column: dict[str, list[int]] = {}
    for place, weighted in enumerate(report.learned):
        by_column.setdefault(weighted.feature.column, []).append(place)
    tiers: list[Tier] = []
    for column, places in by_column.items():
        if column in left_out:
            continue
        tier = Tier(column, field_of(column), places)
        why = tier.unwritable(report)
        if why:
            left_out[column] = why
        elif any(report.learned[place].points for place in places):
            tiers.append(tier)
    if not tiers:
        raise CalibrationError("the history taught no column worth points; nothing to propose")
    bar = choose_bar(_held_out_scores(report, tiers), terms, target_conversion)
    rules = [rule for tier in tiers for rule in tier.rules(report)]
    floor = report.baseline_learned + sum(
        tier.lowest([w.points for w in report.learned]) for tier in tiers
    )
    head = _head(report, learned_from, left_out, floor)
    proposed = _splice(text, terms, head + "\n".join(rules), bar)
    parse(proposed, "the proposal")  # never write a file that would not run
    return Proposal(proposed, len(rules), bar, left_out)


@dataclass(frozen=True)
class Tier:
    """One column of the history as rules: its features (places in `report.learned`)."""

    column: str
    builtin: str | None  # the lead field the import fills from it, if any
    places: list[int]

    def unwritable(self, report: Report) -> str:
        """Why no rule can test what the column's features test, or ''."""
        if self.builtin is not None and self.builtin not in LEAD_FIELDS:
            return f"the lead import keeps it as {self.builtin}, which no rule reads"
        numeric = self.builtin in NUMERIC_FIELDS
        for place in self.places:
            feature = report.learned[place].feature
            if feature.level is not None and feature.level != BLANK and numeric:
                return (
                    f"the lead import reads it as a number ({self.builtin}); its values are words"
                )
            if feature.level is None and self.builtin is not None and not numeric:
                return f"the lead import reads it as text ({self.builtin}); its values are numbers"
            if feature.level is None and feature.low is None and feature.high is None:
                return "its numbers fell in a single band"
        return ""

    def lowest(self, points: Sequence[int]) -> int:
        """The column's new zero: its lowest level, or the model's own zero if lower."""
        return min(0, *(points[place] for place in self.places))

    def rules(self, report: Report) -> list[str]:
        points = [weighted.points for weighted in report.learned]
        zero = self.lowest(points)
        subject: dict[str, object] = (
            {"field": self.builtin} if self.builtin else {"column": self.column}
        )
        written = []
        for place in sorted(self.places, key=lambda place: -points[place]):
            weighted = report.learned[place]
            if weighted.points - zero or zero:  # a 0 only matters before "any other value"
                written.append(
                    self._rule(
                        weighted.feature.label,
                        subject | _condition(weighted.feature),
                        weighted.points - zero,
                        weighted,
                    )
                )
        if zero:
            blank = any(report.learned[p].feature.level == BLANK for p in self.places)
            written.append(
                self._rule(f"{self.column}: any other value", subject | {"blank": False}, -zero)
            )
            if not blank:
                written.append(
                    self._rule(f"{self.column}: blank", subject | {"blank": True}, -zero)
                )
        return written

    def _rule(
        self, label: str, reading: dict[str, object], points: int, weighted: Weighted | None = None
    ) -> str:
        lines = ["[[fit]]", f"label = {_toml(label)}", f"tier = {_toml(self.column)}"]
        lines += [f"{key} = {_toml(value)}" for key, value in reading.items()]
        if self.builtin:
            lines.append(f"# the export's column {_toml(self.column)}")
        share = (
            ""
            if weighted is None
            else f"  # {weighted.rows:,} leads, {weighted.converted:.0%} converted"
        )
        lines.append(f"points = {points}{share}")
        return "\n".join(lines) + "\n"


def _toml(value: object) -> str:
    """A TOML value: JSON's strings, numbers and arrays are TOML's too."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return json.dumps(value, ensure_ascii=False)


def _condition(feature: Feature) -> dict[str, object]:
    if feature.level == BLANK:
        return {"blank": True}
    if feature.level is not None:
        return {"any_of": [feature.level]}
    band = {"at_least": feature.low, "less_than": feature.high}
    return {key: value for key, value in band.items() if value is not None}


def _held_out_scores(report: Report, tiers: list[Tier]) -> list[tuple[int, bool]]:
    """The held-out leads scored by the points learned without them, each column counted
    from its lowest level as the proposal counts: the scale of the proposal's points."""
    used = {place for tier in tiers for place in tier.places}
    points = report.trained_points
    zero = sum(tier.lowest(points) for tier in tiers)
    return [
        (sum(points[place] for place in held if place in used) - zero, won)
        for held, won in report.held_out
    ]


def choose_bar(held_out: Sequence[tuple[int, bool]], terms: Agreement, target: float | None) -> Bar:
    """With a target: the lowest threshold at and above which held-out leads convert at
    the target rate, and a fit hurdle where they convert at half of it (a lead that fits
    that well is worth engaging). Without: the bar in force, judged on the same leads."""

    def judged(threshold: int) -> tuple[float, float, int]:
        above = [won for score, won in held_out if score >= threshold]
        rate = sum(above) / len(above) if above else 0.0
        return rate, len(above) / len(held_out) if held_out else 0.0, len(above)

    if target is None:
        threshold = terms.mql_threshold
        rate, passing, _ = judged(threshold)
        hurdle = min(terms.fit_hurdle, threshold)
        return Bar(hurdle, threshold, rate, passing, "the threshold in force, kept")
    candidates = sorted({score for score, _ in held_out if score >= 1})
    enough = [s for s in candidates if judged(s)[2] >= LEAST_LEADS_AT_THRESHOLD]
    reaching = [score for score in enough if judged(score)[0] >= target]
    if not reaching:
        best = max(enough, key=lambda s: judged(s)[0], default=None)
        seen = "" if best is None else f"; the best is {judged(best)[0]:.0%} at {best} and above"
        raise CalibrationError(
            f"no threshold reaches {target:.0%} conversion on the held-out leads{seen}"
        )
    threshold = reaching[0]
    half = [s for s in candidates if s <= threshold and judged(s)[0] >= target / 2]
    rate, passing, _ = judged(threshold)
    words = f"the lowest score whose held-out leads convert at {target:.0%} or more"
    return Bar(min(half, default=threshold), threshold, rate, passing, words)


def _head(report: Report, learned_from: str, left_out: dict[str, str], floor: int) -> str:
    said = (
        f"Learned from {learned_from} by `leadtui calibrate --propose`: the points of "
        f"{report.trained_on + report.tested_on:,} closed leads, learned on all of them (the "
        "report judged the method on a held-out part). One tier per column, each counted "
        "from its lowest level: a score is the points above the least promising lead the "
        "history knows, and every 10 double the odds of converting (at 0 the odds are "
        f"2^({floor}/10), {_odds(floor)}). The field-based negative rules gave way to these; "
        "the engagement rules and the activity-based negative rules are kept, as the "
        "history has no activities."
    )
    lines = [f"# {line}" for line in textwrap.wrap(said, 78)]
    if left_out:
        lines.append("# Left out:")
        lines += [f"#   {column or '(no name)'}: {why}" for column, why in left_out.items()]
    return "\n".join(lines) + "\n\n"


def _odds(points: int) -> str:
    """'1 in 9' for the odds 2^(points/10) as a chance."""
    odds = 2 ** (points / 10)
    chance = odds / (1 + odds)
    return f"a chance of 1 in {round(1 / chance):,}" if chance < 0.5 else f"{chance:.0%}"


def _splice(text: str, terms: Agreement, fit: str, bar: Bar) -> str:
    """`text` with its fit blocks and field-based negative blocks replaced, and the bar
    moved; every other line as the team wrote it."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    blocks = _blocks(lines)
    fits = [span for name, span in blocks if name == "fit"]
    negatives = [span for name, span in blocks if name == "negative"]
    if len(fits) != len(terms.fit) or len(negatives) != len(terms.negative):
        raise CalibrationError(
            "the agreement in force does not write its rules as [[fit]] and [[negative]] "
            "tables; a proposal cannot be written into it"
        )
    by_field = zip(negatives, terms.negative, strict=True)
    gone = fits + [span for span, rule in by_field if not rule.kind]
    out: list[str] = []
    for number, line in enumerate(lines):
        if number == fits[0][0]:
            out.append(fit + "\n")
        if not any(start <= number < end for start, end in gone):
            out.append(line)
    where = key_lines(text)
    for key, value in (("fit_hurdle", bar.fit_hurdle), ("mql_threshold", bar.mql_threshold)):
        found = where.get((key,))
        if found is not None:
            old = lines[found - 1]
            out[out.index(old)] = re.sub(r"=\s*-?\d+", f"= {value}", old, count=1)
    return "".join(out)


def _blocks(lines: list[str]) -> list[tuple[str, tuple[int, int]]]:
    """Each table of the file with the lines it spans: from its header to its last key
    (the comments and blank lines after that introduce what comes next), and one
    blank line after it."""
    headers = [n for n, line in enumerate(lines) if _HEADER.match(line)]
    found = []
    for start, following in zip(headers, [*headers[1:], len(lines)], strict=True):
        name = _HEADER.match(lines[start]).group(1).strip()  # type: ignore[union-attr]
        end = start + 1
        for number in range(start + 1, following):
            stripped = lines[number].strip()
            if stripped and not stripped.startswith("#"):
                end = number + 1
        if end < following and not lines[end].strip():
            end += 1
        found.append((name, (start, end)))
    return found
