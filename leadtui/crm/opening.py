"""A connector for the CRM the settings name, with its credential: kept by `leadtui crm
connect` in a 0600 file (or given in LEADTUI_CRM_TOKEN), never printed or logged."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from leadtui.crm.connector import Connector
from leadtui.crm.errors import CrmError
from leadtui.settings import CrmSettings

SYSTEMS = ("hubspot",)
TOKEN_ENV = "LEADTUI_CRM_TOKEN"


@dataclass(frozen=True)
class Credential:
    system: str
    token: str

    def __repr__(self) -> str:  # never shown, whatever prints it
        return f"Credential(system={self.system!r}, token=...)"


def keep(path: Path, credential: Credential) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        json.dump({"system": credential.system, "token": credential.token}, out)
        out.write("\n")
    os.chmod(path, 0o600)


def kept(settings: CrmSettings) -> Credential | None:
    """The credential in force: LEADTUI_CRM_TOKEN (for the CRM the settings name), else
    the kept file; None when there is none."""
    token = os.environ.get(TOKEN_ENV, "").strip()
    if token and settings.system:
        return Credential(settings.system, token)
    try:
        found = json.loads(settings.credential_file.read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        raise CrmError(
            f"{settings.credential_file} is not a credential leadtui kept: "
            "`leadtui crm connect hubspot` keeps a new one"
        ) from None
    system = settings.system or str(found.get("system", ""))
    if token:
        return Credential(system, token)
    if found.get("system") != system or not found.get("token"):
        return None
    return Credential(system, str(found["token"]))


def connector(settings: CrmSettings, credential: Credential) -> Connector:
    if credential.system != "hubspot":
        raise CrmError(f"leadtui has no connector for {credential.system!r} yet (it has: hubspot)")
    from leadtui.crm.hubspot import HubSpot, HubSpotHttp, api
    from leadtui.crm.hubspot.mapping import HubSpotMap

    http = HubSpotHttp(settings.base_url or api.BASE_URL, credential.token)
    terms = HubSpotMap.over_defaults(
        settings.fields, settings.moves, settings.outcomes, notes=settings.move_notes
    )
    return HubSpot(http, terms, mql_stage=settings.mql_stage)


def opener(settings: CrmSettings) -> tuple[str, Callable[[], Connector]] | None:
    """The CRM the settings name (or `crm connect` kept), and how to open a connector to
    it with the credential read afresh each time (so a new one kept while a program runs
    is its next round's); None when no CRM is set. A credential file leadtui cannot read
    raises CrmError."""
    credential = kept(settings)
    system = settings.system or (credential.system if credential else None)
    if system is None:
        return None

    def opened() -> Connector:
        found = kept(settings)
        if found is None:
            raise CrmError(
                f"no {system} credential: `leadtui crm connect {system}` keeps one "
                f"(or set {TOKEN_ENV})"
            )
        return connector(settings, found)

    return system, opened
