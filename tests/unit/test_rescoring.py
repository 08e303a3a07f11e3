"""Set-based rescoring in SQL gives exactly the scores and factors core.scoring gives."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from leadtui.core.agreement import Agreement
from leadtui.core.models import Activity, EventKind, Stage
from leadtui.core.projection import fold
from leadtui.core.readiness import readiness
from leadtui.core.scoring import score
from leadtui.demo import DEMO_NOW
from leadtui.demo.generator import generate
from leadtui.store import Store
from tests import on_disk
from tests.conftest import make_lead


def _stored(store: Store) -> tuple[dict[int, tuple[int, int, int]], list[tuple[object, ...]]]:
    scores = {
        row[0]: row[1:]
        for row in on_disk.rows(store, "SELECT id, score, fit, engagement FROM leads")
    }
    factors = on_disk.rows(
        store,
        "SELECT lead_id, position, factor_group, side, label, points, evidence, occurrences, "
        "earliest, latest FROM score_factors ORDER BY lead_id, position",
    )
    return scores, factors


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rescore") / "demo.db"
    generate(path, leads=1500, seed=21)
    return path


def test_sql_agrees_with_python_on_every_lead_and_factor(
    demo_file: Path, terms: Agreement, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(demo_file.read_bytes())
    with Store(copy) as store:
        before = _stored(store)  # written by the generator with core.scoring
        assert len(before[1]) > 5000
        on_disk.run(store, "UPDATE leads SET score = -1, fit = -1, engagement = -1")
        on_disk.run(store, "UPDATE score_factors SET points = 999")
        result = store.rescore(terms, DEMO_NOW)
        assert result.leads == 1500
        assert _stored(store) == before


def test_crossing_leads_become_mqls_exactly_once(
    demo_file: Path, terms: Agreement, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(demo_file.read_bytes())
    with Store(copy) as store:
        expected = []
        marketing_holds = "SELECT id FROM leads WHERE stage IN ('nurturing', 'returned_to_nurture')"
        for (lead_id,) in on_disk.rows(store, marketing_holds):
            lead = store.lead(lead_id)
            seen = store.activities(lead_id)
            if lead.stage is Stage.RETURNED_TO_NURTURE:
                returned = lead.stage_changed_at
                assert returned is not None
                seen = [a for a in seen if a.at > returned]  # only what is new since
            result = score(lead, seen, terms, DEMO_NOW)
            if readiness(lead, result, terms).is_mql:
                expected.append(lead_id)
        assert expected, "the demo should leave a few leads about to be handed over"

        first = store.rescore(terms, DEMO_NOW)
        assert first.new_mqls == sorted(expected)
        for lead_id in expected:
            lead = store.lead(lead_id)
            assert (lead.stage, lead.mql_at) == (Stage.MQL, DEMO_NOW)
            events = store.events(lead_id)
            assert events[-1].kind is EventKind.BECAME_MQL
            assert events[-1].payload["score"] == lead.score
            latest = max(a.at for a in store.activities(lead_id) if a.at <= DEMO_NOW)
            assert events[-1].payload["qualified_at"] == int(latest.timestamp())
            assert lead.projection == fold(events)  # the SQL hand-over is apply() exactly
        again = store.rescore(terms, DEMO_NOW + timedelta(minutes=5))
        assert again.new_mqls == []
        summaries = [e for e in store.events() if e.kind is EventKind.RESCORED]
        assert [e.payload["became_mql"] for e in summaries] == [len(expected), 0]


def test_a_returned_lead_needs_new_engagement_to_come_back(store: Store, terms: Agreement) -> None:
    lead = store.add_lead(make_lead())
    lead_id = lead.id or 0
    store.bulk_insert(
        "activities",
        ("lead_id", "kind", "at", "detail"),
        [(lead_id, "demo_request", int((DEMO_NOW - timedelta(days=2)).timestamp()), "")],
    )
    assert store.rescore(terms, DEMO_NOW).new_mqls == [lead_id]
    store.return_to_nurture(lead_id, "dana", at=DEMO_NOW, reason="not_now")
    later = DEMO_NOW + timedelta(hours=2)
    assert store.rescore(terms, later).new_mqls == []

    def seen(kind: str, minutes_before: int) -> None:
        moment = int((later - timedelta(minutes=minutes_before)).timestamp())
        store.bulk_insert(
            "activities", ("lead_id", "kind", "at", "detail"), [(lead_id, kind, moment, "")]
        )

    seen("pricing_page", 30)  # fit 43 + 8 fresh: not enough on its own
    assert store.rescore(terms, later, lead_ids=[lead_id]).new_mqls == []
    assert store.lead(lead_id).score >= 60  # though the old demo request still counts
    seen("roi_calculator", 20)  # + 15 fresh: 66
    assert store.rescore(terms, later, lead_ids=[lead_id]).new_mqls == [lead_id]


def test_incremental_rescoring_touches_only_the_named_leads(store: Store, terms: Agreement) -> None:
    ids = [store.add_lead(make_lead(email=f"p{n}@acme.com")).id or 0 for n in range(3)]
    store.rescore(terms, DEMO_NOW)
    seen = [(ids[0], "pricing_page"), (ids[1], "pricing_page")]
    store.bulk_insert(
        "activities",
        ("lead_id", "kind", "at", "detail"),
        [(lead_id, kind, int(DEMO_NOW.timestamp()) - 60, "") for lead_id, kind in seen],
    )
    store.rescore(terms, DEMO_NOW, lead_ids=[ids[0]])
    engagement = [store.lead(lead_id).engagement for lead_id in ids]
    assert engagement == [8, 0, 0]  # lead 2 waits for its own (or a full) run
    activity = Activity(lead_id=ids[0], kind="pricing_page", at=DEMO_NOW - timedelta(minutes=1))
    python = score(store.lead(ids[0]), [activity], terms, DEMO_NOW)
    assert store.factors(ids[0]) == list(python.factors)


def test_a_failed_rescore_changes_nothing(store: Store, terms: Agreement) -> None:
    lead_id = store.add_lead(make_lead()).id or 0
    store.rescore(terms, DEMO_NOW)
    before = (store.lead(lead_id), store.factors(lead_id), store.events())
    on_disk.run(
        store,
        "CREATE TRIGGER refuse BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'no room'); END",
    )
    store.bulk_insert(
        "activities",
        ("lead_id", "kind", "at", "detail"),
        [(lead_id, "demo_request", int(DEMO_NOW.timestamp()), "")],
    )
    with pytest.raises(Exception, match="no room"):
        store.rescore(terms, DEMO_NOW)
    assert (store.lead(lead_id), store.factors(lead_id), store.events()) == before


def test_a_decay_run_equals_a_full_one(demo_file: Path, terms: Agreement, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(demo_file.read_bytes())
    later = DEMO_NOW + timedelta(days=3)
    with Store(copy) as store:
        store.rescore(terms, DEMO_NOW)
        fresh = _stored(store)
        store.rescore(terms, later)  # fit known to be current: only engagement decays
        assert [
            e.payload["decay_only"] for e in store.events() if e.kind is EventKind.RESCORED
        ] == [
            False,
            True,
        ]
        decayed = _stored(store)
        on_disk.run(store, "DELETE FROM meta WHERE key = 'scored_with'")
        store.rescore(terms, later)  # everything from scratch
        assert _stored(store) == decayed
        faded = [i for i, (_, _, engaged) in decayed[0].items() if engaged < fresh[0][i][2]]
        assert len(faded) > 100  # three days did lower engagement


def test_a_changed_lead_or_agreement_makes_the_next_run_full(
    store: Store, terms: Agreement
) -> None:
    lead_id = store.add_lead(make_lead(title="Analyst")).id or 0
    store.rescore(terms, DEMO_NOW)
    on_disk.run(store, "UPDATE leads SET title = 'VP of IT' WHERE id = ?", (lead_id,))
    store.rescore(terms, DEMO_NOW)
    assert store.lead(lead_id).fit == 43  # the new title counted: the run was full
    store.rescore(terms, DEMO_NOW)
    stricter = terms.model_copy(update={"fit_hurdle": 30})
    store.rescore(stricter, DEMO_NOW)
    modes = [e.payload["decay_only"] for e in store.events() if e.kind is EventKind.RESCORED]
    assert modes == [False, False, True, False]
