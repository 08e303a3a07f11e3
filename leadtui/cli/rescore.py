"""`leadtui rescore`: score every lead again and announce the new MQLs."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import click

from leadtui.cli.context import Context, pass_context
from leadtui.cli.moments import DAY, INSTANT, Moment
from leadtui.core import rationale
from leadtui.core.scoring import Score
from leadtui.store import Store

LONG_RUN = 100_000  # leads; past this a terminal shows the run ticking


@click.command(
    epilog="Examples:\n\n  leadtui rescore\n\n  leadtui rescore --json | jq '.new_mqls[].email'\n\n"
    "  leadtui --db demo.db rescore --at 2026-11-17T16:40:00Z"
)
@click.option("--lead", "lead_ids", type=int, multiple=True, help="Only this lead (repeatable).")
@click.option(
    "--at",
    type=Moment(INSTANT + DAY),
    help="Score as of this instant (UTC) instead of now.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON, for scripts.")
@pass_context
def rescore(
    context: Context, lead_ids: tuple[int, ...], at: datetime | None, as_json: bool
) -> None:
    """Recompute every lead's score from the agreement, in one transaction.

    Engagement decays with time, so run this regularly (for example hourly); each lead
    that crosses the MQL threshold is handed to sales with a became_mql event.
    """
    terms = context.agreement()
    store = context.open_store()
    now = context.clock(store).now() if at is None else _utc(at)
    with _ticking(store, len(lead_ids)):
        result = store.rescore(terms, now, lead_ids=lead_ids or None)
    new = []
    for lead_id in result.new_mqls:
        lead = store.lead(lead_id)
        line = rationale.short(lead, Score(tuple(store.factors(lead_id))), now)
        new.append((lead, line))
    if as_json:
        payload = {
            "at": now.isoformat(),
            "leads": result.leads,
            "new_mqls": [
                {
                    "id": lead.id,
                    "name": lead.name,
                    "company": lead.company,
                    "email": lead.email,
                    "source": lead.source,
                    "score": lead.score,
                    "fit": lead.fit,
                    "engagement": lead.engagement,
                    "rationale": line,
                }
                for lead, line in new
            ],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    plural = "" if len(new) == 1 else "s"
    click.echo(f"rescored {result.leads:,} leads · {len(new)} new MQL{plural}")
    for lead, line in new:
        click.echo(f"  new MQL  {lead.score:>3}  {lead.name} ({lead.company}): {line}")


@contextmanager
def _ticking(store: Store, named: int) -> Iterator[None]:
    """On a terminal, a line that shows a long run is alive: SQLite calls back every
    few million steps, and the line says how long it has been going."""
    leads = named or store.lead_count()
    if leads < LONG_RUN or not sys.stderr.isatty():
        yield
        return
    began = time.monotonic()

    def tick() -> int:
        sys.stderr.write(f"\rrescoring {leads:,} leads · {time.monotonic() - began:.0f} s ")
        sys.stderr.flush()
        return 0  # go on

    try:
        with store.reporting_progress(tick, 2_000_000):
            yield
    finally:
        sys.stderr.write("\r" + " " * 40 + "\r")


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
