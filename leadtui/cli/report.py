"""`leadtui report`: the team lead's figures as tables, JSON or CSV."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import click

from leadtui.cli.context import Context, UserError, pass_context
from leadtui.cli.moments import DAY, INSTANT, Moment
from leadtui.cli.tables import FORMATS, Column, Table, render
from leadtui.core import moments
from leadtui.reports import Period, Reports
from leadtui.reports.period import NAMED

KINDS = ("attempts", "sla", "breaches", "funnel", "reasons", "bands", "handoff")
DISPOSITIONS = {
    "accepted": "accepted",
    "qualified": "qualified",
    "returned_to_nurture": "returned",
    "disqualified": "disqualified",
}


@click.command(
    epilog="Examples:\n\n  leadtui report attempts --period week\n\n"
    "  leadtui report funnel --by rep --since 2026-10-01 --until 2026-10-31\n\n"
    "  leadtui report bands --format csv > bands.csv\n\n"
    "  leadtui report breaches --format json | jq '.[].lead'"
)
@click.argument("kind", type=click.Choice(KINDS))
@click.option("--period", "named", type=click.Choice(NAMED), help="Default: 30days.")
@click.option("--since", type=Moment(DAY), help="First day (YYYY-MM-DD).")
@click.option("--until", type=Moment(DAY), help="Last day, included.")
@click.option(
    "--by",
    type=click.Choice(["rep", "source"]),
    help="Group sla and funnel (default: rep / source).",
)
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
    """Figures for the team lead over a period of days in the team's time zone.

    \b
    attempts  per rep: open load vs capacity, calls, emails, connects, attempts
              per day, cadence completion, dispositions
    sla       first-touch compliance and business time to first attempt and
              first connect, by rep or source
    breaches  every lead whose first touch came late or not at all
    funnel    MQL -> SAL -> SQL -> won with rates and time per step, by source or rep
    reasons   why leads went back to marketing or were disqualified, by source
    bands     conversion to SQL by score at hand-off, in bands and deciles;
              bands that convert less than the band below are flagged
    handoff   marketing's side: qualifying to hand-off, by source

    Leads are counted in the period they were handed to sales; attempts and
    dispositions on the day they were logged. On a demo database the demo's own
    clock is "now".
    """
    terms = context.agreement()
    store = context.open_store()
    now = _utc(at) if at else context.clock(store).now()
    zone = ZoneInfo(terms.sla.time_zone)
    period = _period(named, since, until, now, zone)
    reports = Reports(store, terms, period, now)
    table = TABLES[kind](reports, by)
    click.echo(render(table, form))
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


def _title(reports: Reports, what: str) -> str:
    return f"{what}, {reports.period.words()}"


def _attempts(reports: Reports, by: str | None) -> Table:
    columns = [
        Column("rep", "Rep"), Column("name", "Name"), Column("open", "Open", "count"),
        Column("capacity", "Cap", "count"), Column("calls", "Calls", "count"),
        Column("emails", "Emails", "count"), Column("connects", "Conn", "count"),
        Column("per_day", "Attempts per day", "series"),
        Column("cadence_completion", "Cadence", "rate"),
        *(Column(key, words.capitalize(), "count") for key, words in DISPOSITIONS.items()),
        Column("reasons", "Reasons"),
    ]  # fmt: skip
    rows = []
    for rep in reports.team():
        moves: dict[str, int] = {}
        reasons: dict[str, int] = {}
        for move in rep.moves:
            moves[move.kind] = moves.get(move.kind, 0) + move.count
            if move.reason:
                reasons[move.reason] = reasons.get(move.reason, 0) + move.count
        row: dict[str, Any] = {
            "rep": rep.rep, "name": rep.name, "open": rep.open, "capacity": rep.capacity,
            "calls": rep.calls, "emails": rep.emails, "connects": rep.connects,
            "per_day": rep.per_day, "cadence_completion": rep.sla.cadence_completion,
            "reasons": ", ".join(f"{reason} {count}" for reason, count in reasons.items()),
        }  # fmt: skip
        row.update({key: moves.get(key, 0) for key in DISPOSITIONS})
        rows.append(row)
    nobody = not any(row["calls"] or row["emails"] for row in rows)
    return Table(
        _title(reports, "Attempts by rep"),
        columns,
        [] if nobody else rows,
        f"No attempts were logged {_span_words(reports)}.",
    )


def _sla(reports: Reports, by: str | None) -> Table:
    by = by or "rep"
    columns = [
        Column("group", by.capitalize()), Column("handed", "Handed", "count"),
        Column("met", "Met", "count"), Column("breached", "Breached", "count"),
        Column("waiting", "Waiting", "count"), Column("compliance", "In time", "rate"),
        Column("first_attempt_median_minutes", "1st attempt p50", "span"),
        Column("first_attempt_p90_minutes", "p90", "span"),
        Column("first_connect_median_minutes", "1st connect p50", "span"),
        Column("first_connect_p90_minutes", "p90", "span"),
        Column("cadence_completion", "Cadence", "rate"),
    ]  # fmt: skip
    rows = [
        {
            "group": figures.group or "(unassigned)",
            "handed": figures.handed,
            "met": figures.met,
            "breached": figures.breached,
            "waiting": figures.waiting,
            "compliance": figures.compliance,
            "first_attempt_median_minutes": figures.to_first_attempt.median,
            "first_attempt_p90_minutes": figures.to_first_attempt.p90,
            "first_connect_median_minutes": figures.to_first_connect.median,
            "first_connect_p90_minutes": figures.to_first_connect.p90,
            "cadence_completion": figures.cadence_completion,
        }  # fmt: skip
        for figures in reports.sla(by)
    ]
    return Table(
        _title(reports, f"First-touch SLA by {by} (business time)"),
        columns,
        rows,
        _nothing_handed(reports),
        reports.judge.calendar.day_length(),
    )


def _breaches(reports: Reports, by: str | None) -> Table:
    columns = [
        Column("lead", "Lead", "id"), Column("name", "Name"), Column("rep", "Rep"),
        Column("source", "Source"), Column("handed_at", "Handed over", "moment"),
        Column("due_at", "Due", "moment"), Column("touched_at", "First touch", "moment"),
        Column("late_minutes", "Late by", "span"),
    ]  # fmt: skip
    zone = reports.period.zone
    rows = [
        {
            "lead": breach.lead_id,
            "name": breach.name,
            "rep": breach.rep or "(unassigned)",
            "source": breach.source,
            "handed_at": breach.handed_at.astimezone(zone),
            "due_at": breach.due_at.astimezone(zone),
            "touched_at": breach.touched_at.astimezone(zone) if breach.touched_at else None,
            "late_minutes": breach.late,
        }  # fmt: skip
        for breach in reports.breaches()
    ]
    return Table(
        _title(reports, "First-touch breaches (business time late)"),
        columns,
        rows,
        f"No breaches among the leads handed over {_span_words(reports)}.",
        reports.judge.calendar.day_length(),
    )


def _funnel(reports: Reports, by: str | None) -> Table:
    by = by or "source"
    columns = [
        Column("group", by.capitalize()), Column("mql", "MQL", "count"),
        Column("sal", "SAL", "count"), Column("sql", "SQL", "count"),
        Column("won", "Won", "count"), Column("lost", "Lost", "count"),
        Column("sal_rate", "MQL>SAL", "rate"), Column("sql_rate", "SAL>SQL", "rate"),
        Column("won_rate", "SQL>won", "rate"), Column("mql_to_won", "MQL>won", "rate"),
        Column("to_sal_median_minutes", "to SAL", "days"),
        Column("to_sql_median_minutes", "to SQL", "days"),
        Column("to_won_median_minutes", "to won", "days"),
    ]  # fmt: skip
    rows = [
        {
            "group": row.group or "(unassigned)",
            "mql": row.mql,
            "sal": row.sal,
            "sql": row.sql,
            "won": row.won,
            "lost": row.lost,
            "sal_rate": row.sal_rate,
            "sql_rate": row.sql_rate,
            "won_rate": row.won_rate,
            "mql_to_won": row.mql_to_won,
            "to_sal_median_minutes": row.to_sal.median,
            "to_sql_median_minutes": row.to_sql.median,
            "to_won_median_minutes": row.to_won.median,
        }  # fmt: skip
        for row in reports.funnel(by)
    ]
    return Table(
        _title(reports, f"Funnel by {by} (median calendar time per step)"),
        columns,
        rows,
        _nothing_handed(reports),
    )


def _reasons(reports: Reports, by: str | None) -> Table:
    columns = [
        Column("source", "Source"), Column("move", "Went"), Column("reason", "Reason"),
        Column("leads", "Leads", "count"),
    ]  # fmt: skip
    rows = [
        {
            "source": move.who,
            "move": DISPOSITIONS.get(move.kind, move.kind),
            "reason": move.reason or "(none)",
            "leads": move.count,
        }
        for move in reports.reasons()
    ]
    return Table(
        _title(reports, "Returned to nurture and disqualified, by source"),
        columns,
        rows,
        f"No lead was returned to nurture or disqualified {_span_words(reports)}.",
    )


def _bands(reports: Reports, by: str | None) -> Table:
    columns = [
        Column("band", "Score at hand-off"), Column("leads", "Leads", "count"),
        Column("sql", "SQL", "count"), Column("rate", "To SQL", "rate"),
        Column("won", "Won", "count"), Column("flag", "Flag"),
    ]  # fmt: skip
    found = reports.bands()
    rows = [
        {
            "band": band.label,
            "leads": band.leads,
            "sql": band.converted,
            "rate": band.rate,
            "won": band.won,
            "flag": "inverts: converts less than the band below" if band.inverted else "",
        }  # fmt: skip
        for band in (*found.bands, *found.deciles)
    ]
    return Table(
        _title(reports, "Conversion by score band and decile"),
        columns,
        rows,
        _nothing_handed(reports),
    )


def _handoff(reports: Reports, by: str | None) -> Table:
    hours = reports.judge.terms.handoff_hours
    columns = [
        Column("source", "Source"), Column("leads", "Leads", "count"),
        Column("within", "Within", "count"), Column("compliance", "In time", "rate"),
        Column("median_minutes", "p50", "span"), Column("p90_minutes", "p90", "span"),
    ]  # fmt: skip
    rows = [
        {
            "source": figures.source,
            "leads": figures.leads,
            "within": figures.within,
            "compliance": figures.compliance,
            "median_minutes": figures.took.median,
            "p90_minutes": figures.took.p90,
        }  # fmt: skip
        for figures in reports.handoff()
    ]
    return Table(
        _title(reports, f"Marketing's hand-off: qualifying to sales within {hours:g} h"),
        columns,
        rows,
        f"No lead handed over {_span_words(reports)} says when marketing qualified it.",
        reports.judge.calendar.day_length(),
    )


def _span_words(reports: Reports) -> str:
    period = reports.period
    if period.since == period.until:
        return f"on {period.words()}"
    return f"from {period.words()}"


def _nothing_handed(reports: Reports) -> str:
    return f"No leads were handed to sales {_span_words(reports)}."


TABLES = {
    "attempts": _attempts,
    "sla": _sla,
    "breaches": _breaches,
    "funnel": _funnel,
    "reasons": _reasons,
    "bands": _bands,
    "handoff": _handoff,
}
