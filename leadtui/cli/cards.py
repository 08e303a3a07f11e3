"""A lead's card on the command line: who and how to reach them, the SLA clock, why
the score is what it is, and the timeline, wrapped to the terminal."""

from __future__ import annotations

import json
import shutil
import textwrap
from typing import Any

import click

from leadtui.core import rationale, timeline
from leadtui.core.readiness import readiness
from leadtui.core.scoring import Group
from leadtui.desk import Desk, Detail

# How many timeline entries the card shows; --json gives them all.
TIMELINE = 12


def print_card(desk: Desk, detail: Detail, as_json: bool, *, long: bool = False) -> None:
    found, score = detail.lead, detail.score
    now = desk.now()
    clock = desk.clock_of(found, now)
    why = rationale.short(found, score, now)
    told = (
        timeline.entries(detail.events, detail.activities, desk.agreement, desk.calendar.zone)
        if long
        else []
    )  # only the long card tells what happened
    if as_json:
        payload: dict[str, Any] = found.model_dump(mode="json") | {
            "sla": {"state": clock.state.value, "words": clock.words},
            "rationale": why,
            "factors": [
                {"label": f.label, "group": f.group.value, "points": f.points}
                for f in score.factors
            ],
        }
        if long:
            payload["timeline"] = [
                {
                    "at": entry.at.isoformat(),
                    "words": entry.words,
                    "taken_back": entry.taken_back,
                    "by_the_lead": entry.by_the_lead,
                }
                for entry in told
            ]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    stage = found.stage.value.replace("_", " ")
    owner = found.owner or "unassigned"
    click.echo(
        f"lead {found.id} {found.name} ({found.company}): {stage}, {owner}, score {found.score}"
    )
    click.echo(f"  SLA: {clock.state.value}: {clock.words}")
    if not long:
        return
    reach = " · ".join(part for part in (found.phone, found.email) if part)
    click.echo(f"  {reach or 'no phone, no email'}")
    ready = readiness(found, score, desk.agreement)
    who, *rest = rationale.long(found, score, ready, desk.agreement, now)
    click.echo(f"  {who}")
    fit = [f for f in score.factors if f.side is Group.FIT and f.group is Group.FIT]
    click.echo(f"  score {score.total} = fit {score.fit} + engagement {score.engagement}")
    click.echo(
        "  fit: "
        + (" · ".join(f"{rationale.signed(f.points)} {f.label}" for f in fit) or "nothing yet")
    )
    for line in rest:
        click.echo(f"  {line}")
    if clock.suggestion:
        click.echo(f"  suggestion: {clock.suggestion}")
    _timeline(told, desk)


def _timeline(told: list[timeline.Entry], desk: Desk) -> None:
    """Newest first, each entry wrapped under its own text, so a note at 80 columns
    reads as a paragraph."""
    click.echo("  timeline:" if told else "  timeline: nothing yet")
    width = max(shutil.get_terminal_size((80, 24)).columns, 60)
    zone = desk.calendar.zone
    for entry in told[:TIMELINE]:
        when = f"    {entry.at.astimezone(zone):%a %d %b %Y %H:%M}  "
        words = entry.words + (" (taken back)" if entry.taken_back else "")
        click.echo(
            textwrap.fill(
                words,
                width - 1,
                initial_indent=when,
                subsequent_indent=" " * len(when),
                break_long_words=True,
                break_on_hyphens=False,
            )
        )
    if len(told) > TIMELINE:
        click.echo(f"    … and {len(told) - TIMELINE} earlier (--json shows them all)")
