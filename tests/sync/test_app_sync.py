"""The app syncing as a rep works: what they log reaches the server on its own, the
status line says how sync stands, and a change the server refused is explained."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from leadtui.core.agreement import Agreement
from leadtui.core.clock import FixedClock
from leadtui.core.models import NOTE_MAX
from leadtui.demo import DEMO_NOW
from leadtui.store import Store
from leadtui.sync import TeamServer, sync_once
from leadtui.tui.app import LeadApp, make_app
from leadtui.tui.widgets.sync_status import SyncStatus
from tests import on_disk
from tests.sync.servers import Running, client, rep_file, round_with
from tests.sync.test_sizes import calls_with_notes
from tests.tui.conftest import notes, queue_of, settle


def app_for(server: Running, store: Store, terms: Agreement, rep: str) -> LeadApp:
    return make_app(store, terms, FixedClock(DEMO_NOW), rep=rep, team=lambda: client(server, rep))


def status(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one(SyncStatus).render())


async def synced(pilot: Pilot[None]) -> None:
    """Let the round that is due run, and its answer land."""
    await pilot.pause(1.3)  # past the short wait after a change
    await settle(pilot)


async def test_a_logged_call_reaches_the_server_without_a_key(
    server: Running, tmp_path: Path, terms: Agreement
) -> None:
    with rep_file(tmp_path, "dana") as dana:
        round_with(server, dana, "dana")
        async with app_for(server, dana, terms, "dana").run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert "synced" in status(pilot)
            lead = queue_of(pilot).lines[0].row
            await pilot.press("l", "n")  # a call, no answer
            await synced(pilot)
            assert dana.waiting_to_sync() == 0
            uid = on_disk.value(dana, "SELECT uid FROM leads WHERE id = ?", (lead.id,))
            on_server = server.team.lead(uid)
            assert on_server is not None and on_server.calls == lead.calls + 1


async def test_offline_is_said_and_the_call_waits(
    server: Running, tmp_path: Path, terms: Agreement
) -> None:
    with rep_file(tmp_path, "dana") as dana:
        round_with(server, dana, "dana")
        server.stop()
        async with app_for(server, dana, terms, "dana").run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("l", "n")
            await synced(pilot)
            assert "offline" in status(pilot)
            assert any("cannot be reached" in note for note in notes(pilot))
            assert dana.waiting_to_sync() == 1  # kept for the next round


async def test_a_refused_token_is_said_as_such_not_as_offline(
    server: Running, tmp_path: Path, terms: Agreement
) -> None:
    with rep_file(tmp_path, "dana") as dana:
        round_with(server, dana, "dana")
        refused = make_app(
            dana, terms, FixedClock(DEMO_NOW), rep="dana", team=lambda: TeamServer(server.url, "x")
        )
        async with refused.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("l", "n")
            await synced(pilot)
            assert "token refused" in status(pilot) and "offline" not in status(pilot)
            assert any("refused the token" in note for note in notes(pilot))
            assert dana.waiting_to_sync() == 1  # kept for when the token is put right


async def test_a_claim_the_server_refused_is_explained(
    server: Running, tmp_path: Path, terms: Agreement
) -> None:
    with rep_file(tmp_path, "dana") as dana, rep_file(tmp_path, "marcus") as marcus:
        with client(server, "dana") as to_dana, client(server, "marcus") as to_marcus:
            sync_once(dana, to_dana, DEMO_NOW)
            sync_once(marcus, to_marcus, DEMO_NOW)
        async with app_for(server, dana, terms, "dana").run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("2")  # the unassigned leads
            await settle(pilot)
            lead = queue_of(pilot).lines[0].row
            uid = on_disk.value(dana, "SELECT uid FROM leads WHERE id = ?", (lead.id,))
            taken = marcus.lead_by_uid(uid)
            assert taken is not None and taken.id is not None
            marcus.claim(taken.id, "marcus", at=DEMO_NOW, expected_version=taken.version)
            round_with(server, marcus, "marcus")  # marcus got there first
            await pilot.press("c")
            await synced(pilot)
            assert any("did not take a change" in note for note in notes(pilot))
            assert "conflict" in status(pilot)
            assert dana.lead(lead.id).owner == "marcus"  # the server's word came down


async def test_a_batch_of_long_notes_goes_out_from_the_app_too(
    server: Running, tmp_path: Path, terms: Agreement
) -> None:
    with rep_file(tmp_path, "dana") as dana:
        round_with(server, dana, "dana")
        _, uid = calls_with_notes(dana, 299, "n" * (NOTE_MAX - 100))  # about 1.2 MB
        async with app_for(server, dana, terms, "dana").run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert "synced" in status(pilot) and dana.waiting_to_sync() == 0
    assert server.team.lead(uid).calls == 299  # type: ignore[union-attr]
