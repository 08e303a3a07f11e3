"""The threshold plan (`leadtui plan threshold`, the team review's Threshold tab): the
MQLs a week each threshold would have handed over in the last whole weeks, against the
SDR team's bandwidth, with the SQLs to expect and a suggested threshold.

It reads the store (the leads whose score could rise, the reps, the hand-offs before the weeks
planned) and leaves the arithmetic to `leadtui.core.planning` and `core.replay`. Its
table is declared as a report's is, so the command line and the team screen draw it
alike; it is not in the report catalogue, for it takes weeks and a what-if team
rather than a period, and says more than a table (the bandwidth, the suggestion).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from leadtui.core.agreement import Agreement
from leadtui.core.models import Role
from leadtui.core.planning import Conversion, Plan, Row, bandwidth, lowest_threshold, plan
from leadtui.core.replay import Arrival, replay
from leadtui.reports.period import Period
from leadtui.reports.report import Board, Column, Kind, Report
from leadtui.store import Store

HISTORY_WEEKS = 52  # the hand-offs the conversion stands on: this many weeks before


@dataclass(frozen=True)
class ThresholdPlan:
    plan: Plan
    weeks: Period  # the whole weeks planned, Monday to Sunday
    history: Period  # the hand-offs the expected SQLs stand on
    agreement: Agreement


def last_weeks(now: datetime, zone: ZoneInfo, weeks: int) -> Period:
    """The last `weeks` whole weeks, Monday to Sunday, before the week of `now`."""
    if weeks < 1:
        raise ValueError(f"--weeks must be 1 or more, not {weeks}")
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    return Period(monday - timedelta(weeks=weeks), monday - timedelta(days=1), zone)


def threshold_plan(
    store: Store,
    agreement: Agreement,
    now: datetime,
    *,
    weeks: int = 8,
    reps: int | None = None,
    capacity: int | None = None,
) -> ThresholdPlan:
    """The plan over the last `weeks` whole weeks, for the team as it is or as if it
    had `reps` reps (each at `capacity` open leads, else at the team's mean)."""
    zone = ZoneInfo(agreement.sla.time_zone)
    window = last_weeks(now, zone, weeks)
    before = window.since - timedelta(days=1)
    history = Period(window.since - timedelta(weeks=HISTORY_WEEKS), before, zone)
    capacities = [load.rep.capacity for load in store.load() if load.rep.role is Role.REP]
    team = bandwidth(capacities, agreement, reps=reps, capacity=capacity)
    handed = store.handed_over(history.first, history.last)
    conversion = Conversion.of((lead.score, lead.sql) for lead in handed)
    starts = [
        int(
            datetime.combine(
                window.since + timedelta(weeks=n), datetime.min.time(), zone
            ).timestamp()
        )
        for n in range(weeks)
    ]
    replayed = 0

    def counting() -> Iterator[Arrival]:
        nonlocal replayed
        for lead in store.arrivals(window.first, window.last, agreement):
            replayed += 1
            yield lead

    volume = replay(
        counting(),
        agreement,
        floor=lowest_threshold(agreement),
        weeks=starts,
        until=window.end,
        conversion=conversion.rate if conversion.enough else None,
    )
    found = plan(volume, agreement, team, conversion, weeks=weeks, replayed=replayed)
    return ThresholdPlan(found, window, history, agreement)


def _note(row: Row, *, arrow: str = "<- ") -> str:
    notes = []
    if row.in_force:
        notes.append(f"{arrow}in force")
    if row.suggested:
        notes.append(f"{arrow}suggested")
    if row.few_leads:
        notes.append("(few leads)")
    return " ".join(notes)


def _brief_note(row: Row) -> str:
    return _note(row, arrow="◀ ")


def figure(value: float | None) -> float | int | None:
    """A figure a week as people read it: whole above 10, one decimal below."""
    if value is None:
        return None
    if value >= 10:
        return int(value + 0.5)
    tenths = round(value, 1)
    return int(tenths) if tenths == int(tenths) else tenths


def _signed(value: float) -> str:
    shown = figure(abs(value))
    return f"{'-' if value < 0 and shown else '+'}{shown:,}"


def _load_bar(row: Row) -> float | None:
    """The bar is full at twice the bandwidth: half of it is the team at capacity."""
    return None if row.load is None else row.load / 2


TABLE = Report(
    name="threshold",
    about="MQLs a week by threshold against the SDR team's bandwidth",
    title="Threshold plan",
    empty="No leads {span}.",
    columns=(
        Column("threshold", "threshold", Kind.COUNT),
        Column("mqls_per_week", "MQLs/week", Kind.COUNT, lambda row: figure(row.mqls)),
        Column("vs_bandwidth", "vs bandwidth", Kind.RATE, lambda row: row.load, brief="vs bw"),
        Column("load_bar", "", Kind.BAR, _load_bar, width=6),
        Column(
            "expected_sqls_per_week",
            "expected SQLs/week",
            Kind.COUNT,
            lambda row: figure(row.sqls),
            brief="SQLs/week",
        ),
        Column("sql_rate", "SQL rate", Kind.RATE),
        Column("fit_hurdle", "fit hurdle", Kind.COUNT, brief="hurdle"),
        Column("note", "", Kind.TEXT, _note),
    ),
    rows=lambda reports, by: (),  # the plan is worked out by threshold_plan
    board=Board(
        columns=(
            "threshold",
            "mqls_per_week",
            "vs_bandwidth",
            "load_bar",
            "expected_sqls_per_week",
            "sql_rate",
            "fit_hurdle",
            Column("note", "", value=_brief_note),
        ),
        key=lambda row: str(row.threshold),
    ),
)


def heading(found: ThresholdPlan) -> list[str]:
    """The lines above the table: the weeks planned, and the team's bandwidth."""
    team = found.plan.bandwidth
    weeks = found.plan.weeks
    lines = [
        f"Threshold plan, last {weeks} week{'s' * (weeks != 1)} "
        f"(hand-offs replayed {found.weeks.words()})",
        f"SDR bandwidth: {team.reps} rep{'s' * (team.reps != 1)}, {team.capacity:,} open leads "
        f"at capacity, cadence {team.cadence_days} business days, {team.working_days} "
        f"working days a week -> ~{figure(team.per_week):,} new MQLs a week "
        f"({team.capacity:,} x {team.working_days} / {team.cadence_days})",
    ]
    if not found.plan.enough_history:
        lines.append(
            f"Not enough history for expected SQLs: {found.plan.history} leads were handed "
            f"over {found.history.since:%a %d %b %Y} to {found.history.until:%a %d %b %Y} "
            "(50 needed); volume only"
        )
    return lines


def suggestion(found: ThresholdPlan) -> list[str]:
    """The lines under the table: the suggested threshold and what it would change."""
    chosen, now = found.plan.suggested, found.plan.in_force
    if chosen is None:
        return ["no suggestion: the team has no bandwidth (no reps, or no capacity)"]
    sqls = f", ~{figure(chosen.sqls):,} SQLs/week" if chosen.sqls is not None else ""
    lines = [
        f"suggested: {chosen.threshold} (the lowest threshold whose volume fits the "
        f"bandwidth: ~{figure(chosen.mqls):,} MQLs/week{sqls})"
    ]
    if chosen.threshold == now.threshold:
        lines.append(f"the threshold in force, {now.threshold}, is that threshold already")
        return lines
    change = f"{_signed(chosen.mqls - now.mqls)} MQLs"
    if chosen.sqls is not None and now.sqls is not None:
        change += f" and {_signed(chosen.sqls - now.sqls)} SQLs"
    used = ""
    if now.load is not None and chosen.load is not None:
        used = f"; the team at {now.load:.0%} of its bandwidth -> {chosen.load:.0%}"
    way = "lowering" if chosen.threshold < now.threshold else "raising"
    lines.append(
        f"against {now.threshold} in force: {way} it to {chosen.threshold} means "
        f"{change} a week{used}"
    )
    return lines
