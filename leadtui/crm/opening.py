"""A connector for the CRM the settings name, with its credential: kept by `leadtui crm
connect` in a 0600 file (or given in the environment), never printed or logged.

HubSpot's credential is a token (LEADTUI_CRM_TOKEN). Salesforce's is a connected app's
consumer key and secret (LEADTUI_CRM_CLIENT_ID, and the secret in LEADTUI_CRM_TOKEN),
with the org's My Domain login URL (LEADTUI_CRM_LOGIN_URL, or [crm] base_url)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from leadtui.crm.connector import Connector
from leadtui.crm.errors import CrmError
from leadtui.settings import CrmSettings

SYSTEMS = ("hubspot", "salesforce")
TOKEN_ENV = "LEADTUI_CRM_TOKEN"
CLIENT_ID_ENV = "LEADTUI_CRM_CLIENT_ID"
LOGIN_URL_ENV = "LEADTUI_CRM_LOGIN_URL"


@dataclass(frozen=True)
class Credential:
    """What proves leadtui to the CRM: `token` is HubSpot's token, or Salesforce's
    consumer secret (with its consumer key, `client_id`, and the org's `login_url`)."""

    system: str
    token: str
    client_id: str = ""
    login_url: str = ""

    def __repr__(self) -> str:  # never shown, whatever prints it
        return f"Credential(system={self.system!r}, token=...)"

    def check(self) -> None:
        """CrmError when a part cannot be sent as it is (a curly quote or a space pasted
        with it); the message says which part and where, never what it holds."""
        parts = (("token", self.token), ("consumer key", self.client_id))
        for what, value in parts:
            for place, character in enumerate(value, start=1):
                if not (character.isascii() and character.isprintable()) or character == " ":
                    raise CrmError(
                        f"the {what} has a character that is not plain text at position "
                        f"{place} (a curly quote or a space pasted with it?): copy it again "
                        "and paste it as plain text"
                    )


def keep(path: Path, credential: Credential) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # a file already there: private before a byte is written
    kept_values = {"system": credential.system, "token": credential.token}
    if credential.client_id:
        kept_values |= {"client_id": credential.client_id, "login_url": credential.login_url}
    with os.fdopen(descriptor, "w") as out:
        json.dump(kept_values, out)
        out.write("\n")


def from_environment(system: str) -> Credential | None:
    """The credential the environment gives for `system` (None: it gives none)."""
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        return None
    return Credential(
        system,
        token,
        client_id=os.environ.get(CLIENT_ID_ENV, "").strip(),
        login_url=os.environ.get(LOGIN_URL_ENV, "").strip(),
    )


def kept(settings: CrmSettings) -> Credential | None:
    """The credential in force: the environment's (for the CRM the settings name), else
    the kept file; None when there is none. A value the environment leaves out is
    taken from the file."""
    try:
        found = json.loads(settings.credential_file.read_text())
    except FileNotFoundError:
        found = {}
    except (OSError, ValueError):
        if settings.system and from_environment(settings.system):
            found = {}  # the environment gives it all: the file is not needed
        else:
            raise CrmError(
                f"{settings.credential_file} is not a credential leadtui kept: "
                "`leadtui crm connect hubspot|salesforce` keeps a new one"
            ) from None
    if not isinstance(found, dict):
        found = {}
    system = settings.system or str(found.get("system", ""))
    given = from_environment(system) if system else None
    from_file = found.get("system") == system
    if given is not None:
        return Credential(
            system,
            given.token,
            client_id=given.client_id or (str(found.get("client_id", "")) if from_file else ""),
            login_url=given.login_url or (str(found.get("login_url", "")) if from_file else ""),
        )
    if not from_file or not found.get("token"):
        return None
    return Credential(
        system,
        str(found["token"]),
        client_id=str(found.get("client_id", "")),
        login_url=str(found.get("login_url", "")),
    )


def connector(settings: CrmSettings, credential: Credential) -> Connector:
    if credential.system == "salesforce":
        return _salesforce(settings, credential)
    if credential.system != "hubspot":
        raise CrmError(
            f"leadtui has no connector for {credential.system!r} (it has: {', '.join(SYSTEMS)})"
        )
    from leadtui.crm.hubspot import HubSpot, HubSpotHttp, api
    from leadtui.crm.hubspot.mapping import HubSpotMap

    http = HubSpotHttp(settings.base_url or api.BASE_URL, credential.token)
    terms = HubSpotMap.over_defaults(
        settings.fields, settings.moves, settings.outcomes, notes=settings.move_notes
    )
    return HubSpot(http, terms, mql_stage=settings.mql_stage)


def _salesforce(settings: CrmSettings, credential: Credential) -> Connector:
    from leadtui.crm.salesforce import Salesforce, SalesforceHttp
    from leadtui.crm.salesforce.mapping import SalesforceMap

    login_url = settings.base_url or credential.login_url
    if not login_url:
        raise CrmError(
            "no Salesforce login URL: give your org's My Domain URL "
            f"(https://NAME.my.salesforce.com) to `leadtui crm connect salesforce`, in "
            f"{LOGIN_URL_ENV}, or as [crm] base_url"
        )
    if not credential.client_id:
        raise CrmError(
            "no Salesforce consumer key: `leadtui crm connect salesforce` keeps one "
            f"(or set {CLIENT_ID_ENV})"
        )
    http = SalesforceHttp(login_url, credential.client_id, credential.token)
    terms = SalesforceMap.over_defaults(settings.fields, settings.moves, settings.outcomes)
    return Salesforce(http, terms, mql_status=settings.mql_stage)


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
