"""`leadtui plan threshold`: where the MQL bar should sit against the SDR team's
bandwidth, and (`--propose`) an agreement with it, through `agreement apply`."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from leadtui.cli.context import Context, UserError, pass_context
from leadtui.cli.moments import DAY, INSTANT, Moment
from leadtui.cli.proposing import in_force_text, proposal_file
from leadtui.cli.tables import FORMATS, Table, render
from leadtui.core.calendar import BusinessCalendar
from leadtui.core.planning import Plan, with_threshold
from leadtui.core.reweigh import file_diff
from leadtui.reports.plan import TABLE, ThresholdPlan, heading, suggestion, threshold_plan

MOST_WEEKS = 520  # ten years of weeks: far more than a plan needs, within the dates kept
MOST_REPS = 10_000
MOST_CAPACITY = 100_000


@click.group(epilog="Example:\n\n  leadtui plan threshold --weeks 12 --reps 9")
def plan() -> None:
    """Plans for the team lead and marketing."""


@plan.command(
    epilog="Examples:\n\n  leadtui plan threshold\n\n"
    "  leadtui plan threshold --weeks 12 --reps 9     # what if we hire two\n\n"
    "  leadtui plan threshold --format json | jq '.suggested'\n\n"
    "  leadtui plan threshold --propose && leadtui agreement apply agreement.proposed.toml"
)
@click.option(
    "--weeks",
    type=click.IntRange(1, MOST_WEEKS),
    default=8,
    show_default=True,
    help="Whole weeks (Monday to Sunday) before this one to replay.",
)
@click.option(
    "--reps",
    type=click.IntRange(0, MOST_REPS),
    help="Plan for this many reps (each at --capacity, else at the team's mean capacity).",
)
@click.option(
    "--capacity",
    type=click.IntRange(0, MOST_CAPACITY),
    help="Open leads each rep holds at capacity (default: each rep's own).",
)
@click.option("--at", type=Moment(INSTANT + DAY), help="Plan as of this instant (UTC).")
@click.option("--format", "form", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option(
    "--propose",
    is_flag=True,
    help="Write an agreement with the suggested threshold (agreement.proposed.toml) and a diff.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where --propose writes (default: agreement.proposed.toml beside the agreement in force).",
)
@pass_context
def threshold(
    context: Context,
    weeks: int,
    reps: int | None,
    capacity: int | None,
    at: datetime | None,
    form: str,
    propose: bool,
    out: Path | None,
) -> None:
    """For each MQL threshold, the MQLs a week the agreement would have handed over in
    the last weeks (each lead's score replayed over time), against the SDR team's
    bandwidth (open leads at capacity over the cadence), with the SQLs each can expect
    from the team's own hand-offs; and the lowest threshold that fits."""
    if out is not None and not propose:
        raise UserError("--out goes with --propose")
    terms = context.agreement()
    store = context.open_store()
    now = at or context.clock(store).now()
    try:
        found = threshold_plan(store, terms, now, weeks=weeks, reps=reps, capacity=capacity)
    except ValueError as wrong:
        raise UserError(str(wrong)) from None
    zone = found.weeks.zone
    day = BusinessCalendar(terms.sla).day_length()
    table = Table("\n".join(heading(found)), TABLE.columns, found.plan.rows, "", None, day, zone)
    if form == "json":
        click.echo(json.dumps(_as_json(found, json.loads(render(table, "json"))), indent=2))
    elif form == "csv":
        click.echo(render(table, "csv"))
    else:
        click.echo(render(table, "table"))
        click.echo("")
        click.echo("\n".join(suggestion(found)))
    if propose:
        _propose(context, found.plan, out, quiet=form != "table")


def _as_json(found: ThresholdPlan, rows: list[dict[str, object]]) -> dict[str, object]:
    chosen, team = found.plan.suggested, found.plan.bandwidth
    return {
        "weeks": found.plan.weeks,
        "since": found.weeks.since.isoformat(),
        "until": found.weeks.until.isoformat(),
        "replayed": found.plan.replayed,
        "bandwidth": {
            "reps": team.reps,
            "capacity": team.capacity,
            "cadence_days": team.cadence_days,
            "working_days": team.working_days,
            "mqls_per_week": round(team.per_week, 2),
        },
        "history": {
            "handed_over": found.plan.history,
            "since": found.history.since.isoformat(),
            "until": found.history.until.isoformat(),
            "enough": found.plan.enough_history,
        },
        "in_force": found.plan.in_force.threshold,
        "suggested": None if chosen is None else chosen.threshold,
        "rows": rows,
    }


def _propose(context: Context, found: Plan, out: Path | None, *, quiet: bool) -> None:
    """The agreement in force with the suggested threshold, beside it, and a diff; the
    same path as a calibration's proposal (`agreement check`, `agreement apply`)."""

    def say(line: str) -> None:
        click.echo(line, err=quiet)  # beside JSON or CSV, on stderr: the pipe stays clean

    chosen = found.suggested
    if chosen is None:
        raise UserError("there is no suggested threshold to propose: the team has no bandwidth")
    if chosen.threshold == found.in_force.threshold:
        say(f"nothing to propose: the threshold in force, {chosen.threshold}, is the suggestion")
        return
    text, name = in_force_text(context)
    try:
        proposed = with_threshold(text, chosen.threshold)
    except ValueError as wrong:
        raise UserError(str(wrong)) from None
    target = proposal_file(context, out)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(proposed, "utf-8")
    partial.replace(target)
    say(file_diff(text, proposed, name, str(target)).rstrip("\n"))
    say(
        f"wrote {target}; check it with `leadtui agreement check {target}`, "
        f"put it in force with `leadtui agreement apply {target}`"
    )
