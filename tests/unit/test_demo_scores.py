"""The demo scores its leads quickly, as plain rows: the very factors core.scoring gives
the same leads, today and at each moment of their activity."""

from __future__ import annotations

import random
from datetime import timedelta

from leadtui.core.agreement import Agreement
from leadtui.core.models import Lead
from leadtui.core.scoring import score
from leadtui.demo import DEMO_NOW
from leadtui.demo.people import draw_lead
from leadtui.demo.scores import DemoScores
from leadtui.store.rows import factor_values


def test_demo_scores_are_core_scoring_s_factors(terms: Agreement) -> None:
    rng, scores = random.Random(3), DemoScores(terms)
    compared = 0
    for lead_id in range(1, 600):
        drawn = draw_lead(rng, lead_id, DEMO_NOW)
        lead = Lead.model_validate(drawn.lead._asdict() | {"custom": {}})
        moments = [DEMO_NOW, *(activity.at for activity in drawn.activities)]
        for at in moments + [DEMO_NOW - timedelta(days=30)]:
            expected = score(lead, drawn.activities, terms, at)
            fit_rows, fit = scores.fit(drawn.lead)
            seen = scores.seen(drawn.activities)
            engaged_rows, engagement = scores.engagement(lead_id, seen, at)
            assert sorted(fit_rows + engaged_rows) == sorted(
                factor_values(lead_id, factor) for factor in expected.factors
            )
            assert (fit, fit + engagement) == (expected.fit, expected.total)
            compared += len(expected.factors)
    assert compared > 5_000
