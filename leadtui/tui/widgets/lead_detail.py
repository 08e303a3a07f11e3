"""A lead's detail: the contact card with its gaps flagged, the SLA clock and the next
step, why the lead sits where it does, the rationale, factor bars that add up to the
score, and the timeline. Shown beside the queue when the terminal is wide, and as a
screen of its own when it is not."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import Static

from leadtui.core import rationale, sla
from leadtui.core import timeline as told
from leadtui.core.agreement import Agreement
from leadtui.core.calendar import BusinessCalendar
from leadtui.core.models import Activity, Event, Lead
from leadtui.core.readiness import readiness
from leadtui.core.scoring import Group, Score
from leadtui.core.sources import source_words
from leadtui.desk import Detail
from leadtui.tui.widgets.sla_badge import MARKS

SLA_COLOURS = {
    "breached": "$error",
    "due soon": "$warning",
    "on track": "$success",
    "paused": "$text-muted",
    "met": "$success",
    "no clock": "$text-muted",
    "no SLA": "$text-muted",
}
BAR_WIDTH = 12
TIMELINE = 25  # entries shown, newest first


class LeadDetail(VerticalScroll, can_focus=False):
    """The detail of the highlighted lead; `show` hands it what a worker loaded."""

    def __init__(self, agreement: Agreement, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.agreement = agreement
        self.calendar = BusinessCalendar(agreement.sla)

    def compose(self) -> ComposeResult:
        yield Static("Move to a lead to see its detail.", id="detail-body")

    def show(self, detail: Detail, *, now: datetime, place: str, owner: str) -> None:
        text = "\n".join(describe(detail, self.agreement, self.calendar, now, place, owner))
        self.query_one("#detail-body", Static).update(text)

    def clear(self, words: str) -> None:
        self.query_one("#detail-body", Static).update(escape(words))


def describe(
    detail: Detail,
    agreement: Agreement,
    calendar: BusinessCalendar,
    now: datetime,
    place: str,
    owner: str,
) -> list[str]:
    """The detail as lines of Textual markup (theme variables, so any theme works)."""
    lead = detail.lead
    score = detail.score
    ready = readiness(lead, score, agreement)
    lines = card(lead, ready.missing, ready.not_legitimate, owner)
    reading = sla.read(lead, agreement.sla, calendar, now)
    colour = SLA_COLOURS[reading.state.value]
    lines += [
        "",
        f"[b]SLA[/b] [{colour}]{MARKS[reading.state]} {reading.state.value}[/]: "
        f"{escape(reading.words)}",
    ]
    if reading.suggestion:
        lines.append(f"  [$warning]suggested:[/] {escape(reading.suggestion)}")
    took, connect = sla.speed_to_lead(calendar, lead)
    if took is not None:
        lines.append(
            f"  first touch {sla.duration(took)} after hand-off"
            + (f", first connect {sla.duration(connect)}" if connect is not None else "")
        )
    if place:
        lines.append(f"  [$text-muted]{escape(place)}[/]")
    lines += ["", "[b]Why[/b]"]
    lines += [f"  {escape(line)}" for line in rationale.long(lead, score, ready, agreement, now)]
    lines += ["", *factor_bars(score, lead.score)]
    lines += ["", "[b]Timeline[/b] [$text-muted](newest first)[/]"]
    lines += timeline(detail.events, detail.activities, agreement, calendar)
    return lines


def card(lead: Lead, missing: tuple[str, ...], suspect: tuple[str, ...], owner: str) -> list[str]:
    """Name, title, company and contact fields; a blank required field or a free-mail
    address is flagged in words, not only in colour."""
    flags = {field: "missing" for field in missing}
    flags |= {p.partition(": ")[0]: p.partition(": ")[2] for p in suspect}

    def field(label: str, name: str, value: object) -> str:
        shown = escape(str(value)) if value not in (None, "") else "[$text-muted]—[/]"
        flag = f"  [$error]⚠ {escape(flags[name])}[/]" if name in flags else ""
        return f"  {label:<9}{shown}{flag}"

    stage = lead.stage.value.replace("_", " ")
    place = ", ".join(part for part in (lead.city, lead.region, lead.country) if part)
    size = f"{lead.employees:,} people" if lead.employees else ""
    return [
        f"[b]{escape(lead.name or '(no name)')}[/b]  [$text-muted]lead {lead.id} · {stage}"
        f" · {escape(owner)}[/]",
        field("Title", "title", lead.title),
        field("Company", "company", lead.company),
        field("Email", "email", lead.email),
        field("Phone", "phone", lead.phone),
        field("Where", "city", place),
        field("Size", "employees", size),
        field("Industry", "industry", lead.industry),
        field("Source", "source", source_words(lead.source)),
    ]


def factor_bars(score: Score, shown_total: int) -> list[str]:
    """Each factor with a bar, by group; the factors add up to the score shown."""
    biggest = max((abs(f.points) for f in score.factors), default=1) or 1
    lines = [f"[b]Score {shown_total}[/b] = fit {score.fit} + engagement {score.engagement}"]
    for group, title in (
        (Group.FIT, "Fit"),
        (Group.ENGAGEMENT, "Engagement"),
        (Group.NEGATIVE, "Negative"),
    ):
        factors = [f for f in score.factors if f.group is group]
        if not factors:
            continue
        total = sum(f.points for f in factors)
        lines.append(f"  {title} {rationale.signed(total) if total else '0'}")
        for factor in sorted(factors, key=lambda f: -abs(f.points)):
            cells = max(1, round(abs(factor.points) / biggest * BAR_WIDTH))
            colour = (
                "$error"
                if factor.points < 0
                else ("$primary" if factor.side is Group.FIT else "$accent")
            )
            lines.append(
                f"    {rationale.signed(factor.points):>4} [{colour}]{'▮' * cells:<{BAR_WIDTH}}[/] "
                f"{escape(factor.label)}"
            )
    if score.total != shown_total:  # never expected: the store keeps them equal
        lines.append(f"  [$error]factors add up to {score.total}; rescore to refresh[/]")
    return lines


def timeline(
    events: list[Event],
    activities: list[Activity],
    agreement: Agreement,
    calendar: BusinessCalendar,
) -> list[str]:
    zone = calendar.zone
    entries = told.entries(events, activities, agreement, zone)
    lines = []
    for entry in entries[:TIMELINE]:
        words = escape(entry.words)
        if entry.taken_back:
            words = f"[strike]{words}[/strike] [$text-muted](taken back)[/]"
        elif entry.by_the_lead:
            words = f"[$text-muted]{words}[/]"
        lines.append(f"  {entry.at.astimezone(zone):%a %d %b %H:%M}  {words}")
    if len(entries) > TIMELINE:
        lines.append(f"  [$text-muted]… and {len(entries) - TIMELINE} earlier[/]")
    return lines or ["  [$text-muted]nothing yet[/]"]
