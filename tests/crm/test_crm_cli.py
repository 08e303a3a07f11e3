"""`leadtui crm connect|pull|push|status`, against the fake HubSpot, as a user runs them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from leadtui.cli import main
from leadtui.core import agreement as agreement_file
from leadtui.core.clock import SystemClock
from leadtui.core.models import AttemptOutcome, Channel, Rep
from leadtui.desk import Desk
from leadtui.store import Store
from tests.crm.conftest import Running, fill

TOKEN = "pat-na1-fake"


def settings_file(tmp_path: Path, url: str) -> Path:
    settings = tmp_path / "config.toml"
    settings.write_text(
        f'database = "{tmp_path / "leads.db"}"\n'
        f'[crm]\nbase_url = "{url}"\ncredential_file = "{tmp_path / "secret" / "crm.json"}"\n'
    )
    return settings


def test_connect_pull_push_and_status(
    hubspot: Running,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LEADTUI_CRM_TOKEN", raising=False)
    handed = fill(hubspot.fake, handed=8, with_marketing=3)
    settings = settings_file(tmp_path, hubspot.url)
    config = ["--config", str(settings)]

    assert main([*config, "crm", "status"]) == 1
    assert "no CRM connected" in capsys.readouterr().err

    monkeypatch.setattr("sys.stdin", io.StringIO(TOKEN + "\n"))
    assert main([*config, "crm", "connect", "hubspot"]) == 0
    out = capsys.readouterr().out
    assert "leads handed to sales are those at 'Marketingqualifiedlead'" in out
    assert TOKEN not in out
    kept = tmp_path / "secret" / "crm.json"
    assert kept.stat().st_mode & 0o777 == 0o600
    assert "leadtui_event_id" in hubspot.fake.properties["calls"]  # the account prepared

    assert main([*config, "crm", "pull", "--json"]) == 0
    pulled = json.loads(capsys.readouterr().out)
    assert (pulled["imported"], pulled["pushed"], pulled["rejected"]) == (8, 0, [])

    with Store(tmp_path / "leads.db") as store:
        store.save_rep(Rep(id="dana", name="Dana Whitfield"))
        desk = Desk(store, agreement_file.load(), SystemClock(), rep="dana")
        lead_id = store.lead_ids_by_key([handed[2]])[handed[2]]
        desk.log(lead_id, Channel.CALL, AttemptOutcome.CONNECTED, "Wants pricing for 40 seats")

    assert main([*config, "crm", "status", "--json"]) == 0
    before = json.loads(capsys.readouterr().out)
    assert (before["linked"], before["waiting"], before["last_error"]) == (8, 1, None)
    assert before["cursor"].startswith("2026-11-17T09:00")

    assert main([*config, "crm", "push"]) == 0
    assert capsys.readouterr().out.startswith("pushed 1 · ")
    (call,) = hubspot.fake.objects["calls"].values()
    assert call["properties"]["hs_call_body"] == "Wants pricing for 40 seats"

    assert main([*config, "crm", "status"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("hubspot: 8 leads linked · pulled up to 2026-11-17 09:00 UTC")
    assert "0 waiting" in lines[1] and "1 done" in lines[1] and "requests left today" in lines[1]


def test_a_refused_token_is_one_line_and_never_shown(
    hubspot: Running,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = settings_file(tmp_path, hubspot.url)
    monkeypatch.setenv("LEADTUI_CRM_TOKEN", "pat-na1-wrong-one")
    assert main(["--config", str(settings), "crm", "connect", "hubspot"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "refused the token" in err
    assert "pat-na1-wrong-one" not in err
    assert not (tmp_path / "secret" / "crm.json").exists()  # nothing kept that fails


def test_a_rep_on_a_team_server_leaves_the_rounds_to_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_file(tmp_path, "http://127.0.0.1:9")
    settings.write_text('server = "https://leads.example.com"\n' + settings.read_text())
    monkeypatch.setenv("LEADTUI_CRM_TOKEN", TOKEN)
    monkeypatch.setenv("LEADTUI_CONFIG", str(settings))
    with open(settings, "a") as out:
        out.write('system = "hubspot"\n')
    assert main(["--config", str(settings), "crm", "pull"]) == 1
    assert "the CRM rounds run on the team's file there" in capsys.readouterr().err
