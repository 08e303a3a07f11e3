"""Clocks and settings: the small pieces everything else leans on."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from leadtui.core.clock import DemoClock, FixedClock
from leadtui.settings import SettingsError, load_settings
from tests.conftest import NOW


def test_fixed_clock_moves_only_when_told() -> None:
    clock = FixedClock(NOW)
    assert clock.now() == clock.now() == NOW
    clock.advance(timedelta(minutes=14))
    assert clock.now() == NOW + timedelta(minutes=14)
    with pytest.raises(ValueError, match="without a time zone"):
        FixedClock(datetime(2026, 1, 1))


def test_demo_clock_starts_at_the_demo_and_runs_forward() -> None:
    clock = DemoClock(NOW)
    first = clock.now()
    time.sleep(0.02)
    second = clock.now()
    assert NOW <= first < second < NOW + timedelta(seconds=5)


def test_settings_file_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('rep = "dana"\nsynchronous = "full"\ndatabase = "team.db"\n')
    settings = load_settings(config)
    assert (settings.rep, settings.synchronous, settings.database) == (
        "dana",
        "full",
        Path("team.db"),
    )
    monkeypatch.setenv("LEADTUI_REP", "marcus")
    assert load_settings(config).rep == "marcus"  # the environment wins over the file
    assert load_settings(config, rep="priya").rep == "priya"  # and a flag over both


def test_settings_file_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "elsewhere.toml"
    config.write_text('rep = "keiko"\n')
    monkeypatch.setenv("LEADTUI_CONFIG", str(config))
    assert load_settings().rep == "keiko"


def test_bad_settings_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('synchronous = "sometimes"\n')
    with pytest.raises(SettingsError, match="synchronous: Input should be 'normal' or 'full'"):
        load_settings(config)
    config.write_text("rep = \n")
    with pytest.raises(SettingsError, match=str(config)):
        load_settings(config)
    config.write_text('colour = "red"\n')
    with pytest.raises(SettingsError, match="colour"):
        load_settings(config)
    with pytest.raises(SettingsError, match="no such settings file"):
        load_settings(tmp_path / "missing.toml")
    for address in ("postgresql://db/sales", "127.0.0.1:8765"):  # not the team server's URL
        config.write_text(f'server = "{address}"\n')
        with pytest.raises(SettingsError, match="server: String should match pattern"):
            load_settings(config)


def test_a_table_from_the_environment_is_json_merged_over_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[crm]\nsystem = "hubspot"\nevery_minutes = 5\n[keys]\n"queue.next" = "N"\n')
    monkeypatch.setenv("leadtui_crm", '{"every_minutes": 30}')  # any case, as the shell has it
    settings = load_settings(config)
    assert (settings.crm.system, settings.crm.every_minutes) == ("hubspot", 30)
    assert settings.keys == {"queue.next": "N"}
    monkeypatch.setenv("LEADTUI_KEYS", "queue.next=N")
    with pytest.raises(SettingsError) as refused:
        load_settings(config)
    assert str(refused.value).startswith("LEADTUI_KEYS: not JSON:")
    assert "\n" not in str(refused.value)
    monkeypatch.delenv("LEADTUI_KEYS")
    monkeypatch.setenv("LEADTUI_CRM", '{"every_minutes": 0}')
    with pytest.raises(SettingsError, match="crm.every_minutes: Input should be greater"):
        load_settings(config)


@pytest.mark.parametrize(
    ("table", "said"),
    [
        (
            '[crm.fields]\nTitle = "titel"',
            "crm.fields: Title = 'titel' is no lead field: name one of",
        ),
        ('[crm.fields]\nhs_persona = "custom:"', "hs_persona = 'custom:' is no lead field"),
        (
            '[crm.moves.qualifed]\nStatus = "Qualified"',
            "crm.moves: 'qualifed' is no move: name one",
        ),
        ('[crm.outcomes]\nvoicemale = "Left voicemail"', "crm.outcomes: 'voicemale' is no outcome"),
    ],
)
def test_a_crm_map_that_names_nothing_is_refused_in_one_line(
    tmp_path: Path, table: str, said: str
) -> None:
    """A typo in [crm] would reject every contact at pull time, or be ignored: refused at
    the door instead, naming the key."""
    config = tmp_path / "config.toml"
    config.write_text(f'[crm]\nsystem = "salesforce"\n{table}\n')
    with pytest.raises(SettingsError) as refused:
        load_settings(config)
    assert said in str(refused.value) and "\n" not in str(refused.value)


def test_crm_maps_that_name_lead_fields_custom_fields_and_moves_are_kept(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[crm]\nsystem = "hubspot"\n[crm.fields]\njobtitle = "title"\nhs_persona = '
        '"custom:persona"\nphone = ""\nhs_mql_date = "mql_at"\n'
        '[crm.moves.disqualified]\nhs_lead_status = "UNQUALIFIED"\n'
        '[crm.outcomes]\nno_answer = "No answer"\n'
    )
    crm = load_settings(config).crm
    assert crm.fields == {
        "jobtitle": "title",
        "hs_persona": "custom:persona",
        "phone": "",
        "hs_mql_date": "mql_at",
    }
    assert crm.moves == {"disqualified": {"hs_lead_status": "UNQUALIFIED"}}
    assert crm.outcomes == {"no_answer": "No answer"}
