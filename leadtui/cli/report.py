"""`leadtui report`: the team lead's figures as tables, JSON or CSV."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import click

from leadtui.cli.context import Context, UserError, pass_context
from leadtui.cli.moments import DAY, INSTANT, Moment
from leadtui.cli.tables import FORMATS, Table, render
from leadtui.core import moments
from leadtui.reports import NotScoredYet, Period, Reports, since_the_agreement
from leadtui.reports.catalogue import REPORTS
from leadtui.reports.period import NAMED
from leadtui.reports.report import Report


class ReportName(click.Choice[str]):
    """The name of a declared report, read from the catalogue when the command runs."""

    def __init__(self) -> None:
        super().__init__((), case_sensitive=True)

    @property
    def choices(self) -> Sequence[str]:
        return tuple(REPORTS)

    @choices.setter
    def choices(self, _: Sequence[str]) -> None:
        """click's constructor sets them; the catalogue has them."""


def _help() -> str:
    width = max(map(len, REPORTS)) + 2
    kinds = "\n".join(
        "\n".join(
            (name if index == 0 else "").ljust(width) + line
            for index, line in enumerate(report.about.splitlines())
        )
        for name, report in REPORTS.items()
    )
    return f"""Figures for the team lead over a period of days in the team's time zone.

\b
{kinds}

Leads are counted in the period they were handed to sales; attempts and
dispositions on the day they were logged. On a demo database the demo's own
clock is "now".
"""


def _groupings() -> tuple[list[str], str]:
    """Every grouping a report takes, and words for the option's help."""
    grouped = [report for report in REPORTS.values() if report.by]
    ways = list(dict.fromkeys(way for report in grouped for way in report.by))
    names = [report.name for report in grouped]
    which = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)
    defaults = " / ".join(report.by[0] for report in grouped)
    return ways, f"Group {which} (default: {defaults})."


GROUPINGS, GROUPING_HELP = _groupings()


@click.command(
    help=_help(),
    epilog="Examples:\n\n  leadtui report attempts --period week\n\n"
    "  leadtui report funnel --by rep --since 2026-10-01 --until 2026-10-31\n\n"
    "  leadtui report bands --format csv > bands.csv\n\n"
    "  leadtui report breaches --format json | jq '.[].lead'",
)
@click.argument("kind", type=ReportName())
@click.option(
    "--period",
    "named",
    type=click.Choice([*NAMED, "agreement"]),
    help="Default: 30days. agreement: since the agreement in force began scoring the file "
    "(after `agreement apply` and `rescore`: how the new points sort the leads since).",
)
@click.option("--since", type=Moment(DAY), help="First day (YYYY-MM-DD).")
@click.option("--until", type=Moment(DAY), help="Last day, included.")
@click.option("--by", type=click.Choice(GROUPINGS), help=GROUPING_HELP)
@click.option(
    "--at",
    type=Moment(INSTANT + DAY),
    help="Figures as of this instant (UTC) instead of now.",
)
@click.option("--format", "form", type=click.Choice(FORMATS), default="table", show_default=True)
@pass_context
def report(
    context: Context,
    kind: str,
    named: str | None,
    since: datetime | None,
    until: datetime | None,
    by: str | None,
    at: datetime | None,
    form: str,
) -> None:
    """Print one report's figures for a period (the help lists every declared report)."""
    terms = context.agreement()
    store = context.open_store()
    now = _utc(at) if at else context.clock(store).now()
    zone = ZoneInfo(terms.sla.time_zone)
    if named == "agreement":
        if since or until:
            raise UserError("--period and --since/--until: choose one")
        try:
            period = since_the_agreement(store, terms, now)
        except NotScoredYet as refused:
            raise UserError(str(refused)) from None
    else:
        period = _period(named, since, until, now, zone)
    reports = Reports(store, terms, period, now)
    click.echo(render(_table(REPORTS[kind], reports, by), form))
    if reports.left_out:
        click.echo(_left_out(reports.left_out), err=form != "table")


def _left_out(lead_ids: list[int]) -> str:
    """One line on the leads the figures leave out, naming the first few."""
    named = ", ".join(str(lead_id) for lead_id in lead_ids[:5])
    more = f" and {len(lead_ids) - 5:,} more" if len(lead_ids) > 5 else ""
    noun, hold = ("lead", "it holds") if len(lead_ids) == 1 else ("leads", "they hold")
    return (
        f"note: {len(lead_ids):,} {noun} left out (lead {named}{more}): {hold} a time "
        f"outside the dates leadtui keeps ({moments.RANGE_WORDS}); see `leadtui lead show`"
    )


def _period(
    named: str | None, since: datetime | None, until: datetime | None, now: datetime, zone: ZoneInfo
) -> Period:
    if named and (since or until):
        raise UserError("--period and --since/--until: choose one")
    if named or not (since or until):
        return Period.named(named or "30days", now, zone)
    last: date = until.date() if until else now.astimezone(zone).date()
    first: date = since.date() if since else last - timedelta(days=29)
    if first > last:
        raise UserError(f"--since {first} comes after --until {last}")
    return Period(first, last, zone)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _table(report: Report, reports: Reports, by: str | None) -> Table:
    try:
        by = report.grouping(by)
    except ValueError as wrong:
        raise UserError(str(wrong)) from None
    rows = report.rows(reports, by)
    return Table(
        f"{report.titled(reports, by)}, {reports.period.words()}",
        report.columns,
        [] if report.silent(rows) else rows,
        report.nothing(reports),
        by,
        reports.judge.calendar.day_length(),
        reports.period.zone,
    )
