"""Sync under faults, against the real server: an answer that comes after the client
gave up (the server had committed), a connection dropped after the server
committed, a server stopped between batches and started again, 500s. After each:
nothing lost, nothing doubled, both sides agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadtui.core.agreement import Agreement
from leadtui.core.models import AttemptOutcome, Channel
from leadtui.demo import DEMO_NOW
from leadtui.server.app import make_server
from leadtui.server.storage import TeamStore
from leadtui.store import Store
from leadtui.sync import Offline, sync_once
from tests import on_disk
from tests.sync.servers import (
    DroppingProxy,
    Fault,
    Flaky,
    Running,
    client,
    rep_file,
    round_with,
    serve_in_thread,
)

CALL, NO_ANSWER = Channel.CALL, AttemptOutcome.NO_ANSWER


def work_a_lead(store: Store, calls: int) -> int:
    """Claim dana's first unassigned MQL and log `calls` calls on it, as she would."""
    lead_id = on_disk.value(
        store, "SELECT id FROM leads WHERE stage = 'mql' AND owner IS NULL ORDER BY id LIMIT 1"
    )
    store.claim(lead_id, "dana", at=DEMO_NOW, expected_version=store.lead(lead_id).version)
    for _ in range(calls):
        store.log_attempt(lead_id, "dana", at=DEMO_NOW, channel=CALL, outcome=NO_ANSWER)
    return int(lead_id)


def both_sides_agree(local: Store, server: TeamStore, lead_id: int) -> list[str]:
    """The lead's event ids on each side are the same, each once; returns them."""
    uid = on_disk.value(local, "SELECT uid FROM leads WHERE id = ?", (lead_id,))
    remote = server.lead(uid)
    assert remote is not None
    here = [event.id for event in local.events(lead_id)]
    there = [event.id for event in server.events(uid)]
    assert len(here) == len(set(here)) and len(there) == len(set(there))
    assert set(here) == set(there)
    assert local.lead(lead_id).calls == remote.calls
    return here


def test_an_answer_that_comes_too_late_is_retried_without_doubling(
    flaky_server: tuple[Running, Flaky], tmp_path: Path
) -> None:
    server, flaky = flaky_server
    with rep_file(tmp_path, "dana") as dana:
        round_with(server, dana, "dana")
        lead_id = work_a_lead(dana, calls=3)
        flaky.on("/events", Fault(late=1.5))  # committed, then silent past the timeout
        with client(server, "dana", timeout=0.5, attempts=3) as impatient:
            done = sync_once(dana, impatient, DEMO_NOW)
        assert (done.pushed, done.already, done.waiting) == (0, 4, 0)  # the retry found them
        both_sides_agree(dana, server.team, lead_id)


def test_a_server_stopped_between_batches_and_started_again(
    flaky_server: tuple[Running, Flaky], tmp_path: Path, terms: Agreement
) -> None:
    server, flaky = flaky_server
    port = int(server.url.rsplit(":", 1)[1])
    with rep_file(tmp_path, "dana") as dana:
        round_with(server, dana, "dana")
        lead_id = work_a_lead(dana, calls=700)  # more than one batch of 500

        # The first batch lands; the server goes down as the second arrives.
        def stop() -> None:
            server.server.should_exit = True

        flaky.on("/events", Fault(), Fault(503, {"connection": "close"}, then=stop))
        with client(server, "dana", attempts=2, backoff=1.0) as remote, pytest.raises(Offline):
            sync_once(dana, remote, DEMO_NOW)
        server.thread.join(timeout=10)
        assert dana.waiting_to_sync() == 701 - 500
        url, running, thread = serve_in_thread(make_server(server.team), port)
        try:
            done = round_with(server, dana, "dana")
            assert (done.pushed, done.waiting) == (201, 0)
            assert len(both_sides_agree(dana, server.team, lead_id)) == 1 + 701
        finally:
            running.should_exit = True
            thread.join(timeout=10)


def test_server_errors_are_retried_and_a_persistent_one_loses_nothing(
    flaky_server: tuple[Running, Flaky], tmp_path: Path
) -> None:
    server, flaky = flaky_server
    with rep_file(tmp_path, "dana") as dana:
        round_with(server, dana, "dana")
        lead_id = work_a_lead(dana, calls=2)
        flaky.on("/events", Fault(500), Fault(500), Fault(500))
        with client(server, "dana", attempts=3) as remote, pytest.raises(Exception, match="500"):
            sync_once(dana, remote, DEMO_NOW)
        assert dana.waiting_to_sync() == 3  # nothing marked sent that was not
        done = round_with(server, dana, "dana")
        assert (done.pushed, done.waiting) == (3, 0)
        both_sides_agree(dana, server.team, lead_id)


def test_a_connection_dropped_after_the_server_committed(server: Running, tmp_path: Path) -> None:
    proxy = DroppingProxy(server.url).start()
    through = Running(
        proxy.url, server.team, server.tokens, server.server, server.thread, server.seed
    )
    try:
        with rep_file(tmp_path, "dana") as dana:
            round_with(through, dana, "dana")
            lead_id = work_a_lead(dana, calls=2)
            proxy.drop_next = True  # the push's answer never reaches dana
            done = round_with(through, dana, "dana", attempts=3)
            assert proxy.dropped == 1
            assert (done.pushed, done.already, done.waiting) == (0, 3, 0)
            both_sides_agree(dana, server.team, lead_id)
    finally:
        proxy.stop()
