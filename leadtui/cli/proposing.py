"""`leadtui calibrate HISTORY.csv --propose`: the points a history taught, as a whole
agreement file next to the one in force, with a diff."""

from __future__ import annotations

from pathlib import Path

import click

from leadtui.cli.context import Context
from leadtui.core import agreement as agreement_file
from leadtui.core.calibrate import Report
from leadtui.core.proposing import propose
from leadtui.importing import columns
from leadtui.settings import agreement_in_force, default_agreement_file


def proposal_file(context: Context, out: Path | None) -> Path:
    """Where a proposal goes: --out, else beside the agreement in force."""
    source = agreement_in_force(context.settings)
    return out or (source or default_agreement_file()).with_name("agreement.proposed.toml")


def in_force_text(context: Context) -> tuple[str, str]:
    """The agreement in force as its file reads, and its name."""
    source = agreement_in_force(context.settings)
    if source is None:
        return agreement_file.default_text(), "default agreement"
    return source.read_text("utf-8"), str(source)


def write_from_history(
    context: Context, report: Report, history: Path, out: Path | None, target: float | None
) -> None:
    terms = context.agreement()
    text, name = in_force_text(context)

    def field_of(header: str) -> str | None:
        return columns.LEAD_HEADERS.get(columns.normalise(header))

    proposal = propose(
        report,
        terms,
        text,
        field_of=field_of,
        learned_from=history.name,
        target_conversion=target,
    )
    target_file = proposal_file(context, out)
    target_file.parent.mkdir(parents=True, exist_ok=True)
    partial = target_file.with_name(target_file.name + ".partial")
    partial.write_text(proposal.text, "utf-8")
    partial.replace(target_file)
    bar = proposal.bar
    click.echo(
        f"proposed {proposal.rules} fit rules, learned on all "
        f"{report.trained_on + report.tested_on:,} closed leads (the figures above judge the "
        "method on the held-out part)"
    )
    click.echo(
        f"MQL threshold {bar.mql_threshold}, fit hurdle {bar.fit_hurdle} ({bar.words}): "
        f"{bar.passing:.0%} of held-out leads reach it and {bar.converted:.0%} of those converted"
    )
    for column, why in proposal.left_out.items():
        click.echo(f"  left out {column or '(a column with no name)'}: {why}")
    click.echo(proposal.diff(text, name, str(target_file)), nl=False)
    click.echo(
        f"wrote {target_file}; check it with `leadtui agreement check {target_file}`, "
        f"put it in force with `leadtui agreement apply {target_file}`"
    )
