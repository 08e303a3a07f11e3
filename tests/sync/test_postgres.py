"""What only the PostgreSQL home of the team server does: a feed that skips nothing
when transactions commit out of order, migrations, a database that is down, moving
a team from its file, and `leadtui serve --database` end to end. (Everything else
runs against both homes in the other sync tests.)"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg
import pytest

from leadtui.cli import main
from leadtui.core.agreement import Agreement
from leadtui.core.models import Event, EventKind, Role
from leadtui.core.projection import apply
from leadtui.core.wire import HandOff, WireEvent
from leadtui.demo import DEMO_NOW
from leadtui.server import on_postgres as pg
from leadtui.server import pg_log, pg_schema
from leadtui.server.on_postgres import PostgresTeam
from leadtui.server.storage import Caller, Unavailable
from leadtui.store import Store
from tests import on_disk
from tests.postgres import Cluster, free_port
from tests.sync.conftest import fresh_database
from tests.sync.servers import event_id

MORGAN = Caller("morgan", Role.LEAD)


def head(team: PostgresTeam) -> int:
    with team.pool.connection() as conn:
        return pg_log.one(conn.execute("SELECT position FROM feed_head"))


def unassigned(team: PostgresTeam, count: int) -> list[str]:
    with team.pool.connection() as conn:
        rows = conn.execute(
            "SELECT uid FROM leads WHERE stage = 'mql' AND owner IS NULL ORDER BY id LIMIT %s",
            (count,),
        ).fetchall()
    return [row[0] for row in rows]


def test_a_change_that_commits_late_is_not_skipped_by_the_feed(on_postgres: PostgresTeam) -> None:
    team = on_postgres
    start = head(team)
    first, second = unassigned(team, 2)
    late = WireEvent(
        id=event_id("1"),
        lead=first,
        kind="reassigned",
        actor="morgan",
        at=DEMO_NOW,
        payload={"to": "dana"},
    )
    early = late.model_copy(update={"id": event_id("2"), "lead": second})
    with ThreadPoolExecutor(max_workers=1) as other, team.pool.connection() as slow:
        with slow.transaction():  # a push that has taken its event, not yet committed
            # as the PostgreSQL home takes a pushed event: the lead locked, then the log
            lead_id, current = pg._locked(slow, [first])[first]  # noqa: SLF001
            event = Event(
                id=late.id,
                lead_id=lead_id,
                kind=EventKind.REASSIGNED,
                actor="morgan",
                at=DEMO_NOW,
                payload={"to": "dana"},
            )
            seq = pg_log.write(slow, event, current, apply(current, event))
            assert seq is not None
            pg_log.publish(slow, [seq])
            pushing = other.submit(team.push, [early], MORGAN)  # starts later, on another lead
            time.sleep(0.5)
            assert not pushing.done()  # it waits to be placed after the open one
            meanwhile = team.changes(start, 500, None)
            assert meanwhile.events == [] and meanwhile.next == start
        assert pushing.result(timeout=10).accepted == [early.id]
    feed = team.changes(start, 500, None)
    assert [event.id for event in feed.events] == [late.id, early.id]
    assert feed.next == start + 2


def test_migrating_again_changes_nothing_and_a_newer_schema_is_refused(
    on_postgres: PostgresTeam, terms: Agreement
) -> None:
    with on_postgres.pool.connection() as conn:
        assert pg_schema.migrate(conn) == pg_schema.VERSION
        conn.execute("UPDATE leadtui_schema SET version = %s", (pg_schema.VERSION + 1,))
    url = on_postgres.pool.conninfo
    with pytest.raises(pg_schema.TooNew, match="newer leadtui"):
        PostgresTeam(url, terms)


def test_a_database_that_cannot_be_reached_is_one_plain_line(terms: Agreement) -> None:
    url = f"postgresql://leadtui:sekrit@127.0.0.1:{free_port()}/sales"
    with pytest.raises(Unavailable) as refused:
        PostgresTeam(url, terms, wait=1.0)
    said = str(refused.value)
    assert said.startswith(f"cannot use postgresql://leadtui@127.0.0.1:{url.split(':')[3]}")
    assert "sekrit" not in said and "\n" not in said


def test_a_team_moves_from_its_file_and_its_reps_sync_on(
    postgres: Cluster,
    seeded: tuple[Path, dict[str, str]],
    terms: Agreement,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with psycopg.connect(postgres.url, autocommit=True) as admin:
        admin.execute("CREATE DATABASE moved")
    url = postgres.database_url("moved")
    file = tmp_path / "team.db"
    file.write_bytes(seeded[0].read_bytes())
    tokens = seeded[1]
    with Store(file) as source:  # the file's feed ends with an event about no lead
        source.rescore(terms, DEMO_NOW)
        leads = on_disk.value(source, "SELECT count(*) FROM leads")
        last = on_disk.value(source, "SELECT max(seq) FROM events")
        assert on_disk.value(source, "SELECT lead_id FROM events WHERE seq = ?", (last,)) is None
    assert main(["serve", "--database", url, "copy-from", str(file)]) == 0
    said = capsys.readouterr().out
    assert said.startswith("copied 8 reps (3 with tokens), ") and f"{leads:,} leads" in said
    team = PostgresTeam(url, terms)
    try:
        assert team.caller(tokens["dana"]) == Caller("dana", Role.REP)  # same tokens
        assert head(team) == last  # reps' cursors stay where they were
        assert team.changes(last, 10, "dana").events == []
        assert len(team.changes(last - 5, 10, None).events) == 4  # and the rescoring's summary
        uid = unassigned(team, 1)[0]
        claim = WireEvent(
            id=event_id("c"),
            lead=uid,
            kind="claimed",
            actor="dana",
            at=DEMO_NOW,
            payload={"rep": "dana"},
        )
        assert team.push([claim], Caller("dana", Role.REP)).accepted == [claim.id]
        assert [event.id for event in team.changes(last, 10, "dana").events] == [claim.id]
    finally:
        team.close()
    assert main(["serve", "--database", url, "copy-from", str(file)]) == 1
    assert "already holds a team (" in capsys.readouterr().err
    with psycopg.connect(postgres.url, autocommit=True) as admin:
        admin.execute("CREATE DATABASE from_a_rep")
    own = tmp_path / "dana.db"
    Store(own).close()  # a rep's own file: no tokens, not a team server's
    target = postgres.database_url("from_a_rep")
    assert main(["serve", "--database", target, "copy-from", str(own)]) == 1
    assert "holds no reps' tokens: copy the team server's file" in capsys.readouterr().err
    assert main(["serve", "--database", str(file), "add-rep", "Ana"]) == 1
    assert "is not a PostgreSQL address" in capsys.readouterr().err


def test_leadtui_serve_on_postgresql_from_the_command_line(
    postgres: Cluster, demo_on_postgres: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with fresh_database(postgres, demo_on_postgres) as url:
        assert main(["serve", "--database", url, "add-rep", "Ana Silva", "--role", "lead"]) == 0
        token = capsys.readouterr().out.strip()
        port = free_port()
        command = [
            sys.executable,
            "-m",
            "leadtui",
            "serve",
            "--database",
            url,
            "--port",
            str(port),
            "--workers",
            "2",
        ]
        server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        try:
            first_line = server.stderr.readline() if server.stderr else ""
            assert f"on http://127.0.0.1:{port} over postgresql://postgres@" in first_line
            feed = _get(f"http://127.0.0.1:{port}/changes?limit=3", token)
            assert feed.status_code == 200 and len(feed.json()["events"]) == 3
            assert "Ana Silva" in {rep["name"] for rep in feed.json()["reps"]}
        finally:
            server.terminate()
            server.wait(timeout=10)
    assert main(["serve", "--database", "postgresql://nobody@127.0.0.1:1/x", "--port", "1"]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["serve", "--db", str(tmp_path / "team.db"), "--workers", "2"]) == 1
    assert "--workers needs --database" in capsys.readouterr().err


def _get(url: str, token: str) -> httpx.Response:
    deadline = time.monotonic() + 20
    while True:
        try:
            return httpx.get(url, headers={"Authorization": f"Bearer {token}"})
        except httpx.ConnectError:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)


def test_hand_offs_and_pushes_on_the_same_leads_never_deadlock(on_postgres: PostgresTeam) -> None:
    team = on_postgres
    uids = unassigned(team, 12)
    cards = [
        HandOff(uid=uid, name=f"Lead {n}", created_at=DEMO_NOW, source="web_form")
        for n, uid in enumerate(uids)
    ]

    def send(order: int) -> None:
        for round_ in range(15):
            batch = cards if (order + round_) % 2 else cards[::-1]
            team.hand_off(batch, "morgan")
            lead = uids[round_ % len(uids)]
            note = WireEvent(
                id=str(uuid.uuid4()),
                lead=lead,
                kind="reassigned",
                actor="morgan",
                at=DEMO_NOW,
                payload={"to": "dana" if order else "marcus"},
            )
            team.push([note], MORGAN)

    with ThreadPoolExecutor(max_workers=4) as pool:
        for done in [pool.submit(send, order) for order in range(4)]:
            done.result(timeout=60)  # a deadlock would be Unavailable here


def test_the_address_keeps_its_own_options(postgres: Cluster, terms: Agreement) -> None:
    with psycopg.connect(postgres.url, autocommit=True) as admin:
        admin.execute("CREATE DATABASE optioned")
    url = postgres.database_url("optioned")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA sales")
    team = PostgresTeam(f"{url}?options=-c%20search_path%3Dsales", terms)
    try:
        with team.pool.connection() as conn:
            assert conn.execute("SELECT to_regclass('sales.leads')").fetchone()[0] is not None
            assert conn.execute("SHOW timezone").fetchone()[0] == "UTC"
    finally:
        team.close()
