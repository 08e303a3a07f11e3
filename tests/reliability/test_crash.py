"""Killing the program mid-write loses no acknowledged attempt and leaves no half change."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from leadtui.core.projection import fold
from leadtui.store import Store
from tests.conftest import NOW, make_lead

LOGGER = Path(__file__).with_name("logger.py")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("synchronous", ["normal", "full"])
def test_sigkill_while_logging_loses_nothing_acknowledged(tmp_path: Path, synchronous: str) -> None:
    path = tmp_path / "leads.db"
    with Store(path) as store:
        from leadtui.core.models import Rep

        store.save_rep(Rep(id="dana", name="Dana"))
        lead_id = store.add_lead(make_lead()).id or 0
        store.became_mql(lead_id, at=NOW, score=70, fit=30, engagement=40)
        store.claim(lead_id, "dana", at=NOW, expected_version=1)
    rng = random.Random(4)
    acknowledged: list[str] = []
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    for _ in range(8):
        process = subprocess.Popen(
            [sys.executable, str(LOGGER), str(path), str(lead_id), synchronous],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert process.stdout is not None
        first = process.stdout.readline()  # it is up and writing
        assert first.strip()
        time.sleep(rng.uniform(0.05, 0.4))
        process.send_signal(signal.SIGKILL)
        rest, _ = process.communicate()
        acknowledged += [first.strip(), *[line for line in rest.splitlines() if line.strip()]]
    assert len(acknowledged) > 8

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with Store(path) as store:
        events = store.events(lead_id)
        stored = {event.id for event in events}
        assert set(acknowledged) <= stored  # every acknowledged attempt is there
        lead = store.lead(lead_id)
        # and no half change: the projection is exactly the fold of what the log holds
        assert lead.projection == fold(events).model_copy(
            update={"score": 70, "fit": 30, "engagement": 40}
        )
        assert lead.emails == len(events) - 2
