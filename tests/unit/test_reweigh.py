"""Re-weighing the agreement's rules from outcomes, and applying the proposal."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from leadtui.cli import main
from leadtui.core import agreement as agreement_file
from leadtui.core.agreement import Agreement
from leadtui.core.calibrate import CalibrationError
from leadtui.core.reweigh import reweigh, rules_in_order
from leadtui.core.scoring import Factor, Group, Score


def _closed(terms: Agreement, count: int = 1500, seed: int = 3) -> list[tuple[Score, bool]]:
    """Leads whose wins depend on a demo request and seniority, never on HQ location."""
    rng = random.Random(seed)
    rules = rules_in_order(terms)
    position = {rule.label: index for index, (_, _, rule) in enumerate(rules)}
    closed = []
    for _ in range(count):
        has = {
            "VP or C-level": rng.random() < 0.3,
            "HQ in North America or the EU": rng.random() < 0.6,
            "requested a demo": rng.random() < 0.4,
            "visited the pricing page": rng.random() < 0.5,
        }
        log_odds = -1.5 + 2.0 * has["requested a demo"] + 1.0 * has["VP or C-level"]
        won = rng.random() < 1 / (1 + math.exp(-log_odds))
        factors = tuple(
            Factor(label, Group.FIT, rules[position[label]][2].points, rule=position[label])
            for label, present in has.items()
            if present
        )
        closed.append((Score(factors), won))
    return closed


def test_points_follow_what_predicted_wins(terms: Agreement) -> None:
    text = agreement_file.default_text()
    proposal = reweigh(terms, text, _closed(terms))
    proposed = agreement_file.parse(proposal.text, "proposal")
    demo = proposed.engagement[0]
    assert demo.label == "requested a demo"
    hq = next(rule for rule in proposed.fit if rule.label.startswith("HQ"))
    vp = next(rule for rule in proposed.fit if rule.label == "VP or C-level")
    assert demo.points > vp.points > hq.points
    assert demo.cap >= demo.points
    assert proposal.auc_proposed > 0.65
    # Rules no closed lead had keep their points.
    assert proposed.negative == terms.negative
    # Only points and cap lines changed: comments and layout survive.
    changed = [
        (old, new)
        for old, new in zip(text.splitlines(), proposal.text.splitlines(), strict=True)
        if old != new
    ]
    assert changed and all(old.split("=")[0] == new.split("=")[0] for old, new in changed)
    assert {old.split("=")[0].strip() for old, _ in changed} <= {"points", "cap"}
    diff = proposal.diff(text, "agreement.toml", "agreement.proposed.toml")
    assert "-points = 30" in diff and f"+points = {demo.points}" in diff


def test_too_few_closed_leads_is_refused(terms: Agreement) -> None:
    with pytest.raises(CalibrationError, match="only 10 won or lost leads"):
        reweigh(terms, agreement_file.default_text(), _closed(terms, count=10))


def test_apply_checks_the_file_and_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    current = tmp_path / "agreement.toml"
    current.write_text(agreement_file.default_text())
    monkeypatch.setenv("LEADTUI_AGREEMENT", str(current))
    broken = tmp_path / "broken.toml"
    broken.write_text("fit_hurdle = 'x'\n")
    assert main(["agreement", "apply", str(broken)]) == 1
    assert "broken.toml, line 1: fit_hurdle" in capsys.readouterr().err
    assert current.read_text() == agreement_file.default_text()

    proposal = tmp_path / "agreement.proposed.toml"
    proposal.write_text(
        agreement_file.default_text().replace("mql_threshold = 60", "mql_threshold = 70")
    )
    assert main(["agreement", "apply", str(proposal)]) == 0
    out = capsys.readouterr().out
    assert agreement_file.load(current).mql_threshold == 70
    kept = [path for path in tmp_path.glob("agreement.2*.toml")]
    assert len(kept) == 1 and agreement_file.load(kept[0]).mql_threshold == 60
    assert f"kept the previous agreement as {kept[0]}" in out
    assert main(["agreement", "show"]) == 0
    assert "mql_threshold = 70" in capsys.readouterr().out


def test_calibrate_propose_writes_next_to_the_agreement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from tests.unit.test_demo import REPO

    current = tmp_path / "agreement.toml"
    current.write_text(agreement_file.default_text())
    monkeypatch.setenv("LEADTUI_AGREEMENT", str(current))
    shutil.copyfile(REPO / "demo.db", tmp_path / "demo.db")
    code = main(["--db", str(tmp_path / "demo.db"), "calibrate", "--propose"])
    out = capsys.readouterr().out
    assert code == 0
    proposed = tmp_path / "agreement.proposed.toml"
    assert agreement_file.load(proposed).fit_hurdle == 25  # a valid agreement
    assert out.startswith("re-weighed 21 rules on ")
    assert f"+++ {proposed}" in out
    assert out.rstrip().endswith(f"`leadtui agreement apply {proposed}`")
    assert current.read_text() == agreement_file.default_text()  # nothing applied yet
