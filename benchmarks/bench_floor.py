"""A sales floor against the team server on PostgreSQL: reps claiming leads, logging
attempts and pulling the feed all at once for a fixed time, while marketing sends
new leads; then a check that every acknowledged event is there exactly once, that no
lead has two owners, and that the feed holds every event once, in order, no gaps.

    python benchmarks/bench_floor.py [--reps 50] [--seconds 20] [--pool 20] [--workers 2]

Bounded and local: a throw-away PostgreSQL cluster (initdb and pg_ctl in a
temporary folder, removed after), the server as its own process (`python -m leadtui
serve --database ...`) on 127.0.0.1, the reps as threads of this one. The baseline,
measured in the same run on the same cluster: as many connections, each committing
one-row INSERTs into a bare table, for the same time.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
import psycopg
from common import ROOT, Result, show

from leadtui.core import agreement
from leadtui.core.models import Rep, Role
from leadtui.server import tokens as tokens_for
from leadtui.server.on_postgres import PostgresTeam
from leadtui.server.pg_copy import copy_file
from leadtui.store import Store
from tests.postgres import Cluster, free_port, start_cluster


@dataclass
class Tally:
    """What the floor did, from the clients' side."""

    took: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    accepted: list[str] = field(default_factory=list)
    refused: int = 0
    failed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, kind: str, call: httpx.Client, method: str, url: str, **kw: object) -> dict:
        start = time.perf_counter()
        try:
            answer = call.request(method, url, **kw)  # type: ignore[arg-type]
        except httpx.HTTPError:
            with self.lock:
                self.failed += 1
            return {}
        with self.lock:
            self.took[kind].append(time.perf_counter() - start)
            if answer.status_code != 200:
                self.failed += 1
                return {}
        return answer.json()  # type: ignore[no-any-return]


def rep_at_work(url: str, rep: str, token: str, until: float, tally: Tally, seed: int) -> None:
    """One rep: pull what changed, claim a free MQL with a first call, or call and
    email the leads already theirs; the way the app does it, in pushes of events."""
    pick = random.Random(seed)
    free: set[str] = set()
    mine: list[str] = []
    cursor = 0
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as call:
        while time.monotonic() < until:
            feed = tally.timed("pull", call, "GET", "/changes", params={"since": cursor})
            for event in feed.get("events", []):
                if event["kind"] == "became_mql":
                    free.add(event["lead"])
                elif event["kind"] == "claimed":
                    free.discard(event["lead"])
            cursor = feed.get("next", cursor)
            now = datetime.now(UTC).isoformat()
            if mine and (not free or pick.random() < 0.6):
                lead = pick.choice(mine)
                events = [
                    _event(lead, "attempt", rep, now, {"channel": "call", "outcome": "no_answer"})
                ]
            elif free:
                lead = pick.choice(sorted(free))
                free.discard(lead)
                events = [
                    _event(lead, "claimed", rep, now, {"rep": rep}),
                    _event(lead, "attempt", rep, now, {"channel": "call", "outcome": "voicemail"}),
                ]
            else:
                time.sleep(0.05)
                continue
            pushed = tally.timed("push", call, "POST", "/events", json={"events": events})
            with tally.lock:
                tally.accepted += pushed.get("accepted", [])
                tally.refused += len(pushed.get("refused", []))
            if events[0]["kind"] == "claimed" and events[0]["id"] in pushed.get("accepted", []):
                mine.append(lead)


def marketing(url: str, token: str, until: float, tally: Tally) -> None:
    """Marketing's feed: ten new MQLs every quarter of a second."""
    sent = 0
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as call:
        while time.monotonic() < until:
            now = datetime.now(UTC).isoformat()
            leads = [
                {
                    "uid": f"floor-{sent + n}",
                    "name": f"Floor Lead {sent + n}",
                    "source": "web_form",
                    "created_at": now,
                    "score": 75,
                    "fit": 40,
                    "engagement": 35,
                    "mql_at": now,
                }
                for n in range(10)
            ]
            tally.timed("hand off", call, "POST", "/leads", json={"leads": leads})
            sent += 10
            time.sleep(0.25)


def _event(lead: str, kind: str, rep: str, at: str, payload: dict) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "lead": lead,
        "kind": kind,
        "actor": rep,
        "at": at,
        "payload": payload,
    }


def bare_inserts(cluster: Cluster, name: str, connections: int, seconds: float) -> float:
    """Rows a second: `connections` clients committing one-row INSERTs."""
    url = cluster.database_url(name)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE bare (id text PRIMARY KEY, payload json NOT NULL)")
    counts = [0] * connections
    until = time.monotonic() + seconds

    def insert(slot: int) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            while time.monotonic() < until:
                conn.execute(
                    "INSERT INTO bare VALUES (%s, %s::json)",
                    (str(uuid.uuid4()), '{"channel": "call", "outcome": "no_answer"}'),
                )
                counts[slot] += 1

    threads = [threading.Thread(target=insert, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds


def check(url: str, accepted: list[str], start: int) -> list[str]:
    """What must hold after the run; each problem found, in words."""
    problems = []
    with psycopg.connect(url) as conn:
        if len(accepted) != len(set(accepted)):
            problems.append("an event was acknowledged twice")
        present = conn.execute(
            "SELECT count(*) FROM events WHERE id = ANY(%s)", (accepted,)
        ).fetchone()[0]
        if present != len(set(accepted)):
            problems.append(f"{len(set(accepted)) - present} acknowledged events are missing")
        doubled = conn.execute(
            "SELECT count(*) FROM (SELECT lead_id FROM events WHERE kind = 'claimed' "
            "AND position > %s GROUP BY lead_id HAVING count(*) > 1) AS twice",
            (start,),
        ).fetchone()[0]
        if doubled:
            problems.append(f"{doubled} leads were claimed twice")
        strays = conn.execute(
            "SELECT count(*) FROM leads l JOIN events e ON e.lead_id = l.id "
            "WHERE e.kind = 'claimed' AND e.position > %s AND l.owner IS DISTINCT FROM e.actor",
            (start,),
        ).fetchone()[0]
        if strays:
            problems.append(f"{strays} leads are owned by someone other than their claimant")
        count, last = conn.execute(
            "SELECT count(*), coalesce(max(position), %s) FROM events WHERE position > %s",
            (start, start),
        ).fetchone()
        unplaced = conn.execute("SELECT count(*) FROM events WHERE position IS NULL").fetchone()[0]
        if count != last - start or unplaced:
            problems.append("the feed has gaps or events without a place in it")
    return problems


def follow(url: str, token: str, start: int) -> list[str]:
    """The feed from `start` to its end, as a team lead's file reads it."""
    ids: list[str] = []
    cursor, more = start, True
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as call:
        while more:
            feed = call.get("/changes", params={"since": cursor}).json()
            ids += [event["id"] for event in feed["events"]]
            cursor, more = feed["next"], feed["more"]
    return ids


def run(reps: int = 50, seconds: float = 20.0, pool: int = 20, workers: int = 2) -> list[Result]:
    cluster = start_cluster()
    server = None
    try:
        with psycopg.connect(cluster.url, autocommit=True) as admin:
            admin.execute("CREATE DATABASE floor")
            admin.execute("CREATE DATABASE baseline")
        url = cluster.database_url("floor")
        team = PostgresTeam(url, agreement.load(), pool_size=2)
        shutil.copyfile(ROOT / "demo.db", cluster.folder / "demo.db")  # opened, a file changes
        with Store(cluster.folder / "demo.db") as demo:
            tokens_for.issue(demo, "morgan")  # a team server's file, as copy-from expects
            copy_file(demo, team)
        names = [f"rep{n:02d}" for n in range(reps)]
        tokens = {name: team.add_rep(Rep(id=name, name=name.title())) for name in names}
        lead_token = team.add_rep(Rep(id="floorlead", name="Floor Lead", role=Role.LEAD))
        with team.pool.connection() as conn:
            start = conn.execute("SELECT position FROM feed_head").fetchone()[0]
        team.close()
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "leadtui",
                "serve",
                "--database",
                url,
                "--port",
                str(port),
                "--pool",
                str(pool),
                "--workers",
                str(workers),
            ],
            stderr=subprocess.PIPE,
            text=True,
        )
        assert server.stderr is not None and "team server on" in server.stderr.readline()
        base = f"http://127.0.0.1:{port}"
        _wait_for(base)
        tally = Tally()
        until = time.monotonic() + seconds
        floor = [
            threading.Thread(target=rep_at_work, args=(base, name, tokens[name], until, tally, n))
            for n, name in enumerate(names)
        ] + [threading.Thread(target=marketing, args=(base, lead_token, until, tally))]
        began = time.perf_counter()
        for person in floor:
            person.start()
        for person in floor:
            person.join()
        elapsed = time.perf_counter() - began
        problems = check(url, tally.accepted, start)
        followed = follow(base, lead_token, start)
        if len(followed) != len(set(followed)):
            problems.append("the feed gave an event twice")
        bare = bare_inserts(cluster, "baseline", reps, min(seconds, 10.0))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        cluster.stop()
    events = len(tally.accepted) / elapsed
    requests = sum(len(times) for times in tally.took.values())
    print(
        f"{reps} reps and marketing for {elapsed:.0f} s: {requests:,} requests "
        f"({requests / elapsed:,.0f}/s), {len(tally.accepted):,} events taken "
        f"({events:,.0f}/s), {tally.refused:,} refused (claims lost to another rep), "
        f"{tally.failed} failed; feed followed: {len(followed):,} events"
    )
    for kind, times in sorted(tally.took.items()):
        ordered = sorted(times)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        print(
            f"  {kind:9} {len(times):6,} requests  p50 {statistics.median(times) * 1000:7.1f} ms"
            f"  p99 {p99 * 1000:7.1f} ms"
        )
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    return [
        Result(
            f"floor of {reps} reps on PostgreSQL ({workers} server processes): events taken",
            f"{events:,.0f} events/s vs bare one-row INSERTs {bare:,.0f}/s",
            bare / max(events, 1e-9),
            "every acknowledged event once, one owner a lead, a feed without gaps",
            not problems and tally.failed == 0,
        )
    ]


def _wait_for(base: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{base}/openapi.json")
            return
        except httpx.ConnectError:
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start") from None
            time.sleep(0.1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--pool", type=int, default=20, help="connections per server process")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    args = parser.parse_args()
    show(run(args.reps, args.seconds, args.pool, args.workers))
