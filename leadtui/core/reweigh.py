"""Re-weighing the agreement's own rules from outcomes: same rules, new points.

Each closed lead is described by the factors it had when marketing handed it over.
A regularised logistic regression learns how much each rule really predicted a win;
its weight becomes points (10 per doubling of the odds). The proposal is the team's
agreement file with only the `points` (and engagement `cap`) lines changed, so its
comments and layout survive and a plain diff shows every changed weight.
"""

from __future__ import annotations

import difflib
import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from leadtui.core.agreement import Agreement, EngagementRule, FitRule, NegativeRule
from leadtui.core.calibrate import POINTS_PER_DOUBLING, CalibrationError
from leadtui.core.scoring import Score
from leadtui.core.toml_lines import key_lines

Rule = FitRule | EngagementRule | NegativeRule
MIN_SUPPORT = 20  # closed leads that must have had a factor before its points may move


@dataclass(frozen=True)
class Change:
    table: str  # "fit", "engagement" or "negative"
    index: int  # the rule's place in that table, from 0
    label: str
    old: int
    new: int


@dataclass(frozen=True)
class Proposal:
    text: str  # the agreement file with the new points
    changes: list[Change]
    auc_now: float  # held-out AUC of the scores the current agreement gave
    auc_proposed: float  # and of the proposed points
    closed: int

    def diff(self, old_text: str, old_name: str, new_name: str) -> str:
        return file_diff(old_text, self.text, old_name, new_name)


def file_diff(old_text: str, new_text: str, old_name: str, new_name: str) -> str:
    """A unified diff of an agreement file and its proposal, as `diff -u` prints it."""
    return "".join(
        difflib.unified_diff(
            old_text.splitlines(keepends=True),
            new_text.splitlines(keepends=True),
            fromfile=old_name,
            tofile=new_name,
        )
    )


def rules_in_order(agreement: Agreement) -> list[tuple[str, int, Rule]]:
    """Every rule with its table and index, in scoring order (a Factor's `rule`)."""
    found: list[tuple[str, int, Rule]] = []
    found += [("fit", i, rule) for i, rule in enumerate(agreement.fit)]
    found += [("engagement", i, rule) for i, rule in enumerate(agreement.engagement)]
    found += [("negative", i, rule) for i, rule in enumerate(agreement.negative)]
    return found


def reweigh(
    agreement: Agreement,
    text: str,
    closed: Sequence[tuple[Score, bool]],
    *,
    seed: int = 7,
    strength: float = 1.0,
) -> Proposal:
    """New points for the rules of `agreement` (whose file is `text`), learned from the
    scores closed leads had at hand-off and whether they were won."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    if len(closed) < 50:
        raise CalibrationError(
            f"only {len(closed)} won or lost leads; re-weighing needs 50 or more"
        )
    rules = rules_in_order(agreement)
    x = np.zeros((len(closed), len(rules)))
    for row, (score, _) in enumerate(closed):
        for factor in score.factors:
            rule = rules[factor.rule][2]
            x[row, factor.rule] = factor.points / rule.points
    y = np.array([won for _, won in closed], dtype=np.int64)
    if len(set(y.tolist())) < 2:
        raise CalibrationError("every closed lead has the same outcome; nothing to learn")
    order = list(range(len(y)))
    random.Random(seed).shuffle(order)
    cut = int(len(order) * 0.7)
    train, test = np.array(order[:cut]), np.array(order[cut:])
    model = LogisticRegression(C=strength, max_iter=5000).fit(x[train], y[train])
    scale = POINTS_PER_DOUBLING / math.log(2)

    changes: list[Change] = []
    new_points = np.zeros(len(rules))
    support = (x != 0).sum(axis=0)
    for position, (table, index, rule) in enumerate(rules):
        if support[position] < MIN_SUPPORT:
            new_points[position] = rule.points  # too few leads had it to say anything
            continue
        learned = round(float(model.coef_[0][position]) * scale)
        # A rule keeps its sign: a fit rule that predicted nothing drops to 1, not below.
        new = min(learned, -1) if table == "negative" else max(learned, 1)
        new_points[position] = new
        if new != rule.points:
            changes.append(Change(table, index, rule.label, rule.points, new))
    now_scores = x[test] @ np.array([rule.points for _, _, rule in rules], dtype=float)
    proposed_scores = x[test] @ new_points
    both = len(set(y[test].tolist())) == 2
    return Proposal(
        text=_rewrite(text, agreement, changes),
        changes=changes,
        auc_now=float(roc_auc_score(y[test], now_scores)) if both else float("nan"),
        auc_proposed=float(roc_auc_score(y[test], proposed_scores)) if both else float("nan"),
        closed=len(closed),
    )


_POINTS = re.compile(r"^(\s*points\s*=\s*)(-?\d+)(.*)$")
_CAP = re.compile(r"^(\s*cap\s*=\s*)(\d+)(.*)$")


def _rewrite(text: str, agreement: Agreement, changes: list[Change]) -> str:
    """The file with each changed rule's `points` line (and an engagement rule's `cap`,
    kept in proportion) edited in place."""
    lines = text.splitlines(keepends=True)
    where = key_lines(text)
    for change in changes:
        points_line = where.get((change.table, change.index, "points"))
        if points_line is None:
            raise CalibrationError(
                f"cannot find the points of {change.table} rule {change.label!r}"
            )
        lines[points_line - 1] = _POINTS.sub(rf"\g<1>{change.new}\g<3>", lines[points_line - 1])
        if change.table == "engagement":
            rule = agreement.engagement[change.index]
            cap_line = where.get(("engagement", change.index, "cap"))
            if cap_line is not None:
                cap = max(change.new, round(rule.cap * change.new / rule.points))
                lines[cap_line - 1] = _CAP.sub(rf"\g<1>{cap}\g<3>", lines[cap_line - 1])
    return "".join(lines)
