"""Calibration learns the signal a history holds, and says plainly when it cannot."""

from __future__ import annotations

import math
import random

import pytest

from leadtui.core.calibrate import (
    BLANK,
    CalibrationError,
    History,
    calibrate,
    outcomes_from,
    plan,
)


def _history(count: int = 3000, seed: int = 1) -> History:
    """Leads whose conversion depends on source and visits, plus noise and placeholders."""
    rng = random.Random(seed)
    sources = {"Referral": 1.6, "Google": 0.2, "Direct": 0.0, "Olark Chat": -1.0}
    rows, outcomes = [], []
    for number in range(count):
        source = rng.choice(list(sources))
        visits = rng.choice([0, 1, 2, 3, 5, 8, 12, 20])
        specialization = rng.choice(["Select", "Select", "Finance", "IT", "", "Operations"])
        log_odds = -1.2 + sources[source] + 0.12 * visits
        converted = rng.random() < 1 / (1 + math.exp(-log_odds))
        rows.append(
            {
                "Prospect ID": f"p-{number:05d}",
                "Lead Number": str(660_000 + number * 7),
                "Lead Source": source,
                "TotalVisits": str(visits),
                "Specialization": specialization,
                "City": rng.choice(["Mumbai", "Pune", "Select", "Other"]),
                "Converted": "1" if converted else "0",
            }
        )
        outcomes.append(converted)
    columns = [c for c in rows[0] if c != "Converted"]
    return History(columns, rows, outcomes)


def test_calibration_finds_the_known_signal() -> None:
    report = calibrate(_history())
    assert report.auc > 0.70
    assert report.auc_random < 0.56
    assert report.auc - report.auc_random > 0.15  # by a wide margin
    assert abs(report.auc - report.auc_unrounded) < 0.01  # whole points cost nothing
    assert abs(report.auc - report.auc_plain) < 0.03  # nor do bands, against a plain model
    assert report.suspicious == {}
    points = {weighted.feature.label: weighted.points for weighted in report.table}
    assert points["Lead Source: Referral"] > points["Lead Source: Direct"] + 10
    assert points["Lead Source: Olark Chat"] < points["Lead Source: Direct"]
    visits = [w for w in report.table if w.feature.column == "TotalVisits"]
    top = max(visits, key=lambda w: w.feature.low or -1)
    bottom = min(visits, key=lambda w: w.feature.low if w.feature.low is not None else -1)
    assert top.points > bottom.points
    assert report.deciles[0] > report.deciles[-1]
    assert report.top_decile_lift > 1.5
    assert "Prospect ID" in report.skipped
    assert report.skipped["Lead Number"].startswith("a different whole number")
    assert report.trained_on + report.tested_on == 3000


def test_placeholders_are_their_own_level() -> None:
    features, _ = plan(_history(400))
    levels = {f.level for f in features if f.column == "Specialization"}
    assert BLANK in levels and "Select" not in levels


def test_outcome_column_must_exist_and_be_binary() -> None:
    rows = [{"Source": "Google", "Converted": "1"}, {"Source": "Direct", "Converted": "maybe"}]
    with pytest.raises(CalibrationError, match="history.csv has no column 'Won'"):
        outcomes_from(rows, "Won", "history.csv")
    with pytest.raises(CalibrationError, match="history.csv, line 3: Converted is 'maybe'"):
        outcomes_from(rows, "Converted", "history.csv")
    same = [{"Converted": "yes"}, {"Converted": "Yes"}]
    with pytest.raises(CalibrationError, match="every lead has the same Converted"):
        outcomes_from(same, "Converted", "history.csv")


def test_too_little_history_is_refused() -> None:
    history = _history(30)
    with pytest.raises(CalibrationError, match="only 30 closed leads"):
        calibrate(history)


def test_a_column_filled_in_after_the_outcome_is_flagged() -> None:
    history = _history(2000)
    rng = random.Random(5)
    for row, won in zip(history.rows, history.outcomes, strict=True):
        # what sales types once the deal is decided: nearly the outcome itself
        row["Tags"] = ("Closed" if won else "Lost") if rng.random() < 0.95 else "Ringing"
    history.columns.append("Tags")
    report = calibrate(history)
    assert set(report.suspicious) == {"Tags"}
    assert report.suspicious["Tags"] > 0.9
