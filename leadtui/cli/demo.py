"""`leadtui demo`: write a deterministic demo database."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from leadtui.cli.context import Context, pass_context
from leadtui.demo import DEMO_LEADS, DEMO_SEED
from leadtui.demo.generator import generate


@click.command(
    epilog="Examples:\n\n  leadtui demo --out demo.db            (the committed demo.db)\n\n"
    "  leadtui demo --leads 1000000 --seed 1 --out big.db"
)
@click.option("--leads", default=DEMO_LEADS, show_default=True, type=click.IntRange(1))
@click.option("--seed", default=DEMO_SEED, show_default=True, type=int)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The new database file; refused if it exists, unless --force.",
)
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@pass_context
def demo(context: Context, leads: int, seed: int, out: Path, force: bool) -> None:
    """Generate demo leads, activities, reps and a past of attempts and outcomes.

    The same --leads and --seed always give the same data.
    """
    terms = context.agreement()
    if force:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{out}{suffix}").unlink(missing_ok=True)
    if leads >= 50_000:
        bar = click.progressbar(length=leads, label="Generating", file=sys.stderr)
        with bar:
            summary = generate(out, leads=leads, seed=seed, agreement=terms, progress=bar.update)
    else:
        summary = generate(out, leads=leads, seed=seed, agreement=terms)
    rate = summary.leads / summary.seconds if summary.seconds else float("inf")
    click.echo(
        f"{out}: {summary.leads:,} leads · {summary.activities:,} activities · "
        f"{summary.mqls:,} MQLs · {summary.events:,} events in {summary.seconds:.1f} s "
        f"({rate:,.0f} leads/s)"
    )
