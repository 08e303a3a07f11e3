"""Sync against a real team server on 127.0.0.1, started by the test on a free port:
rep files pull their leads and push what they logged exactly once, through a dead,
busy or failing server and from the command line. The server's rules for who may do
what are in test_server_rules."""

from __future__ import annotations

import io
import json
from pathlib import Path

import httpx
import pytest

from leadtui.core.agreement import Agreement
from leadtui.core.models import AttemptOutcome, Channel
from leadtui.demo import DEMO_NOW
from leadtui.server.app import make_server
from leadtui.server.on_file import FileTeam
from leadtui.store import Store
from leadtui.sync import (
    Conflict,
    Offline,
    SyncError,
    TeamServer,
    sync_once,
)
from tests import on_disk
from tests.sync.servers import (
    Fault,
    Flaky,
    Running,
    client,
    first_unassigned,
    free_port,
    rep_file,
)

ROOT = Path(__file__).resolve().parents[2]


def test_a_new_rep_file_pulls_its_own_and_unassigned_leads(server: Running, tmp_path: Path) -> None:
    with rep_file(tmp_path, "dana") as dana, client(server, "dana") as remote:
        synced = sync_once(dana, remote, DEMO_NOW)
        assert synced.pulled > 0 and synced.waiting == 0
        mine = (
            "SELECT uid FROM leads WHERE owner = 'dana' AND stage IN ('mql', 'working', 'accepted')"
        )
        assert set(on_disk.rows(dana, mine)) == set(on_disk.rows(server.seed, mine))
        owners = {row[0] for row in on_disk.rows(dana, "SELECT DISTINCT owner FROM leads")}
        assert owners <= {"dana", None}  # no card of anyone else's lead came down
        again = sync_once(dana, remote, DEMO_NOW)
        assert (again.pulled, again.pushed) == (0, 0)


def test_what_a_rep_logs_reaches_the_server_once_even_when_sent_twice(
    server: Running, tmp_path: Path
) -> None:
    with rep_file(tmp_path, "dana") as dana, client(server, "dana") as remote:
        sync_once(dana, remote, DEMO_NOW)
        lead_id, uid = first_unassigned(dana)
        version = dana.lead(lead_id).version
        dana.claim(lead_id, "dana", at=DEMO_NOW, expected_version=version)
        dana.log_attempt(
            lead_id, "dana", at=DEMO_NOW, channel=Channel.CALL, outcome=AttemptOutcome.NO_ANSWER
        )
        synced = sync_once(dana, remote, DEMO_NOW)
        assert (synced.pushed, synced.refused, synced.waiting) == (2, [], 0)
        # The answer to that push was lost: the same events go out again.
        on_disk.run(
            dana,
            "UPDATE events SET synced_at = NULL WHERE actor = 'dana' AND lead_id = ?",
            (lead_id,),
        )
        retried = sync_once(dana, remote, DEMO_NOW)
        assert (retried.pushed, retried.already) == (0, 2)
    on_server = server.team.lead(uid)
    assert on_server is not None and on_server.owner == "dana" and on_server.calls == 1
    ids = [event.id for event in server.team.events(uid) if event.actor == "dana"]
    assert len(ids) == len(set(ids)) == 2


def test_a_dead_server_is_offline_and_nothing_logged_is_lost(tmp_path: Path, work: Store) -> None:
    lead_id = on_disk.value(work, "SELECT id FROM leads WHERE stage = 'mql' LIMIT 1")
    work.claim(lead_id, "dana", at=DEMO_NOW, expected_version=work.lead(lead_id).version)
    before = work.waiting_to_sync()
    dead = f"http://127.0.0.1:{free_port()}"
    with (
        TeamServer(dead, "t", attempts=2, backoff=0.01) as gone,
        pytest.raises(Offline, match="cannot be reached"),
    ):
        sync_once(work, gone, DEMO_NOW)
    assert work.waiting_to_sync() == before > 0


def test_the_committed_openapi_document_is_current(terms: Agreement, tmp_path: Path) -> None:
    with Store(tmp_path / "any.db") as store:
        current = make_server(FileTeam(store, terms)).openapi()
    committed = json.loads((ROOT / "docs" / "openapi.json").read_text())
    assert committed == current, "run: leadtui serve --openapi > docs/openapi.json"


def test_busy_and_failing_answers_are_retried_and_retry_after_is_honoured(
    flaky_server: tuple[Running, Flaky],
) -> None:
    server, flaky = flaky_server
    flaky.on("/changes", Fault(429, {"Retry-After": "1"}), Fault(503))
    waits: list[float] = []
    with client(server, "dana", attempts=3, sleep=waits.append) as remote:
        feed = remote.changes(0)
    assert feed.events and flaky.seen == 2
    assert waits[0] == 1.0 and waits[1] < 1.0  # Retry-After, then the backoff
    flaky.on("/changes", Fault(400))
    waits.clear()
    with (
        client(server, "dana", attempts=3, sleep=waits.append) as remote,
        pytest.raises(SyncError, match="400"),
    ):
        remote.changes(0)
    assert waits == []  # a plain refusal is not tried again


def test_marketing_hands_leads_to_sales_through_the_server(server: Running, tmp_path: Path) -> None:
    card = {
        "uid": "mkt-0001",
        "name": "Ines Martin",
        "title": "VP of IT",
        "company": "Granite Precision Inc.",
        "email": "ines@graniteprecision.com",
        "source": "web_form",
        "created_at": "2026-11-17T15:00:00Z",
        "score": 88,
        "fit": 40,
        "engagement": 48,
        "mql_at": "2026-11-17T16:00:00Z",
    }
    as_lead = {"Authorization": f"Bearer {server.tokens['morgan']}"}
    as_rep = {"Authorization": f"Bearer {server.tokens['dana']}"}
    sent = httpx.post(f"{server.url}/leads", json={"leads": [card]}, headers=as_lead)
    assert sent.status_code == 200 and sent.json() == {"added": 1, "updated": 0, "handed": 1}
    again = httpx.post(f"{server.url}/leads", json={"leads": [card]}, headers=as_lead)
    assert again.json() == {"added": 0, "updated": 1, "handed": 0}  # already with sales
    refused = httpx.post(f"{server.url}/leads", json={"leads": [card]}, headers=as_rep)
    assert refused.status_code == 403
    keyed = card | {"uid": "mkt-0002", "external_id": "crm-77"}
    assert httpx.post(f"{server.url}/leads", json={"leads": [keyed]}, headers=as_lead).is_success
    taken = keyed | {"uid": "mkt-0003", "name": "Someone Else"}
    clash = httpx.post(f"{server.url}/leads", json={"leads": [card, taken]}, headers=as_lead)
    assert clash.status_code == 409
    assert clash.json()["detail"] == "external id 'crm-77' is lead mkt-0002's"
    assert server.team.lead("mkt-0003") is None  # the batch is refused whole
    with rep_file(tmp_path, "dana") as dana, client(server, "dana") as remote:
        sync_once(dana, remote, DEMO_NOW)
        handed = dana.lead_by_uid("mkt-0001")
        assert handed is not None and handed.stage.value == "mql" and handed.owner is None
        assert (handed.name, handed.score) == ("Ines Martin", 88)


def test_leadtui_sync_from_the_command_line(
    server: Running,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from leadtui.cli import main

    settings = tmp_path / "config.toml"
    token_file = tmp_path / "secrets" / "token"
    settings.write_text(
        f'server = "{server.url}"\ndatabase = "{tmp_path / "dana.db"}"\n'
        f'token_file = "{token_file}"\nrep = "dana"\n'
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(server.tokens["dana"] + "\n"))
    assert main(["--config", str(settings), "sync", "--token-from-stdin"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("pushed 0 · pulled ") and out.strip().endswith("0 waiting")
    assert token_file.stat().st_mode & 0o777 == 0o600
    assert main(["--config", str(settings), "--as", "dana", "next", "--json"]) == 0
    capsys.readouterr()
    assert main(["--config", str(settings), "sync", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["pushed"], summary["waiting"], summary["refused"]) == (1, 0, [])
    token_file.write_text("not-the-token\n")
    assert main(["--config", str(settings), "sync"]) == 1
    err = capsys.readouterr().err
    assert "refused the token" in err and "not-the-token" not in err


def test_a_server_whose_log_ends_before_the_files_cursor_is_refused_plainly(
    server: Running, tmp_path: Path
) -> None:
    headers = {"Authorization": f"Bearer {server.tokens['dana']}"}
    ahead = httpx.get(f"{server.url}/changes", params={"since": 10**9}, headers=headers)
    assert ahead.status_code == 409
    assert "this file last read the team's log up to 1000000000" in ahead.json()["detail"]
    with rep_file(tmp_path, "dana") as dana, client(server, "dana") as remote:
        sync_once(dana, remote, DEMO_NOW)
        cursor = int(dana.meta("sync_cursor") or 0)
        dana.set_meta("sync_cursor", str(cursor + 2))  # as if it had synced with another
        with pytest.raises(Conflict, match="not the server this file synced with"):
            sync_once(dana, remote, DEMO_NOW)
        assert dana.meta("sync_cursor") == str(cursor + 2)  # nothing moved
