"""`leadtui queue`: the rep's queue as the app orders it, one line a lead."""

from __future__ import annotations

import json
import shutil
import textwrap

import click

from leadtui.cli.context import Context, UserError, pass_context
from leadtui.core import rationale
from leadtui.core.queue import place
from leadtui.core.scoring import Score
from leadtui.desk import Desk
from leadtui.store import View
from leadtui.tui.widgets.sla_badge import badge


@click.command(
    epilog="Examples:\n\n  leadtui --as dana queue\n\n"
    "  leadtui --as dana queue --view unassigned --limit 5 --json"
)
@click.option(
    "--view",
    type=click.Choice([view.value for view in View]),
    default=View.MINE.value,
    show_default=True,
    help="mine: your open leads; unassigned: MQLs nobody claimed; all: every open lead.",
)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a lead, for scripts.")
@pass_context
def queue(context: Context, view: str, limit: int, as_json: bool) -> None:
    """Your queue in the app's order: breached and due soon first, then by score; a
    snoozed lead waits among the rest until it wakes."""
    store = context.open_store()
    desk = Desk(store, context.agreement(), context.clock(store), context.settings.rep)
    if view == View.MINE.value and desk.rep is None:
        raise UserError("say whose queue: leadtui --as REP queue (or --view unassigned)")
    now = desk.now()
    page = desk.queue(View(view), limit=limit)
    factors = store.factors_of([row.id for row in page.leads])
    day = desk.calendar.day_length()
    width = max(shutil.get_terminal_size((80, 24)).columns, 60)
    for position, row in enumerate(page.leads, start=1):
        reading = desk.clock_of(row, now)
        why = rationale.short(row, Score(tuple(factors.get(row.id, []))), now)
        owner = desk.name_of(row.owner) if row.owner else "unassigned"
        if as_json:
            click.echo(
                json.dumps(
                    {
                        "id": row.id,
                        "name": row.name,
                        "company": row.company,
                        "stage": row.stage.value,
                        "owner": row.owner,
                        "score": row.score,
                        "sla": {"state": reading.state.value, "words": reading.words},
                        "place": place(position, row.score, reading, now, desk.calendar.zone),
                        "rationale": why,
                    },
                    ensure_ascii=False,
                )
            )
            continue
        click.echo(
            f"{row.id:>7}  {badge(reading, day):<12} {row.score:>4}  {row.name} "
            f"({row.company}) · {row.stage.value.replace('_', ' ')} · {owner}"
        )
        click.echo(textwrap.fill(why, width - 1, initial_indent=" " * 9, subsequent_indent=" " * 9))
    if not page.leads and not as_json:
        click.echo(f"nothing in the {view} view")
    elif page.next is not None and not as_json:
        click.echo(f"… more: --limit {min(limit * 2, 1000)}")
