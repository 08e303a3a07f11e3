"""`leadtui crm`: connect to the team's CRM, pull its leads, push what reps logged, and
say where the file stands with it."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

from leadtui.cli.context import Context, UserError, pass_context
from leadtui.desk import Desk

if TYPE_CHECKING:
    from leadtui.crm.connector import Connector
    from leadtui.crm.opening import Credential
    from leadtui.crm.rounds import CrmRound


@click.group(
    epilog="Examples:\n\n  leadtui crm connect hubspot < token.txt\n\n"
    "  leadtui crm connect salesforce < connected-app.txt\n\n  leadtui crm pull\n\n"
    "  leadtui crm push --json\n\n  leadtui crm status"
)
def crm() -> None:
    """The CRM the team's leads live in (setting [crm]): pull the leads it hands to
    sales, push every call, email and move back to it."""


@crm.command(
    epilog="Examples:\n\n  leadtui crm connect hubspot < token.txt\n\n"
    "  LEADTUI_CRM_TOKEN=... leadtui crm connect hubspot --json\n\n"
    "  leadtui crm connect salesforce < connected-app.txt\n\n"
    "  (three lines: the consumer key, the consumer secret, the My Domain URL)"
)
@click.argument("system", type=click.Choice(["hubspot", "salesforce"]))
@click.option("--json", "as_json", is_flag=True, help="Print what was found as JSON.")
@pass_context
def connect(context: Context, system: str, as_json: bool) -> None:
    """Check the CRM's credential, prepare the account and keep the credential in the
    setting 'crm.credential_file' (mode 0600); it is never printed. HubSpot: a token
    (LEADTUI_CRM_TOKEN, else stdin); leadtui adds a property for its event ids to calls
    and emails. Salesforce: a connected app's consumer key, consumer secret and the
    org's My Domain URL (LEADTUI_CRM_CLIENT_ID, LEADTUI_CRM_TOKEN and
    LEADTUI_CRM_LOGIN_URL, else three lines on stdin); the Task field
    leadtui_Event_Id__c must exist."""
    from leadtui.crm import CrmError
    from leadtui.crm.opening import connector, keep

    settings = context.settings.crm
    credential = _given(system, settings.base_url)
    try:
        credential.check()
        remote = connector(settings, credential)
    except CrmError as error:
        raise UserError(str(error)) from None
    try:
        found = remote.check()
    except CrmError as error:
        raise UserError(str(error)) from None
    finally:
        remote.close()
    keep(settings.credential_file, credential)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "system": system,
                    "found": found,
                    "credential_file": str(settings.credential_file),
                },
                indent=2,
            )
        )
        return
    click.echo(found)
    click.echo(f"the credential is kept in {settings.credential_file} (0600)")


def _given(system: str, base_url: str | None) -> Credential:
    """The credential from the environment, else from stdin (asked for, at a terminal)."""
    from leadtui.crm.opening import CLIENT_ID_ENV, TOKEN_ENV, Credential, from_environment

    given = from_environment(system)
    if system == "hubspot":
        token = given.token if given else _line(f"Paste the {system} token, then Enter:")
        if not token:
            raise UserError(f"no token: give it on stdin or in {TOKEN_ENV}")
        return Credential(system, token)
    client_id = (given.client_id if given else "") or _line(
        "Paste the connected app's consumer key, then Enter:"
    )
    secret = (given.token if given else "") or _line("Paste its consumer secret, then Enter:")
    login_url = (given.login_url if given else "") or (
        base_url or _line("Your org's My Domain URL (https://NAME.my.salesforce.com):")
    )
    if not client_id or not secret:
        raise UserError(
            "no consumer key or secret: give them on stdin (a line each) or in "
            f"{CLIENT_ID_ENV} and {TOKEN_ENV}"
        )
    if not login_url.startswith(("https://", "http://")):
        raise UserError(
            f"{login_url or 'nothing'!r} is not a My Domain URL: it reads "
            "https://NAME.my.salesforce.com"
        )
    return Credential(system, secret, client_id=client_id, login_url=login_url)


def _line(prompt: str) -> str:
    if sys.stdin.isatty():
        click.echo(prompt, err=True)
    return sys.stdin.readline().strip()


@crm.command(epilog="Examples:\n\n  leadtui crm pull\n\n  leadtui crm pull --json")
@click.option("--json", "as_json", is_flag=True, help="Print the round's summary as JSON.")
@pass_context
def pull(context: Context, as_json: bool) -> None:
    """Pull the leads the CRM handed to sales since the last pull."""
    _round(context, as_json, push=False, pull=True)


@crm.command(
    epilog="Examples:\n\n  leadtui crm push\n\n  leadtui crm push --json\n\n"
    "  leadtui crm push --retry-refused"
)
@click.option("--json", "as_json", is_flag=True, help="Print the round's summary as JSON.")
@click.option(
    "--retry-refused",
    is_flag=True,
    help="Send the pushes the CRM refused again (after the mapping or the CRM was fixed); "
    "each is looked for first, so none is made twice.",
)
@pass_context
def push(context: Context, as_json: bool, retry_refused: bool) -> None:
    """Push every attempt and move logged on the CRM's leads, each once."""
    _round(context, as_json, push=True, pull=False, retry_refused=retry_refused)


@crm.command(epilog="Examples:\n\n  leadtui crm status\n\n  leadtui crm status --json")
@click.option("--json", "as_json", is_flag=True, help="Print the state as JSON.")
@pass_context
def status(context: Context, as_json: bool) -> None:
    """Where this file stands with the CRM: the pull's cursor, pushes waiting and
    refused, the last error, the API budget left (no request is made)."""
    from leadtui.crm.rounds import meta_key
    from leadtui.crm.status import state_of

    system = _system(context)
    store = context.open_store()
    state = state_of(store, system, meta_key)
    if as_json:
        click.echo(json.dumps(state, indent=2, default=str))
        return
    for line in _status_lines(state):
        click.echo(line)


def _system(context: Context) -> str:
    settings = context.settings.crm
    credential = _kept(context)
    system = settings.system or (credential.system if credential else None)
    if system is None:
        raise UserError(
            "no CRM connected: `leadtui crm connect hubspot` (a token on stdin) or "
            "`leadtui crm connect salesforce` (a connected app's key and secret)"
        )
    return system


def _kept(context: Context) -> Credential | None:
    from leadtui.crm import CrmError
    from leadtui.crm.opening import kept

    try:
        return kept(context.settings.crm)
    except CrmError as error:
        raise UserError(str(error)) from None


def _connector(context: Context) -> Connector:
    from leadtui.crm import CrmError
    from leadtui.crm.opening import connector

    settings = context.settings.crm
    credential = _kept(context)
    if credential is None:
        raise UserError(
            "no CRM credential: `leadtui crm connect hubspot|salesforce` keeps one "
            "(or set LEADTUI_CRM_TOKEN and [crm] system)"
        )
    try:
        return connector(settings, credential)
    except CrmError as error:
        raise UserError(str(error)) from None


def _round(
    context: Context, as_json: bool, *, push: bool, pull: bool, retry_refused: bool = False
) -> None:
    from leadtui.crm import CrmError

    if context.settings.server:
        raise UserError(
            f"this file syncs with the team server {context.settings.server}: the CRM "
            "rounds run on the team's file there (`leadtui crm ... --db TEAM.db`)"
        )
    remote = _connector(context)
    store = context.open_store(create=pull)
    desk = Desk(store, context.agreement(), context.clock(store), rep=None)
    try:
        done = desk.crm_round(remote, push=push, pull=pull, retry_refused=retry_refused)
    except CrmError as error:
        raise UserError(str(error)) from None
    finally:
        remote.close()
    _print_round(done, as_json)


def _print_round(done: CrmRound, as_json: bool) -> None:
    if as_json:
        payload = {
            "pushed": done.pushed,
            "already_there": done.already,
            "refused": [
                {"event": r.event_id, "kind": r.kind, "lead": r.lead_name, "reason": r.reason}
                for r in done.refused
            ],
            "imported": done.imported,
            "updated": done.updated,
            "new_mqls": done.new_mqls,
            "rejected": done.rejected,
            "waiting": done.waiting,
            "sent_again": done.sent_again,
            "failed": done.failed,
        }
        click.echo(json.dumps(payload, indent=2))
        return
    click.echo(
        (f"{done.sent_again} refused sent again · " if done.sent_again else "")
        + f"pushed {done.pushed} · pulled {done.imported} new, {done.updated} updated · "
        f"{done.waiting} waiting"
        + (f" · {done.already} already there" if done.already else "")
        + (f" · {done.failed} failed, tried again next round" if done.failed else "")
    )
    for refusal in done.refused:
        click.echo(f"  refused: {refusal.lead_name}'s {refusal.kind}: {refusal.reason}")
    for rejected in done.rejected:
        click.echo(f"  not kept: {rejected}")


def _status_lines(state: dict[str, Any]) -> list[str]:
    budget = state["budget"]
    daily = (
        f"{budget['daily_left']:,} of {budget['daily_max']:,} requests left today"
        if budget.get("daily_left") is not None and budget.get("daily_max")
        else "API budget not known yet"
    )
    lines = [
        f"{state['system']}: {state['linked']} leads linked · pulled up to "
        f"{_shown(state['cursor']) or 'nothing yet'} · last round "
        f"{_shown(state['last_round']) or 'never'}",
        f"pushes: {state['waiting']} waiting ({state['unsure']} being checked), "
        f"{state['done']} done, {state['refused']} refused · {daily}",
    ]
    if state["paused_until"]:
        lines.append(f"paused until {_shown(state['paused_until'])} (the API limit)")
    if state["last_error"]:
        lines.append(f"last error: {state['last_error']}")
    for refusal in state["refusals"]:
        lines.append(f"  refused: {refusal['lead']}'s {refusal['kind']}: {refusal['reason']}")
    return lines


def _shown(moment: str | None) -> str:
    """A moment kept as ISO 8601 as a person reads it: '2026-11-17 09:00 UTC'."""
    from datetime import UTC, datetime

    if not moment:
        return ""
    try:
        at = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    except ValueError:
        return moment
    if at.tzinfo is not None:
        at = at.astimezone(UTC)
    return f"{at:%Y-%m-%d %H:%M} UTC"
