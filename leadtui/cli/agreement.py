"""`leadtui agreement`: print the qualified-lead definition in force, or check a file."""

from __future__ import annotations

from pathlib import Path

import click

from leadtui.cli.context import Context, pass_context
from leadtui.core import agreement as agreement_file


@click.group(
    epilog="Examples:\n\n  leadtui agreement show > agreement.toml\n\n"
    "  leadtui agreement check agreement.toml"
)
def agreement() -> None:
    """The qualified-lead agreement between marketing and sales."""


@agreement.command(epilog="Example:\n\n  leadtui agreement show > agreement.toml")
@pass_context
def show(context: Context) -> None:
    """Print the agreement in force (the shipped default unless setting 'agreement' names one).

    Save it, edit it with marketing, and point the 'agreement' setting at it.
    """
    path = context.settings.agreement
    agreement_file.load(path)  # refuse to print a file that would not run
    text = agreement_file.default_text() if path is None else path.read_text("utf-8")
    click.echo(text, nl=False)


@agreement.command(epilog="Example:\n\n  leadtui agreement check agreement.toml")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def check(file: Path) -> None:
    """Validate FILE; list every problem with its line and field."""
    try:
        terms = agreement_file.load(file)
    except agreement_file.AgreementError as error:
        for problem in error.problems:
            click.echo(f"leadtui: {error.describe(problem)}", err=True)
        raise click.exceptions.Exit(1) from None
    click.echo(
        f"{file}: valid. fit hurdle {terms.fit_hurdle}, MQL threshold {terms.mql_threshold}; "
        f"{len(terms.fit)} fit, {len(terms.engagement)} engagement and "
        f"{len(terms.negative)} negative rules; SLA in {terms.sla.time_zone}"
    )
