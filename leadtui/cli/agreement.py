"""`leadtui agreement`: print the qualified-lead definition in force, or check a file."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import click

from leadtui.cli.context import Context, pass_context
from leadtui.core import agreement as agreement_file
from leadtui.core.kept_columns import against_the_leads, reads_columns
from leadtui.settings import agreement_in_force, default_agreement_file


@click.group(
    epilog="Examples:\n\n  leadtui agreement show > agreement.toml\n\n"
    "  leadtui agreement check agreement.toml"
)
def agreement() -> None:
    """The qualified-lead agreement between marketing and sales."""


@agreement.command(epilog="Example:\n\n  leadtui agreement show > agreement.toml")
@pass_context
def show(context: Context) -> None:
    """Print the agreement in force: the file setting 'agreement' names, else the one
    `leadtui agreement apply` put in the config folder, else the shipped default.

    Save it, edit it with marketing, and apply it (or point the 'agreement' setting at it).
    """
    path = agreement_in_force(context.settings)
    agreement_file.load(path)  # refuse to print a file that would not run
    text = agreement_file.default_text() if path is None else path.read_text("utf-8")
    click.echo(text, nl=False)


@agreement.command(epilog="Example:\n\n  leadtui agreement check agreement.toml")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_context
def check(context: Context, file: Path) -> None:
    """Validate FILE; list every problem with its line and field. Rules on columns the
    lead import kept are also held against the leads in the database, when there is one."""
    try:
        terms = agreement_file.load(file)
    except agreement_file.AgreementError as error:
        for problem in error.problems:
            click.echo(f"leadtui: {error.describe(problem)}", err=True)
        raise click.exceptions.Exit(1) from None
    database = context.settings.database
    if database.exists() and reads_columns(terms):
        store = context.open_store()
        read = against_the_leads(file.read_text("utf-8"), terms, store.kept_column)
        for note in read.notes:
            click.echo(f"note: {note} in {database}", err=True)
        if read.problems:
            refused = agreement_file.AgreementError(str(file), read.problems)
            for problem in read.problems:
                click.echo(f"leadtui: {refused.describe(problem)}", err=True)
            raise click.exceptions.Exit(1)
    click.echo(
        f"{file}: valid. fit hurdle {terms.fit_hurdle}, MQL threshold {terms.mql_threshold}; "
        f"{len(terms.fit)} fit, {len(terms.engagement)} engagement and "
        f"{len(terms.negative)} negative rules; SLA in {terms.sla.time_zone}"
    )


@agreement.command(epilog="Example:\n\n  leadtui agreement apply agreement.proposed.toml")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_context
def apply(context: Context, file: Path) -> None:
    """Put FILE in force after checking it; the agreement it replaces is kept beside it
    with a time stamp. Run `leadtui rescore` afterwards to score every lead by it."""
    agreement_file.load(file)  # a broken proposal never replaces a working agreement
    target = context.settings.agreement or default_agreement_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = target.with_name(f"{target.stem}.{stamp}{target.suffix}")
        shutil.copyfile(target, kept)
        click.echo(f"kept the previous agreement as {kept}")
    text = file.read_text("utf-8")
    partial = target.with_name(target.name + ".partial")
    partial.write_text(text, "utf-8")
    partial.replace(target)  # all or nothing: a full disk cannot leave half a file
    click.echo(f"{target} is now the agreement in force; run `leadtui rescore` to apply it")
