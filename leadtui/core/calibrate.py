"""Learning points from the team's own closed history: a readable, additive table.

Columns become features (categorical levels; numeric columns in bands; blanks and
placeholders such as "Select" in a level of their own), an L2-regularised logistic
regression (scikit-learn) learns their log-odds on one part of the history, and each
weight becomes whole points, 10 points per doubling of the odds. The held-out part
says what the table is worth: AUC, conversion by decile, lift of the top decile, and
the same figures for the unrounded model, so the team sees what readability costs.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from leadtui.core.cells import PLACEHOLDERS, number_in

BLANK = "(blank)"
OTHER = "(other)"
POINTS_PER_DOUBLING = 10
SUSPICIOUS_AUC = 0.9
POSITIVE = frozenset({"1", "true", "yes", "y", "won", "converted", "closed won", "win"})
NEGATIVE = frozenset({"0", "false", "no", "n", "lost", "not converted", "closed lost", "loss"})


class CalibrationError(Exception):
    """The history cannot be learned from; the message says which column and why."""


@dataclass(frozen=True)
class Feature:
    """One thing a lead can have: a level of a column, or a band of a number."""

    column: str
    level: str | None = None
    low: float | None = None  # band: low <= value < high
    high: float | None = None

    @property
    def label(self) -> str:
        if self.level is not None:
            return f"{self.column}: {self.level}"
        if self.high is None:
            return f"{self.column}: {_number(self.low)} or more"
        if self.low is None:
            return f"{self.column}: under {_number(self.high)}"
        return f"{self.column}: {_number(self.low)} to under {_number(self.high)}"

    def holds(self, value: str) -> bool:
        blank = value.strip().casefold() in PLACEHOLDERS
        if self.level is not None:
            if self.level == BLANK:
                return blank
            return not blank and value.strip().casefold() == self.level.casefold()
        if blank:
            return False
        number = number_in(value)
        if number is None:
            return False
        return (self.low is None or number >= self.low) and (
            self.high is None or number < self.high
        )


@dataclass(frozen=True)
class History:
    columns: list[str]
    rows: list[dict[str, str]]
    outcomes: list[bool]

    def without(self, columns: set[str]) -> History:
        return History([c for c in self.columns if c not in columns], self.rows, self.outcomes)


@dataclass(frozen=True)
class Weighted:
    feature: Feature
    points: int
    rows: int  # how many leads have it
    converted: float  # share of those that converted


@dataclass
class Report:
    table: list[Weighted]
    baseline_points: int  # the intercept, as points
    auc: float  # the rounded points table, on the held-out part
    auc_unrounded: float  # the same features, unrounded weights
    auc_random: float  # a random score, same split: the floor
    deciles: list[float]  # held-out conversion rate by score decile, top first
    top_decile_lift: float
    auc_plain: float  # a plain logistic regression: numbers as they are, not in bands
    trained_on: int
    tested_on: int
    skipped: dict[str, str] = field(default_factory=dict)  # column -> why it was left out
    # Columns that alone predict almost perfectly: often filled in after the outcome
    # was known (a sales tag, a status), which no new lead will have yet.
    suspicious: dict[str, float] = field(default_factory=dict)  # column -> AUC alone
    # The same features learned again on the whole history, as a proposal writes them
    # (the held-out figures above judge the method; these are the points it gives).
    learned: list[Weighted] = field(default_factory=list)
    baseline_learned: int = 0
    # For choosing a proposal's threshold: the points learned without the held-out
    # leads (in the order of `learned`), and each held-out lead's features (places in
    # that order) with its outcome.
    trained_points: list[int] = field(default_factory=list)
    held_out: list[tuple[tuple[int, ...], bool]] = field(default_factory=list)


def outcomes_from(rows: Sequence[dict[str, str]], column: str, source: str) -> list[bool]:
    """The outcome column as booleans; anything not clearly binary is refused."""
    if rows and column not in rows[0]:
        known = ", ".join(rows[0])
        raise CalibrationError(f"{source} has no column {column!r} (it has: {known})")
    found: list[bool] = []
    for line, row in enumerate(rows, start=2):
        value = (row.get(column) or "").strip().casefold()
        if value in POSITIVE:
            found.append(True)
        elif value in NEGATIVE:
            found.append(False)
        else:
            raise CalibrationError(
                f"{source}, line {line}: {column} is {row.get(column)!r}; "
                "an outcome must be one of 1/0, yes/no, true/false, won/lost"
            )
    if len(set(found)) < 2:
        raise CalibrationError(f"{source}: every lead has the same {column}; nothing to learn")
    return found


def plan(
    history: History, *, min_share: float = 0.01, bands: int = 5
) -> tuple[list[Feature], dict[str, str]]:
    """The features worth learning, and the columns left out with the reason."""
    features: list[Feature] = []
    skipped: dict[str, str] = {}
    total = len(history.rows)
    for column in history.columns:
        values = [row.get(column, "") for row in history.rows]
        filled = [v.strip() for v in values if v.strip().casefold() not in PLACEHOLDERS]
        if not filled:
            skipped[column] = "always blank"
            continue
        numbers = [n for n in (number_in(v) for v in filled) if n is not None]
        if len(numbers) >= 0.9 * len(filled) and len(set(numbers)) > bands:
            whole = all(number == int(number) for number in numbers)
            if whole and len(set(numbers)) > 0.9 * len(numbers) and total > 20:
                skipped[column] = "a different whole number on nearly every lead (an id?)"
                continue
            features += _bands(column, numbers, bands)
        else:
            # A level is a value in any case, as the agreement's any_of reads it; it is
            # named by its most common spelling.
            counts = Counter(value.casefold() for value in filled)
            spelled = {value.casefold(): value for value, _ in Counter(filled).most_common()[::-1]}
            if len(counts) > 0.5 * total and total > 20:
                skipped[column] = "nearly every value is different (an id or a name?)"
                continue
            common = [
                spelled[level]
                for level, n in counts.most_common()
                if n >= max(min_share * total, 5)
            ]
            if not common:
                skipped[column] = "no value is common enough to learn from"
                continue
            features += [Feature(column, level=level) for level in common]
        if len(filled) < len(values):
            features.append(Feature(column, level=BLANK))
    return features, skipped


def encode(rows: Sequence[dict[str, str]], features: Sequence[Feature]) -> Any:
    import numpy as np

    matrix = np.zeros((len(rows), len(features)), dtype=np.float64)
    for i, row in enumerate(rows):
        for j, feature in enumerate(features):
            if feature.holds(row.get(feature.column, "")):
                matrix[i, j] = 1.0
    return matrix


def calibrate(
    history: History, *, seed: int = 7, test_share: float = 0.3, strength: float = 1.0
) -> Report:
    """Learn the points table on one part of the history and judge it on the rest."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    if len(history.rows) < 50:
        raise CalibrationError(
            f"only {len(history.rows)} closed leads; calibration needs 50 or more"
        )
    features, skipped = plan(history)
    if not features:
        raise CalibrationError("no column has values that could predict the outcome")
    x = encode(history.rows, features)
    y = np.array(history.outcomes, dtype=np.int64)
    order = list(range(len(y)))
    random.Random(seed).shuffle(order)
    cut = int(len(order) * (1 - test_share))
    train, test = np.array(order[:cut]), np.array(order[cut:])
    if len(set(y[test].tolist())) < 2 or len(set(y[train].tolist())) < 2:
        raise CalibrationError("the held-out part has only one outcome; add more history")

    model = LogisticRegression(C=strength, max_iter=5000)
    model.fit(x[train], y[train])
    scale = POINTS_PER_DOUBLING / math.log(2)
    points = np.rint(model.coef_[0] * scale).astype(int)
    scores = x[test] @ points
    noise = np.random.default_rng(seed).random(len(test))

    suspicious = {}
    for column in dict.fromkeys(feature.column for feature in features):
        own = np.array([feature.column == column for feature in features])
        alone = x[test][:, own] @ points[own]
        if len(set(alone.tolist())) > 1:
            auc_alone = float(roc_auc_score(y[test], alone))
            if auc_alone >= SUSPICIOUS_AUC:
                suspicious[column] = auc_alone

    def weighed(points: Any) -> list[Weighted]:
        found = []
        for j, feature in enumerate(features):
            has = x[:, j] > 0
            share = float(y[has].mean()) if has.any() else 0.0
            found.append(Weighted(feature, int(points[j]), int(has.sum()), share))
        return found

    table = sorted(weighed(points), key=lambda w: (-abs(w.points), w.feature.label))
    whole = LogisticRegression(C=strength, max_iter=5000).fit(x, y)
    deciles = _deciles(scores, y[test])
    overall = float(y[test].mean())
    return Report(
        table=table,
        baseline_points=int(round(model.intercept_[0] * scale)),
        auc=float(roc_auc_score(y[test], scores)),
        auc_unrounded=float(roc_auc_score(y[test], model.decision_function(x[test]))),
        auc_random=float(roc_auc_score(y[test], noise)),
        deciles=deciles,
        top_decile_lift=deciles[0] / overall if overall else 0.0,
        auc_plain=_plain_auc(history, features, train, test, y),
        trained_on=len(train),
        tested_on=len(test),
        skipped=skipped,
        suspicious=suspicious,
        learned=weighed(np.rint(whole.coef_[0] * scale).astype(int)),
        baseline_learned=int(round(whole.intercept_[0] * scale)),
        trained_points=[int(p) for p in points],
        held_out=[(tuple(int(j) for j in np.flatnonzero(x[row])), bool(y[row])) for row in test],
    )


def _plain_auc(history: History, features: list[Feature], train: Any, test: Any, y: Any) -> float:
    """The same columns in a plain logistic regression: categories one-hot as before,
    numbers as they are (standardised), weights unrounded: what readability costs."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    levels = [feature for feature in features if feature.level is not None]
    numeric = sorted({f.column for f in features if f.level is None})
    parts = [encode(history.rows, levels)]
    for column in numeric:
        values = [number_in(row.get(column, "")) for row in history.rows]
        known = [v for v in values if v is not None]
        fill = float(np.median(known)) if known else 0.0
        parts.append(np.array([[fill if v is None else v] for v in values]))
    matrix = np.hstack(parts)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
    model.fit(matrix[train], y[train])
    return float(roc_auc_score(y[test], model.decision_function(matrix[test])))


def _deciles(scores: Any, outcomes: Any) -> list[float]:
    import numpy as np

    order = np.argsort(-scores, kind="stable")
    groups = np.array_split(order, 10)
    return [float(outcomes[group].mean()) if len(group) else 0.0 for group in groups]


def _bands(column: str, numbers: list[float], bands: int) -> list[Feature]:
    ordered = sorted(numbers)
    edges = sorted({_round_edge(ordered[int(len(ordered) * k / bands)]) for k in range(1, bands)})
    edges = [edge for edge in edges if ordered[0] < edge <= ordered[-1]]
    if not edges:
        return [Feature(column, low=None, high=None)]
    found = [Feature(column, low=None, high=edges[0])]
    found += [
        Feature(column, low=low, high=high) for low, high in zip(edges, edges[1:], strict=False)
    ]
    found.append(Feature(column, low=edges[-1], high=None))
    return found


def _round_edge(value: float) -> float:
    """Band edges people can read: 2 significant figures."""
    if value == 0:
        return 0.0
    digits = 1 - int(math.floor(math.log10(abs(value))))
    return round(value, digits)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")
