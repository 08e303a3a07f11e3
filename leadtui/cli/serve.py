"""`leadtui serve`: the team server; `leadtui sync`: one round with it."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from leadtui.cli.context import Context, UserError, pass_context
from leadtui.core.models import Rep, Role
from leadtui.settings import Settings

if TYPE_CHECKING:
    from leadtui.sync import TeamServer

DB = click.option(
    "--db",
    "database",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The team's database file (default: setting 'database').",
)


@click.group(
    invoke_without_command=True,
    epilog="Examples:\n\n  leadtui serve --db team.db --port 8765\n\n"
    "  leadtui serve --db team.db add-rep 'Dana Whitfield' --role rep",
)
@DB
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8765, show_default=True)
@click.option("--openapi", is_flag=True, help="Print the API's OpenAPI document and stop.")
@click.pass_context
def serve(
    click_context: click.Context, database: Path | None, host: str, port: int, openapi: bool
) -> None:
    """Run the team server over one database (needs the 'server' extra:
    pip install 'leadtui[server]'). Reps sync with it over HTTP, each with a token."""
    context: Context = click_context.obj
    if database is not None:
        context.database = database
        context._settings = None
    if click_context.invoked_subcommand is not None:
        return
    try:
        import uvicorn

        from leadtui.server.app import make_server
        from leadtui.server.on_file import FileTeam
    except ImportError:
        raise UserError(
            "the team server needs the 'server' extra: pip install 'leadtui[server]'"
        ) from None
    terms = context.agreement()
    store = context.open_store()
    app = make_server(FileTeam(store, terms))
    if openapi:
        click.echo(json.dumps(app.openapi(), indent=2, sort_keys=True))
        return
    click.echo(f"leadtui team server on http://{host}:{port} over {store.path}", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@serve.command(
    "add-rep", epilog="Example:\n\n  leadtui serve --db team.db add-rep 'Dana Whitfield'"
)
@click.argument("name")
@click.option("--id", "rep_id", help="The rep's id (default: the first name, lower case).")
@click.option("--role", type=click.Choice(["rep", "lead"]), default="rep", show_default=True)
@pass_context
def add_rep(context: Context, name: str, rep_id: str | None, role: str) -> None:
    """Add a rep (or give an existing one a new token) and print the token once."""
    from leadtui.server import tokens

    store = context.open_store()
    rep_id = rep_id or name.split()[0].casefold()
    known = {rep.id: rep for rep in store.reps()}
    if rep_id not in known:
        store.save_rep(Rep(id=rep_id, name=name, role=Role(role)))
    token = tokens.issue(store, rep_id)
    click.echo(f"token for {rep_id} (shown once; give it to {name}):", err=True)
    click.echo(token)


@click.command(epilog="Examples:\n\n  leadtui sync\n\n  leadtui sync --json\n\n"
               "  leadtui sync --token-from-stdin < token.txt")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the round's summary as JSON.")
@click.option(
    "--token-from-stdin", is_flag=True, help="Keep the token read from stdin (file mode 0600)."
)
@pass_context
def sync(context: Context, as_json: bool, token_from_stdin: bool) -> None:
    """Push what you logged to the team server and pull what the team did (setting
    'server' names it; your token is in the 'token_file' or LEADTUI_TOKEN)."""
    from leadtui.sync import SyncError, sync_once

    settings = context.settings
    if token_from_stdin:
        _keep_token(settings.token_file, sys.stdin.read().strip())
    team = team_server(settings)
    if team is None:
        raise UserError('no team server set: add server = "https://..." to your settings')
    store = context.open_store()
    store.use(context.agreement())  # leads pulled in get their SLA deadlines
    try:
        with team() as server:
            done = sync_once(store, server, datetime.now(UTC))
    except SyncError as error:
        raise UserError(str(error)) from None
    if as_json:
        payload = {
            "pushed": done.pushed, "already_there": done.already, "pulled": done.pulled,
            "waiting": done.waiting,
            "refused": [refusal.model_dump() for refusal in done.refused],
        }  # fmt: skip
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
