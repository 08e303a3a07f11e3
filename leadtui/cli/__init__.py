"""The `leadtui` command: with no subcommand it opens the app."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from leadtui.cli.context import Context, UserError, pass_context
from leadtui.cli.errors import user_errors


def _show_version(click_context: click.Context, _option: click.Parameter, asked: bool) -> None:
    """--version: the package's version, read only when asked for."""
    if not asked or click_context.resilient_parsing:
        return
    import leadtui

    click.echo(f"leadtui, version {leadtui.__version__}")
    click_context.exit()


class Commands(click.Group):
    """The commands, each imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        from importlib import import_module

        module, name = COMMANDS[cmd_name]
        command = getattr(import_module(f"leadtui.cli.{module}"), name)
        assert isinstance(command, click.Command)
        return command


@click.group(
    cls=Commands,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Examples:\n\n  leadtui --demo\n\n  leadtui --db team.db --as dana",
)
@click.option("--demo", is_flag=True, help="Open a throw-away copy of the demo, on its own clock.")
@click.option("--as", "rep", metavar="REP", help="Work as this rep (an id such as dana).")
@click.option(
    "--db",
    "database",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The database file (default: setting 'database').",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A settings file (default: $LEADTUI_CONFIG, else the platform's config folder).",
)
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
@click.option(
    "-V",
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)
@click.pass_context
def cli(
    click_context: click.Context,
    demo: bool,
    rep: str | None,
    database: Path | None,
    config: Path | None,
    debug: bool,
) -> None:
    """Work a queue of marketing-qualified leads: who to call next, why, and by when.

    With no command, opens the app on your database.
    """
    context = Context(config_file=config, database=database, rep=rep, debug=debug)
    click_context.obj = context
    if click_context.invoked_subcommand is None:
        from leadtui.cli.app import open_app

        open_app(context, demo=demo)
    elif demo:
        raise click.UsageError("--demo opens the app; it does not go with a command")


# Each command and the module that defines it: loaded when the command is asked for
# (or --help lists them), so opening the app imports none of them.
COMMANDS = {
    "agreement": ("agreement", "agreement"),
    "calibrate": ("calibrate", "calibrate_command"),
    "crm": ("crm", "crm"),
    "demo": ("demo", "demo"),
    "import": ("importing", "import_group"),
    "lead": ("lead", "lead"),
    "next": ("lead", "next_lead"),
    "plan": ("plan", "plan"),
    "queue": ("queue", "queue"),
    "report": ("report", "report"),
    "rescore": ("rescore", "rescore"),
    "serve": ("serve", "serve"),
    "sync": ("sync", "sync"),
    "team": ("lead", "team"),
}


def main(argv: list[str] | None = None) -> int:
    """Run the command; every expected failure is one line on stderr and a non-zero exit."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        outcome = cli.main(args=argv, prog_name="leadtui", standalone_mode=False)
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.Abort:
        click.echo("leadtui: stopped", err=True)
        return 130
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except KeyboardInterrupt:
        click.echo("leadtui: stopped", err=True)
        return 130
    except Exception as error:
        if not isinstance(error, (UserError, *user_errors())):
            raise
        if debug:
            traceback.print_exc()
        click.echo(f"leadtui: {error}", err=True)
        return 1
    # Without standalone mode, click hands back the exit code of an Exit it caught.
    return outcome if isinstance(outcome, int) else 0


__all__ = ["Context", "cli", "main", "pass_context"]
