"""`leadtui serve` runs the CRM rounds for the whole team (the file home): started as a user
starts it, on a free port, with the fake HubSpot behind it. Reps hold no CRM credential;
what they log reaches HubSpot through the team's file, once; a team lead reads how the
rounds stand. The PostgreSQL home refuses a CRM in one line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from leadtui.core.agreement import Agreement
from leadtui.core.clock import FixedClock
from leadtui.core.models import AttemptOutcome, Channel
from leadtui.crm.opening import Credential, keep
from leadtui.desk import Desk
from leadtui.store import Store
from leadtui.sync import TeamServer, sync_once
from tests import on_disk
from tests.conftest import NOW
from tests.crm.conftest import Running, fill
from tests.sync.servers import free_port

TOKEN = "pat-na1-fake"


def settings_file(tmp_path: Path, hubspot: str) -> Path:
    settings = tmp_path / "server.toml"
    settings.write_text(
        f'database = "{tmp_path / "team.db"}"\n'
        f'[crm]\nsystem = "hubspot"\nbase_url = "{hubspot}"\n'
        f'credential_file = "{tmp_path / "server-secret" / "crm.json"}"\nevery_minutes = 60\n'
    )
    return settings


def leadtui(settings: Path, *args: str, **options: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leadtui", "--config", str(settings), *args],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
        check=False,
        **options,
    )


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("LEADTUI_")} | {
        "PYTHONPATH": str(Path(__file__).parents[2])
    }


def until(found: Callable[[], Any], what: str, within: float = 30.0) -> Any:
    """Ask again until `found` answers (a deadline for a broken program, not a speed check)."""
    deadline = time.monotonic() + within
    while True:
        answer = found()
        if answer:
            return answer
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.2)


@pytest.fixture
def served(hubspot: Running, tmp_path: Path) -> Iterator[tuple[str, dict[str, str], Path]]:
    """The team server on a free port, its [crm] set and the token in its own file."""
    fill(hubspot.fake, handed=6, with_marketing=2)
    settings = settings_file(tmp_path, hubspot.url)
    keep(tmp_path / "server-secret" / "crm.json", Credential("hubspot", TOKEN))
    tokens = {}
    for name, role in (("Dana Whitfield", "rep"), ("Lena Boss", "lead")):
        added = leadtui(settings, "serve", "add-rep", name, "--role", role)
        assert added.returncode == 0, added.stderr
        tokens[name.split()[0].casefold()] = added.stdout.strip()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "leadtui", "--config", str(settings), "serve", "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        yield f"http://127.0.0.1:{port}", tokens, settings
    finally:
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=30)
        assert "Traceback" not in err, err


def crm_state(url: str, token: str) -> httpx.Response | None:
    try:
        return httpx.get(f"{url}/crm", headers={"Authorization": f"Bearer {token}"})
    except httpx.TransportError:
        return None  # not listening yet


def test_the_server_runs_the_rounds_and_reps_need_no_crm_credential(
    hubspot: Running,
    served: tuple[str, dict[str, str], Path],
    tmp_path: Path,
    terms: Agreement,
) -> None:
    url, tokens, settings = served
    state = until(
        lambda: (
            (answer := crm_state(url, tokens["lena"])) is not None
            and answer.json().get("linked") == 6
            and answer.json()
        ),
        "the server's first round pulled the six contacts",
    )
    assert state["system"] == "hubspot" and state["last_error"] is None
    refused = crm_state(url, tokens["dana"])
    assert refused is not None and refused.status_code == 403  # team leads only

    with Store(tmp_path / "dana.db") as dana, TeamServer(url, tokens["dana"]) as team:
        sync_once(dana, team, NOW)
        owned = on_disk.rows(dana, "SELECT id FROM leads WHERE owner = 'dana' ORDER BY id")
        assert len(owned) == 2  # the contacts HubSpot's owner Dana Whitfield holds
        event = Desk(dana, terms, FixedClock(NOW), rep="dana").log(
            owned[0][0], Channel.CALL, AttemptOutcome.CONNECTED, "Wants a pilot for two plants"
        )
        assert event.calls == 1
        sync_once(dana, team, NOW)  # to the team's file; the server pushes it on

    (call,) = until(lambda: list(hubspot.fake.objects["calls"].values()), "the call in HubSpot")
    assert call["properties"]["hs_call_body"] == "Wants a pilot for two plants"
    after = until(
        lambda: (s := crm_state(url, tokens["lena"]).json())["done"] == 1 and s,  # type: ignore[union-attr]
        "the push kept as done",
    )
    assert after["waiting"] == 0 and after["refused"] == 0
    status = leadtui(settings, "crm", "status", "--json")
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["done"] == 1  # the team lead's view of the file
    assert len(hubspot.fake.objects["calls"]) == 1  # once


def test_the_postgres_home_refuses_a_crm_in_one_line(hubspot: Running, tmp_path: Path) -> None:
    settings = settings_file(tmp_path, hubspot.url)
    keep(tmp_path / "server-secret" / "crm.json", Credential("hubspot", TOKEN))
    done = leadtui(settings, "serve", "--database", "postgresql://leadtui@127.0.0.1:9/sales")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "the PostgreSQL home runs no CRM rounds" in done.stderr
    assert hubspot.fake.requests == []
