"""Settings in one model: LEADTUI_* environment variables over a TOML file over defaults."""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from leadtui.core.models import AttemptOutcome, EventKind
from leadtui.core.to_the_crm import PUSHED_KINDS

APP_NAME = "leadtui"
CONFIG_ENV = "LEADTUI_CONFIG"
ENV_PREFIX = "LEADTUI_"


def default_config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def default_agreement_file() -> Path:
    """Where `leadtui agreement apply` puts the team's agreement when no setting names one."""
    return Path(platformdirs.user_config_dir(APP_NAME)) / "agreement.toml"


def default_token_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "token"


def default_crm_credential_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "crm-credential.json"


def default_database() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME)) / "leads.db"


def agreement_in_force(settings: Settings) -> Path | None:
    """The agreement file to load, or None for the shipped default."""
    if settings.agreement is not None:
        return settings.agreement
    applied = default_agreement_file()
    return applied if applied.exists() else None


class SettingsError(Exception):
    """The settings file or environment holds something unusable."""


# What a CRM property may fill on a lead ([crm.fields]): a contact field, the hand-off
# time, or a custom field (custom:NAME); an empty value leaves the property out.
LEAD_FIELDS = (
    "name",
    "title",
    "company",
    "email",
    "phone",
    "website",
    "city",
    "region",
    "country",
    "employees",
    "revenue",
    "industry",
    "source",
    "mql_at",
)
MOVES = tuple(kind.value for kind in PUSHED_KINDS if kind is not EventKind.ATTEMPT)
OUTCOMES = tuple(outcome.value for outcome in AttemptOutcome)


def _refused(message: str) -> PydanticCustomError:
    return PydanticCustomError("crm_map", message.replace("{", "{{").replace("}", "}}"))


class CrmSettings(BaseModel):
    """[crm]: the CRM the team's leads live in, and what maps to what (each map's keys
    replace the connector's defaults; an empty value leaves a property out)."""

    model_config = ConfigDict(extra="forbid")

    system: Literal["hubspot", "salesforce"] | None = Field(
        default=None,
        description="the CRM: 'hubspot' or 'salesforce' (if unset, the one "
        "`leadtui crm connect` kept)",
    )
    base_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^\s/]+",
        description="the CRM's API address (default: the CRM's own, "
        "https://api.hubapi.com; for Salesforce, the org's My Domain login URL, "
        "https://NAME.my.salesforce.com); a proxy or a test may stand in",
    )
    credential_file: Path = Field(
        default_factory=default_crm_credential_file,
        description="where `leadtui crm connect` keeps the CRM's credential (0600); "
        "LEADTUI_CRM_TOKEN wins over it",
    )
    mql_stage: str | None = Field(
        default=None,
        description="the lifecycle stage at which marketing hands a contact to sales "
        "(default: the account's marketingqualifiedlead); for Salesforce, the Lead "
        "Status (default: one named like 'MQL', else the org's default status)",
    )
    fields: dict[str, str] = Field(
        default_factory=dict,
        description="CRM property -> lead field or custom:NAME, e.g. "
        'jobtitle = "title", hs_persona = "custom:persona"',
    )
    moves: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="a move (accepted, qualified, returned_to_nurture, disqualified) -> "
        'the CRM properties it sets, e.g. [crm.moves.accepted] hs_lead_status = "OPEN"',
    )
    outcomes: dict[str, str] = Field(
        default_factory=dict,
        description="a call's outcome (connected, voicemail, ...) -> the CRM's call outcome label",
    )
    move_notes: bool = Field(
        default=True,
        description="write each move's reason, checklist and note on the CRM record as a note",
    )
    every_minutes: int = Field(
        default=10,
        ge=1,
        le=1440,
        description="minutes between CRM rounds in the open app and in `leadtui serve` (a file)",
    )

    @field_validator("fields")
    @classmethod
    def _fields_fill_lead_fields(cls, fields: dict[str, str]) -> dict[str, str]:
        for prop, target in fields.items():
            custom = target.removeprefix("custom:")
            if target in ("", *LEAD_FIELDS) or (target.startswith("custom:") and custom.strip()):
                continue
            raise _refused(
                f"{prop} = {target!r} is no lead field: name one of "
                f'{", ".join(LEAD_FIELDS)}, or custom:NAME ("" leaves it out)'
            )
        return fields

    @field_validator("moves")
    @classmethod
    def _moves_are_moves(cls, moves: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        for move in moves:
            if move not in MOVES:
                raise _refused(f"{move!r} is no move: name one of {', '.join(MOVES)}")
        return moves

    @field_validator("outcomes")
    @classmethod
    def _outcomes_are_outcomes(cls, outcomes: dict[str, str]) -> dict[str, str]:
        for outcome in outcomes:
            if outcome not in OUTCOMES:
                raise _refused(f"{outcome!r} is no outcome: name one of {', '.join(OUTCOMES)}")
        return outcomes


class Settings(BaseModel):
    """Everything a user can set. Environment variables win over the file."""

    model_config = ConfigDict(extra="forbid")
    database: Path = Field(default_factory=default_database, description="the SQLite file")
    agreement: Path | None = Field(
        default=None,
        description="the qualified-lead agreement (TOML); if unset, agreement.toml in the "
        "config folder when there is one, else the shipped default",
    )
    rep: str | None = Field(default=None, description="who you are: a rep id from the database")
    keys: dict[str, str] = Field(
        default_factory=dict,
        description="keys of the app by binding id, e.g. [keys] followed by "
        '"queue.next" = "N" (ids are listed by ? in the app)',
    )
    server: str | None = Field(
        default=None,
        pattern=r"^https?://[^\s/]+",
        description="the team server's URL, e.g. https://leads.example.com (http:// or "
        "https://, the address leadtui serve prints)",
    )
    token_file: Path = Field(
        default_factory=default_token_file,
        description="where your team server token is kept (written 0600 by leadtui sync "
        "--token-from-stdin); LEADTUI_TOKEN wins over it",
    )
    crm: CrmSettings = Field(default_factory=CrmSettings, description="the team's CRM")
    synchronous: Literal["normal", "full"] = Field(
        default="normal",
        description="'full' makes every commit survive a power cut, at some cost in speed",
    )


# Fields an environment variable gives as JSON (a table in the file).
JSON_FIELDS = ("keys", "crm")


def load_settings(config_file: Path | None = None, **overrides: object) -> Settings:
    """Read the settings, from `config_file` if given (else $LEADTUI_CONFIG, else the
    platform's config folder), raising SettingsError with one readable line."""
    where = config_file or Path(os.environ.get(CONFIG_ENV) or default_config_file())
    if config_file is not None and not config_file.exists():
        raise SettingsError(f"{config_file}: no such settings file")

    try:
        merged = _merged(_from_file(where), _from_environment(os.environ))
        merged = _merged(merged, {k: v for k, v in overrides.items() if v is not None})
        return Settings.model_validate(merged)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise SettingsError(
            f"settings ({where} or LEADTUI_{field.upper()}): {field}: {first['msg']}"
        ) from None


def _from_file(where: Path) -> dict[str, Any]:
    if not where.exists():
        return {}
    try:
        return tomllib.loads(where.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SettingsError(f"{where}: {error}") from None


def _from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """LEADTUI_<FIELD> for each setting, in any case; a table's value as JSON."""
    named = {key.upper(): value for key, value in environ.items()}
    found: dict[str, Any] = {}
    for field in Settings.model_fields:
        variable = ENV_PREFIX + field.upper()
        if variable not in named:
            continue
        value = named[variable]
        if field in JSON_FIELDS:
            try:
                found[field] = json.loads(value)
            except ValueError as error:
                raise SettingsError(f"{variable}: not JSON: {error}") from None
        else:
            found[field] = value
    return found


def _merged(under: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """`over` on `under`, tables merged key by key (a [crm] in the file and LEADTUI_CRM)."""
    merged = dict(under)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merged(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged
