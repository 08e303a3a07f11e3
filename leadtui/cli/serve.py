"""`leadtui serve`: the team server, over one SQLite file or a PostgreSQL database."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from leadtui.cli.context import Context, UserError, pass_context
from leadtui.core.models import Rep, Role
from leadtui.settings import agreement_in_force

if TYPE_CHECKING:
    from leadtui.crm import Connector
    from leadtui.server.storage import TeamStore

DB = click.option(
    "--db",
    "database",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The team's database file (default: setting 'database').",
)


@click.group(
    invoke_without_command=True,
    epilog="Examples:\n\n  leadtui serve --db team.db --port 8765\n\n"
    "  leadtui serve --database postgresql://leadtui@db.internal/sales --pool 20\n\n"
    "  leadtui serve --db team.db add-rep 'Dana Whitfield' --role rep",
)
@DB
@click.option(
    "--database",
    "url",
    envvar="LEADTUI_SERVER_DATABASE",
    metavar="URL",
    help="Keep the team in PostgreSQL instead of a file: postgresql://user@host/name "
    "(or set LEADTUI_SERVER_DATABASE; a password is best kept in ~/.pgpass or PGPASSWORD). "
    "Needs the 'postgres' extra.",
)
@click.option(
    "--pool",
    type=click.IntRange(1, 500),
    default=10,
    show_default=True,
    help="PostgreSQL: the most connections each server process opens (one stays open, "
    "more as requests come), so the most requests it serves at once.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="PostgreSQL: server processes, each with its own pool (about one per core).",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8765, show_default=True)
@click.option("--openapi", is_flag=True, help="Print the API's OpenAPI document and stop.")
@click.pass_context
def serve(
    click_context: click.Context,
    database: Path | None,
    url: str | None,
    pool: int,
    workers: int,
    host: str,
    port: int,
    openapi: bool,
) -> None:
    """Run the team server (needs the 'server' extra: pip install 'leadtui[server]').
    Reps sync with it over HTTP, each with a token. It keeps the team in one file
    (--db), or in PostgreSQL (--database) for a floor of reps."""
    context: Context = click_context.obj
    if database is not None and url is not None:
        raise UserError("--db (a file) and --database (PostgreSQL): choose one")
    if workers > 1 and url is None:
        raise UserError("--workers needs --database: a file has one writer, so one process")
    if database is not None:
        context.use_database(database)
    click_context.meta["leadtui.team"] = (url, pool)
    if click_context.invoked_subcommand is not None:
        return
    try:
        import uvicorn

        from leadtui.server.app import make_server
    except ImportError:
        raise UserError(
            "the team server needs the 'server' extra: pip install 'leadtui[server]'"
        ) from None
    if openapi:
        with _team(context, url, pool) as team:
            click.echo(json.dumps(make_server(team).openapi(), indent=2, sort_keys=True))
        return
    crm = _crm_of(context, url)
    with _team(context, url, pool) as team:
        rounds = None
        if crm is not None:
            from leadtui.server.crm_rounds import TeamCrm
            from leadtui.server.on_file import FileTeam

            assert isinstance(team, FileTeam)
            rounds = TeamCrm(team, *crm, context.settings.crm.every_minutes * 60)
        app = make_server(team, crm=rounds)
        click.echo(f"leadtui team server on http://{host}:{port} over {team.where}", err=True)
        if rounds is not None:
            click.echo(
                f"running the team's {rounds.system} rounds every "
                f"{context.settings.crm.every_minutes} min (how they stand: "
                f"`leadtui crm status --db {team.where}`, or GET /crm as a team lead)",
                err=True,
            )
            rounds.start()
        try:
            if workers == 1:
                uvicorn.run(app, host=host, port=port, log_level="warning")
                return
        finally:
            if rounds is not None:
                rounds.stop()
    assert url is not None
    from leadtui.server import workers as processes

    processes.settle(url, pool, agreement_in_force(context.settings))
    uvicorn.run(
        "leadtui.server.workers:app",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
    )


@serve.command(
    "add-rep", epilog="Example:\n\n  leadtui serve --db team.db add-rep 'Dana Whitfield'"
)
@click.argument("name")
@click.option("--id", "rep_id", help="The rep's id (default: the first name, lower case).")
@click.option("--role", type=click.Choice(["rep", "lead"]), default="rep", show_default=True)
@pass_context
def add_rep(context: Context, name: str, rep_id: str | None, role: str) -> None:
    """Add a rep (or give an existing one a new token) and print the token once."""
    rep_id = rep_id or name.split()[0].casefold()
    with _team(context, *click.get_current_context().meta["leadtui.team"]) as team:
        token = team.add_rep(Rep(id=rep_id, name=name, role=Role(role)))
    click.echo(f"token for {rep_id} (shown once; give it to {name}):", err=True)
    click.echo(token)


@serve.command(
    "copy-from",
    epilog="Example:\n\n  leadtui serve --database postgresql://leadtui@db/sales copy-from team.db",
)
@click.argument("team_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def copy_from(context: Context, team_file: Path) -> None:
    """Move a team from its file to PostgreSQL: copy the file's reps (with their
    tokens), leads and log into an empty database. Reps' files go on syncing from
    where they were."""
    url, pool = click.get_current_context().meta["leadtui.team"]
    if url is None:
        raise UserError("copy-from copies into PostgreSQL: give --database URL")
    source = context.open_store(team_file, create=True)
    with _team(context, url, pool) as team:
        from leadtui.server.on_postgres import PostgresTeam
        from leadtui.server.pg_copy import NotATeamFile, NotEmpty, copy_file
        from leadtui.server.storage import Unavailable

        assert isinstance(team, PostgresTeam)
        try:
            copied = copy_file(source, team)
        except NotEmpty as error:
            raise UserError(f"{team.where}: {error}") from None
        except NotATeamFile as error:
            raise UserError(f"{team_file}: {error}") from None
        except Unavailable as error:
            raise UserError(str(error)) from None
        click.echo(
            f"copied {copied.reps} reps ({copied.tokens} with tokens), {copied.leads:,} leads "
            f"and {copied.events:,} events from {team_file} into {team.where}"
        )


def _crm_of(context: Context, url: str | None) -> tuple[str, Callable[[], Connector]] | None:
    """The CRM the server runs the team's rounds with (None: no CRM set). The PostgreSQL
    home runs none: a CRM set there is refused, in one line."""
    from leadtui.crm import CrmError
    from leadtui.crm.opening import opener

    try:
        found = opener(context.settings.crm)
    except CrmError as error:
        raise UserError(str(error)) from None
    if found is not None and url is not None:
        raise UserError(
            f"the PostgreSQL home runs no CRM rounds, and [crm] names {found[0]}: serve the "
            "team from a file (--db) to have the server run them, or take [crm] (and "
            "LEADTUI_CRM_TOKEN) out of this server's settings"
        )
    return found


@contextmanager
def _team(context: Context, url: str | None, pool: int) -> Iterator[TeamStore]:
    """The team's storage: PostgreSQL when a URL is given, else the team's file."""
    if url is None:
        from leadtui.server.on_file import FileTeam

        yield FileTeam(context.open_store(create=True), context.agreement())
        return
    try:
        from leadtui.server.on_postgres import PostgresTeam
        from leadtui.server.pg_schema import TooNew
        from leadtui.server.storage import Unavailable
    except ImportError:
        raise UserError(
            "PostgreSQL needs the 'postgres' extra: pip install 'leadtui[postgres]'"
        ) from None
    if "://" not in url and "=" not in url:
        raise UserError(
            f"--database {url} is not a PostgreSQL address (postgresql://user@host/name, "
            "or key=value pairs); for a file use --db"
        )
    try:
        team = PostgresTeam(url, context.agreement(), pool_size=pool)
    except (Unavailable, TooNew) as error:
        raise UserError(str(error)) from None
    try:
        yield team
    finally:
        team.close()
