"""`leadtui sync`: one round with the team server; and how the app reaches it."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from leadtui.cli.context import Context, UserError, pass_context
from leadtui.desk import Desk
from leadtui.settings import Settings

if TYPE_CHECKING:
    from leadtui.sync import TeamServer


@click.command(
    epilog="Examples:\n\n  leadtui sync\n\n  leadtui sync --json\n\n"
    "  leadtui sync --token-from-stdin < token.txt"
)
@click.option("--json", "as_json", is_flag=True, help="Print the round's summary as JSON.")
@click.option(
    "--token-from-stdin", is_flag=True, help="Keep the token read from stdin (file mode 0600)."
)
@pass_context
def sync(context: Context, as_json: bool, token_from_stdin: bool) -> None:
    """Push what you logged to the team server and pull what the team did (setting
    'server' names it; your token is in the 'token_file' or LEADTUI_TOKEN)."""
    from leadtui.sync import SyncError

    settings = context.settings
    if token_from_stdin:
        _keep_token(settings.token_file, sys.stdin.read().strip())
    team = team_server(settings)
    if team is None:
        raise UserError('no team server set: add server = "https://..." to your settings')
    # Leads pulled in get their SLA deadlines. No rep is named: the server knows us by
    # the token, and a file's first round is what brings its reps in.
    store = context.open_store(create=True)
    desk = Desk(store, context.agreement(), context.clock(store), rep=None)
    try:
        with team() as server:
            done = desk.sync_round(server)
    except SyncError as error:
        raise UserError(str(error)) from None
    if as_json:
        payload = {
            "pushed": done.pushed,
            "already_there": done.already,
            "pulled": done.pulled,
            "waiting": done.waiting,
            "refused": [refusal.model_dump() for refusal in done.refused],
        }
        click.echo(json.dumps(payload, indent=2))
        return
    click.echo(
        f"pushed {done.pushed} · pulled {done.pulled} · {done.waiting} waiting"
        + (f" · {done.already} already there" if done.already else "")
    )
    for refusal in done.refused:
        click.echo(f"  refused: lead {refusal.lead}: {refusal.reason}")


def team_server(settings: Settings) -> Callable[[], TeamServer] | None:
    """How to reach the team server the settings name (None when they name none); a
    missing token is refused here, before any work."""
    if not settings.server:
        return None
    from leadtui.sync import TeamServer

    url = settings.server
    token = os.environ.get("LEADTUI_TOKEN") or _read_token(settings.token_file)
    return lambda: TeamServer(url, token)


def _keep_token(path: Path, token: str) -> None:
    if not token:
        raise UserError("no token on stdin")
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(token + "\n")
    os.chmod(path, 0o600)


def _read_token(path: Path) -> str:
    try:
        token = path.read_text().strip()
    except OSError:
        raise UserError(
            f"no token: put yours in {path} (leadtui sync --token-from-stdin)"
        ) from None
    if not token:
        raise UserError(f"{path} is empty: put your team server token in it")
    return token
