"""Push and pull through a team server on 127.0.0.1, against the same rows written
straight into SQLite in the same run.

    python benchmarks/bench_sync.py [--events 10000]

A rep's file logs N attempts; one sync round pushes them (batches of 500); the team
lead's file, up to date before, pulls them. Both are timed end to end
(HTTP, validation, the server's checks and writes, the client's writes). The
baseline inserts the same N event rows with one executemany into a bare table.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import tempfile
import threading
import time
from contextlib import closing
from datetime import timedelta
from pathlib import Path

from common import ROOT, Result, show

from leadtui.core import agreement
from leadtui.core.models import AttemptOutcome, Channel
from leadtui.demo import DEMO_NOW
from leadtui.server import tokens
from leadtui.server.app import make_server
from leadtui.server.on_file import FileTeam
from leadtui.store import Store
from leadtui.sync import TeamServer, sync_once


def _serve(store: Store) -> tuple[str, object, threading.Thread]:
    import socket

    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            make_server(FileTeam(store, agreement.load())), port=port, log_level="critical"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    return f"http://127.0.0.1:{port}", server, thread


def run(events: int = 10_000) -> list[Result]:
    folder = Path(tempfile.mkdtemp(prefix="leadtui-bench-sync-"))
    try:
        shutil.copyfile(ROOT / "demo.db", folder / "team.db")
        team = Store(folder / "team.db")
        keys = {rep: tokens.issue(team, rep) for rep in ("dana", "morgan")}
        url, server, thread = _serve(team)
        dana, morgan = Store(folder / "dana.db"), Store(folder / "morgan.db")
        with TeamServer(url, keys["dana"]) as to_dana, TeamServer(url, keys["morgan"]) as to_lead:
            sync_once(dana, to_dana, DEMO_NOW)
            sync_once(morgan, to_lead, DEMO_NOW)
            mine = _working(dana.path, "dana")
            for n in range(events):
                dana.log_attempt(
                    mine[n % len(mine)],
                    "dana",
                    at=DEMO_NOW + timedelta(seconds=n),
                    channel=Channel.EMAIL,
                    outcome=AttemptOutcome.SENT,
                )
            rows = [
                (e.id, e.lead, e.kind.value, e.actor, int(e.at.timestamp()), json.dumps(e.payload))
                for e in dana.unsynced(events)
            ]
            start = time.perf_counter()
            pushed = sync_once(dana, to_dana, DEMO_NOW)
            push = time.perf_counter() - start
            start = time.perf_counter()
            pulled = sync_once(morgan, to_lead, DEMO_NOW)
            pull = time.perf_counter() - start
        assert pushed.pushed == events, pushed
        bare = sqlite3.connect(folder / "bare.db", isolation_level=None)
        bare.execute("PRAGMA journal_mode = WAL")
        bare.execute("PRAGMA synchronous = NORMAL")
        bare.execute(
            "CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, lead TEXT, kind TEXT, "
            "actor TEXT, at INTEGER, payload TEXT)"
        )
        start = time.perf_counter()
        bare.execute("BEGIN")
        bare.executemany(
            "INSERT INTO events(id, lead, kind, actor, at, payload) VALUES (?, ?, ?, ?, ?, ?)", rows
        )
        bare.execute("COMMIT")
        floor = time.perf_counter() - start
        server.should_exit = True  # type: ignore[attr-defined]
        thread.join(timeout=10)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return [
        Result(
            f"push {events:,} events through the server",
            f"{events / push:9,.0f} events/s vs bare insert {events / floor:9,.0f}/s",
            push / floor,
            "a ratio to watch (no target set)",
            True,
        ),
        Result(
            f"pull {pulled.pulled:,} events into the team lead's file",
            f"{pulled.pulled / pull:9,.0f} events/s vs bare insert {events / floor:9,.0f}/s",
            pull / floor,
            "a ratio to watch (no target set)",
            True,
        ),
    ]


def _working(file: Path, rep: str) -> list[int]:
    """The rep's leads in work, read on a connection of the benchmark's own."""
    with closing(sqlite3.connect(file)) as conn:
        found = conn.execute(
            "SELECT id FROM leads WHERE owner = ? AND stage IN ('working', 'accepted')", (rep,)
        ).fetchall()
    return [lead_id for (lead_id,) in found]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    show(run(parser.parse_args().events))
