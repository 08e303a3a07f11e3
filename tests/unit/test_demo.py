"""The demo: deterministic, consistent with its own event log, and true enough to teach."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from leadtui.core.models import Stage
from leadtui.core.projection import fold
from leadtui.demo import DEMO_NOW, demo_now
from leadtui.demo.generator import generate
from leadtui.store import SCHEMA_VERSION, Store
from tests import on_disk

REPO = Path(__file__).resolve().parents[2]
TABLES = ("leads", "activities", "score_factors", "events", "reps", "meta")


def _digests(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        digests = {}
        for table in TABLES:
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
            digest = hashlib.sha256()
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY {', '.join(columns)}"):
                digest.update(repr(row).encode())
            digests[table] = digest.hexdigest()
        return digests
    finally:
        conn.close()


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    generate(path)
    return path


def test_committed_demo_equals_a_fresh_generation(fresh: Path) -> None:
    committed = REPO / "demo.db"
    assert committed.exists(), "demo.db is missing: run `leadtui demo --out demo.db --force`"
    assert _digests(committed) == _digests(fresh), (
        "demo.db is stale: run `leadtui demo --out demo.db --force` and commit it"
    )
    with Store(fresh) as store:
        assert store.meta("schema_version") == str(SCHEMA_VERSION)
    conn = sqlite3.connect(f"file:{committed}?mode=ro", uri=True)
    version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    conn.close()
    assert version == str(SCHEMA_VERSION)


def test_same_seed_same_rows_other_seed_other_rows(tmp_path: Path) -> None:
    generate(tmp_path / "a.db", leads=300, seed=11)
    generate(tmp_path / "b.db", leads=300, seed=11)
    generate(tmp_path / "c.db", leads=300, seed=12)
    assert _digests(tmp_path / "a.db") == _digests(tmp_path / "b.db")
    assert _digests(tmp_path / "a.db")["leads"] != _digests(tmp_path / "c.db")["leads"]


def test_an_existing_file_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "taken.db").write_text("mine")
    with pytest.raises(FileExistsError):
        generate(tmp_path / "taken.db", leads=5)
    assert (tmp_path / "taken.db").read_text() == "mine"


def test_every_projection_is_the_fold_of_its_events(fresh: Path) -> None:
    with Store(fresh) as store:
        checked = 0
        for (lead_id,) in on_disk.rows(store, "SELECT DISTINCT lead_id FROM events"):
            lead = store.lead(lead_id)
            expected = fold(store.events(lead_id)).model_copy(
                update={"score": lead.score, "fit": lead.fit, "engagement": lead.engagement}
            )
            assert lead.projection == expected, lead_id
            checked += 1
        assert checked > 100


def test_the_demo_has_something_true_for_every_screen(fresh: Path) -> None:
    with Store(fresh) as store:
        assert demo_now(store) == DEMO_NOW
        assert 6 <= len(store.reps()) <= 10
        stages = dict(on_disk.rows(store, "SELECT stage, count(*) FROM leads GROUP BY stage"))
        for stage in Stage:
            assert stages.get(stage.value, 0) > 0, f"no {stage.value} leads in the demo"
        counts = store.counts("dana")
        assert counts.mine >= 8 and counts.unassigned >= 5

        def one(sql: str) -> int:
            return int(on_disk.value(store, sql))

        assert one("SELECT count(*) FROM leads WHERE phone = ''") > 50
        assert one("SELECT count(*) FROM leads WHERE email LIKE '%@gmail.com'") > 20
        assert one("SELECT count(DISTINCT title) FROM leads") > 60
        assert one("SELECT count(DISTINCT source) FROM leads") == 7
        assert one("SELECT count(*) FROM leads WHERE title LIKE '%Intern%'") > 10
        # Some reps were slow: first attempt more than a (wall-clock) day after the MQL.
        assert one("SELECT count(*) FROM leads WHERE first_touch_at - mql_at > 86400") > 5
        reasons = {
            row[0]
            for row in on_disk.rows(
                store,
                "SELECT json_extract(payload, '$.reason') FROM events "
                "WHERE kind IN ('returned_to_nurture', 'disqualified')",
            )
        }
        assert {"no_response", "not_now", "bad_data"} <= reasons
        # the score predicts: won leads scored higher at hand-off than returned ones
        won, returned = (
            on_disk.value(
                store,
                "SELECT avg(json_extract(e.payload, '$.score')) FROM events e "
                "JOIN leads l ON l.id = e.lead_id WHERE e.kind = 'became_mql' AND l.stage = ?",
                (stage,),
            )
            for stage in ("won", "returned_to_nurture")
        )
        assert won > returned
        # marketing's side of the SLA can be measured: each hand-off says when it qualified
        late = one(
            "SELECT count(*) FROM events WHERE kind = 'became_mql' "
            "AND (json_extract(payload, '$.qualified_at') IS NULL "
            "OR json_extract(payload, '$.qualified_at') > at)"
        )
        assert late == 0
