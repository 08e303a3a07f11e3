"""`leadtui import`: leads, activities and outcomes from CSV files."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from leadtui.cli.context import Context, UserError, pass_context
from leadtui.core.clock import SystemClock
from leadtui.importing import Summary, import_activities, import_leads, import_outcomes

BIG_FILE = 20_000_000  # bytes; past this a progress bar is worth its line

FILE = click.argument("file", type=click.Path(dir_okay=False, path_type=Path))


@click.group(
    name="import",
    epilog="Examples:\n\n  leadtui import leads hubspot-export.csv --source trade_show\n\n"
    "  leadtui import activities web-visits.csv\n\n  leadtui import outcomes closed-deals.csv",
)
def import_group() -> None:
    """Bring leads, activities and outcomes in from CSV files (UTF-8).

    Bad rows go to FILE.rejects.csv with the reason; the good rows are imported.
    Importing the same file again creates no duplicates.
    """


@import_group.command(
    epilog="Examples:\n\n  leadtui import leads leads.csv\n\n"
    '  leadtui import leads export.csv --map "Job Function=title" --map "Origin=source"\n\n'
    "  leadtui import leads hubspot-crm-exports-all-contacts.csv\n\n"
    "  leadtui import leads salesforce-leads-report.csv --date-format %d/%m/%Y"
)
@FILE
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="'HEADER=field'",
    help="Read a column as a lead field (repeatable). Fields: name, first_name, last_name, "
    "email, phone, title, company, website, city, region, country, employees, revenue, "
    "industry, source, external_id, created_at, mql_at, owner, lifecycle_stage, lead_status, "
    "converted.",
)
@click.option("--source", help="Set every lead's source (e.g. trade_show), whatever the file says.")
@click.option(
    "--crm",
    type=click.Choice(["hubspot", "salesforce", "none"]),
    help="Read the file as this CRM's export (default: told from its header row; "
    "none: common headers only).",
)
@click.option(
    "--date-format",
    metavar="FORMAT",
    help="How the file writes dates that could be day/month or month/day, e.g. %d/%m/%Y "
    "or %m/%d/%Y (a time after the date is read as well).",
)
@pass_context
def leads(
    context: Context,
    file: Path,
    maps: tuple[str, ...],
    source: str | None,
    crm: str | None,
    date_format: str | None,
) -> None:
    """Import leads from a CRM or marketing-automation export.

    HubSpot contact exports and Salesforce lead reports are recognised by their
    headers (Lifecycle Stage, Contact owner, Lead Status, Lead Owner, ...): their
    MQLs are handed to sales, claimed by the rep named as owner and moved to the
    CRM's status. Other headers such as Email, Company Name, Job Title are
    recognised too; the rest is kept as custom fields. Leads are matched on
    external id, then email: a known lead gets its contact fields updated, never its
    stage. A column mapped to mql_at (e.g. "First Contact Date") hands those leads
    to sales at that date."""
    overrides = dict(_mapping(item) for item in maps)
    terms = context.agreement()
    store = context.open_store(create=True)
    with _progress(file) as tick:
        summary = import_leads(
            store,
            file,
            agreement=terms,
            now=SystemClock().now(),
            overrides=overrides,
            source=source,
            progress=tick,
            crm=crm,
            date_format=date_format,
        )
    _report(summary)


@import_group.command(epilog="Example:\n\n  leadtui import activities web-visits.csv")
@FILE
@pass_context
def activities(context: Context, file: Path) -> None:
    """Import marketing activities: columns for the lead (email or external id), the
    kind (pricing_page, roi_calculator, demo_request, webinar_attended, ...), the time,
    and optionally a detail. The leads touched are rescored at once."""
    terms = context.agreement()
    store = context.open_store(create=True)
    with _progress(file) as tick:
        summary = import_activities(
            store, file, agreement=terms, now=SystemClock().now(), progress=tick
        )
    _report(summary)


@import_group.command(
    epilog="Examples:\n\n  leadtui import outcomes closed-deals.csv\n\n"
    '  leadtui import outcomes won.csv --outcome won --map "mql_id=lead" --map "sdr_id=rep"'
)
@FILE
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="'HEADER=field'",
    help="Read a column as: lead (email or external id), outcome, at (the date), rep.",
)
@click.option(
    "--outcome",
    type=click.Choice(["won", "lost"]),
    help="Every row has this outcome (for a file of won deals with no outcome column).",
)
@pass_context
def outcomes(context: Context, file: Path, maps: tuple[str, ...], outcome: str | None) -> None:
    """Import closed deals: columns for the lead (email or external id), the outcome
    (won or lost), the date, and optionally the rep (SDR) who worked it. A rep not
    known yet is added; a lead already closed is left as it is."""
    overrides = dict(_mapping(item) for item in maps)
    store = context.open_store(create=True)
    with _progress(file) as tick:
        summary = import_outcomes(store, file, overrides=overrides, outcome=outcome, progress=tick)
    _report(summary, noun="closed")


def _mapping(item: str) -> tuple[str, str]:
    header, equals, field = item.rpartition("=")
    if not equals or not header.strip() or not field.strip():
        raise UserError(f"--map {item!r}: write it as 'Column Header=field'")
    return header.strip(), field.strip()


@contextmanager
def _progress(file: Path) -> Iterator[Callable[[int], None] | None]:
    size = file.stat().st_size if file.is_file() else 0
    if size < BIG_FILE:
        yield None
        return
    rows = max(size // 120, 1)  # a guess; the bar only has to move
    bar = click.progressbar(length=rows, label=f"Reading {file.name}", file=sys.stderr)
    with bar:
        yield bar.update


def _report(summary: Summary, noun: str = "imported") -> None:
    click.echo(summary.line(noun))
