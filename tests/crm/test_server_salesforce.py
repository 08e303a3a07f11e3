"""`leadtui serve` runs Salesforce's rounds for the whole team (the file home), as it runs
HubSpot's: started as a user starts it, with the fake Salesforce behind it. Reps hold no
Salesforce credential; their calls reach Salesforce once, as Tasks that are theirs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from leadtui.core.agreement import Agreement
from leadtui.core.clock import FixedClock
from leadtui.core.models import AttemptOutcome, Channel
from leadtui.crm.opening import Credential, keep
from leadtui.desk import Desk
from leadtui.store import Store
from leadtui.sync import TeamServer, sync_once
from tests import on_disk
from tests.conftest import NOW
from tests.crm.conftest import Running
from tests.crm.salesforce_org import CLIENT_ID, DANA, SECRET, fill
from tests.crm.test_server_rounds import crm_state, leadtui, until
from tests.sync.servers import free_port


def environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("LEADTUI_")} | {
        "PYTHONPATH": str(Path(__file__).parents[2])
    }


def test_the_server_runs_salesforces_rounds_for_reps_without_a_credential(
    salesforce: Running, tmp_path: Path, terms: Agreement
) -> None:
    fill(salesforce.fake, handed=6, with_marketing=2)
    secret = tmp_path / "server-secret" / "crm.json"
    settings = tmp_path / "server.toml"
    settings.write_text(
        f'database = "{tmp_path / "team.db"}"\n'
        f'[crm]\nsystem = "salesforce"\ncredential_file = "{secret}"\nevery_minutes = 60\n'
    )
    keep(secret, Credential("salesforce", SECRET, client_id=CLIENT_ID, login_url=salesforce.url))
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
        env=environment(),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        state = until(
            lambda: (
                (answer := crm_state(url, tokens["lena"])) is not None
                and answer.json().get("linked") == 6
                and answer.json()
            ),
            "the server's first round pulled the six Leads",
        )
        assert state["system"] == "salesforce" and state["last_error"] is None
        with Store(tmp_path / "dana.db") as dana, TeamServer(url, tokens["dana"]) as team:
            sync_once(dana, team, NOW)
            owned = on_disk.rows(dana, "SELECT id FROM leads WHERE owner = 'dana' ORDER BY id")
            assert len(owned) == 2  # the Leads Salesforce's user Dana Whitfield owns
            Desk(dana, terms, FixedClock(NOW), rep="dana").log(
                owned[0][0], Channel.CALL, AttemptOutcome.CONNECTED, "Pilot for two plants"
            )
            sync_once(dana, team, NOW)  # to the team's file; the server pushes it on
        (task,) = until(lambda: list(salesforce.fake.tasks.values()), "the Task in Salesforce")
        assert (task["Description"], task["OwnerId"]) == ("Pilot for two plants", DANA)
        after = until(
            lambda: (s := crm_state(url, tokens["lena"]).json())["done"] == 1 and s,  # type: ignore[union-attr]
            "the push kept as done",
        )
        assert after["waiting"] == 0 and after["refused"] == 0
        assert len(salesforce.fake.tasks) == 1  # once
    finally:
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=30)
    assert "Traceback" not in err, err
    assert "fake-consumer-secret" not in err
