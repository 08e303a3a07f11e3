"""`leadtui crm connect salesforce`, pull, push and status, against the fake Salesforce,
as an admin and a rep run them."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from leadtui.cli import main
from leadtui.core import agreement as agreement_file
from leadtui.core.clock import SystemClock
from leadtui.core.models import AttemptOutcome, Channel, Rep
from leadtui.desk import Desk
from leadtui.store import Store
from tests.crm.conftest import Running
from tests.crm.salesforce_org import CLIENT_ID, SECRET, fill

ENVIRONMENT = ("LEADTUI_CRM_TOKEN", "LEADTUI_CRM_CLIENT_ID", "LEADTUI_CRM_LOGIN_URL")


def settings_file(tmp_path: Path) -> Path:
    settings = tmp_path / "config.toml"
    settings.write_text(
        f'database = "{tmp_path / "leads.db"}"\n'
        f'[crm]\ncredential_file = "{tmp_path / "secret" / "crm.json"}"\n'
    )
    return settings


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


def test_connect_pull_push_and_status(
    salesforce: Running,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handed = fill(salesforce.fake, handed=8, with_marketing=3)
    config = ["--config", str(settings_file(tmp_path))]

    monkeypatch.setattr("sys.stdin", io.StringIO(f"{CLIENT_ID}\n{SECRET}\n{salesforce.url}\n"))
    assert main([*config, "crm", "connect", "salesforce"]) == 0
    out = capsys.readouterr().out
    assert "leads handed to sales are those at 'MQL'" in out
    assert "leadtui_Event_Id__c" in out
    assert SECRET not in out and CLIENT_ID not in out
    kept = tmp_path / "secret" / "crm.json"
    assert kept.stat().st_mode & 0o777 == 0o600
    assert json.loads(kept.read_text())["login_url"] == salesforce.url

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
    assert (before["system"], before["linked"], before["waiting"]) == ("salesforce", 8, 1)
    assert before["cursor"].startswith("2026-11-17T09:00")

    assert main([*config, "crm", "push"]) == 0
    assert capsys.readouterr().out.startswith("pushed 1 · ")
    (task,) = salesforce.fake.tasks.values()
    assert (task["WhoId"], task["Description"]) == (handed[2], "Wants pricing for 40 seats")

    assert main([*config, "crm", "status"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("salesforce: 8 leads linked · pulled up to 2026-11-17 09:00 UTC")
    assert "0 waiting" in lines[1] and "1 done" in lines[1] and "requests left" in lines[1]


def test_connect_takes_the_environment_and_names_a_missing_field(
    salesforce: Running,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    salesforce.fake.event_field = False  # the admin has not created it yet
    monkeypatch.setenv("LEADTUI_CRM_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("LEADTUI_CRM_TOKEN", SECRET)
    monkeypatch.setenv("LEADTUI_CRM_LOGIN_URL", salesforce.url)
    config = ["--config", str(settings_file(tmp_path))]
    assert main([*config, "crm", "connect", "salesforce"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "Salesforce's Task has no field leadtui_Event_Id__c the Run As user can see" in err
    assert "field-level security" in err
    assert not (tmp_path / "secret" / "crm.json").exists()  # nothing kept that fails

    salesforce.fake.event_field = True
    assert main([*config, "crm", "connect", "salesforce", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["system"] == "salesforce"


def test_wrong_credentials_are_one_line_and_never_shown(
    salesforce: Running,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        "sys.stdin", io.StringIO(f"{CLIENT_ID}\nsecret-that-is-wrong\n{salesforce.url}\n")
    )
    assert main(["--config", str(settings_file(tmp_path)), "crm", "connect", "salesforce"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "refused the connected app's credentials" in err
    assert "secret-that-is-wrong" not in err


def test_a_login_url_that_is_not_one_is_refused_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{CLIENT_ID}\n{SECRET}\nacme.my.salesforce\n"))
    assert main(["--config", str(settings_file(tmp_path)), "crm", "connect", "salesforce"]) == 1
    err = capsys.readouterr().err
    assert "'acme.my.salesforce' is not a My Domain URL" in err


def test_the_environment_wins_and_the_file_fills_in_what_it_leaves_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from leadtui.crm.opening import Credential, keep, kept
    from leadtui.settings import CrmSettings

    settings = CrmSettings(system="salesforce", credential_file=tmp_path / "crm.json")
    keep(
        settings.credential_file,
        Credential(
            "salesforce", SECRET, client_id=CLIENT_ID, login_url="https://acme.my.salesforce.com"
        ),
    )
    assert kept(settings) == Credential(
        "salesforce", SECRET, client_id=CLIENT_ID, login_url="https://acme.my.salesforce.com"
    )
    monkeypatch.setenv("LEADTUI_CRM_TOKEN", "rotated-secret")
    found = kept(settings)
    assert found is not None
    assert (found.token, found.client_id) == ("rotated-secret", CLIENT_ID)
    assert "rotated-secret" not in repr(found)
    settings.credential_file.write_text("not json")
    monkeypatch.setenv("LEADTUI_CRM_CLIENT_ID", CLIENT_ID)
    assert kept(settings) == Credential("salesforce", "rotated-secret", client_id=CLIENT_ID)


def test_a_secret_pasted_with_a_curly_quote_is_one_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "sys.stdin",
        io.StringIO(f"{CLIENT_ID}\n\u201c{SECRET}\u201d\nhttps://acme.my.salesforce.com\n"),
    )
    assert main(["--config", str(settings_file(tmp_path)), "crm", "connect", "salesforce"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "the token has a character that is not plain text at position 1" in err
    assert SECRET not in err
    assert not (tmp_path / "secret" / "crm.json").exists()


def test_the_credential_file_is_private_before_anything_is_written_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file already there (0644, from a copy) turns 0600 before the secret goes in:
    even a write that fails half way (a full disk) leaves nothing readable by others."""
    import errno

    from leadtui.crm import opening

    kept = tmp_path / "crm.json"
    kept.write_text("{}\n")
    kept.chmod(0o644)

    def full_disk(*_: object, **__: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(opening.json, "dump", full_disk)
    with pytest.raises(OSError):
        opening.keep(kept, opening.Credential("salesforce", SECRET, client_id=CLIENT_ID))
    assert kept.stat().st_mode & 0o777 == 0o600


def test_push_retry_refused_and_status_in_words(
    salesforce: Running,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handed = fill(salesforce.fake, handed=3, with_marketing=0)
    config = ["--config", str(settings_file(tmp_path))]
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{CLIENT_ID}\n{SECRET}\n{salesforce.url}\n"))
    assert main([*config, "crm", "connect", "salesforce"]) == 0
    assert main([*config, "crm", "pull"]) == 0
    with Store(tmp_path / "leads.db") as store:
        store.save_rep(Rep(id="dana", name="Dana Whitfield"))
        desk = Desk(store, agreement_file.load(), SystemClock(), rep="dana")
        lead_id = store.lead_ids_by_key([handed[0]])[handed[0]]
        desk.log(lead_id, Channel.CALL, AttemptOutcome.CONNECTED, "Wants a call back")
    salesforce.fake.rules.append(
        lambda kind, record: "Calls need a Rating on the Lead" if kind == "Task" else None
    )
    capsys.readouterr()
    assert main([*config, "crm", "push"]) == 0
    assert "refused: " in capsys.readouterr().out
    assert salesforce.fake.tasks == {}

    salesforce.fake.rules.clear()  # the admin relaxed the rule
    assert main([*config, "crm", "push", "--json", "--retry-refused"]) == 0
    pushed = json.loads(capsys.readouterr().out)
    assert (pushed["sent_again"], pushed["pushed"], pushed["refused"]) == (1, 1, [])
    assert len(salesforce.fake.tasks) == 1

    assert main([*config, "crm", "status"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    # Times as a person reads them, not ISO 8601 with microseconds.
    assert re.search(
        r"pulled up to 2026-11-17 09:00 UTC · last round \d{4}-\d\d-\d\d \d\d:\d\d UTC$", first
    ), first
