"""Writing the demo: the same seed always writes the same leads, history and scores."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

from leadtui.core import agreement as agreement_file
from leadtui.core import scoring
from leadtui.core.agreement import Agreement
from leadtui.core.models import PROJECTION_FIELDS, Event, Lead, Projection, Stage
from leadtui.core.projection import fold
from leadtui.core.readiness import readiness
from leadtui.demo import DEMO_LEADS, DEMO_NOW, DEMO_SEED, META_NOW, words
from leadtui.demo.history import History
from leadtui.demo.people import Drawn, draw_lead
from leadtui.demo.scores import DemoScores, Happened
from leadtui.store import Store
from leadtui.store.rows import FACTOR_COLUMNS, LEAD_COLUMNS, epoch

CHUNK = 5000


@dataclass(frozen=True)
class DemoSummary:
    leads: int
    activities: int
    events: int
    mqls: int
    seconds: float


def generate(
    path: Path,
    *,
    leads: int = DEMO_LEADS,
    seed: int = DEMO_SEED,
    now: datetime = DEMO_NOW,
    agreement: Agreement | None = None,
    progress: Callable[[int], None] | None = None,
    in_bulk: bool = True,
) -> DemoSummary:
    """Write a new demo database at `path` (which must not exist yet). `in_bulk`: in
    one transaction, the indexes built once at the end (Store.in_bulk); without it,
    chunk by chunk through the indexes and triggers, to the same file."""
    if path.exists():
        raise FileExistsError(f"{path} already exists; pick another --out or remove it")
    started = time.perf_counter()
    terms = agreement or agreement_file.load()
    rng = random.Random(seed)
    history = History(rng, terms, now)
    scores = DemoScores(terms)
    zone = ZoneInfo(terms.sla.time_zone)  # the month a campaign is named for is the team's
    totals = {"activities": 0, "events": 0, "mqls": 0}
    with Store(path) as store:
        with store.in_bulk() if in_bulk else nullcontext():
            store.bulk_insert(
                "reps", ("id", "name", "team", "role", "capacity", "time_zone"), words.REPS
            )
            for first in range(1, leads + 1, CHUNK):
                batch = _Batch(scores)
                for lead_id in range(first, min(first + CHUNK, leads + 1)):
                    batch.add(draw_lead(rng, lead_id, now, zone), terms, history, now)
                batch.write(store)
                totals["activities"] += len(batch.activities)
                totals["events"] += len(batch.events)
                totals["mqls"] += batch.mqls
                if progress is not None:
                    progress(min(CHUNK, leads + 1 - first))
            store.refresh_due(terms)
        store.set_meta(META_NOW, now.isoformat())
        store.set_meta("demo_seed", str(seed))
        store.compact()  # a file to copy and commit
    return DemoSummary(leads, seconds=time.perf_counter() - started, **totals)


class _Batch:
    """Rows for one chunk of leads, written in one transaction per table."""

    def __init__(self, scores: DemoScores) -> None:
        self.scores = scores
        self.leads: list[tuple[Any, ...]] = []
        self.activities: list[tuple[Any, ...]] = []
        self.factors: list[tuple[Any, ...]] = []
        self.events: list[tuple[Any, ...]] = []
        self.mqls = 0

    def add(self, drawn: Drawn, terms: Agreement, history: History, now: datetime) -> None:
        lead, lead_id = drawn.lead, drawn.lead.id
        fit_rows, fit = self.scores.fit(lead)
        seen = self.scores.seen(drawn.activities)
        engaged_rows, engagement = self.scores.engagement(lead_id, seen, now)
        crossed = _became_mql_at(drawn, seen, fit, self.scores, terms, history, now)
        # The stored score is today's, as a rescoring run would leave it.
        scored = {"score": fit + engagement, "fit": fit, "engagement": engagement}
        if crossed is None:
            tail = _NURTURING.copy()
            tail[_SCORES] = [fit + engagement, fit, engagement]
        else:
            qualified_at, mql_at, total_then = crossed
            events = history.of(drawn, qualified_at, mql_at, total_then, fit)
            projection = fold(events).model_copy(update=scored)
            self.events += [_event_row(event) for event in events]
            self.mqls += 1
            tail = [getattr(projection, name) for name in PROJECTION_FIELDS]
            tail = [epoch(value) if isinstance(value, datetime) else value for value in tail]
            tail[_STAGE] = projection.stage.value
        self.leads.append((lead_id, lead.uid, *lead[2:16], epoch(lead.created_at), None, *tail))
        self.activities += [
            (activity.lead_id, activity.kind, epoch(activity.at), activity.detail)
            for activity in drawn.activities
        ]
        self.factors += fit_rows
        self.factors += engaged_rows

    def write(self, store: Store) -> None:
        store.bulk_insert("leads", LEAD_COLUMNS, self.leads)
        store.bulk_insert("activities", ("lead_id", "kind", "at", "detail"), self.activities)
        store.bulk_insert("score_factors", FACTOR_COLUMNS, self.factors)
        store.bulk_insert(
            "events", ("id", "lead_id", "kind", "actor", "at", "payload"), self.events
        )


# A lead marketing still holds: its projection's columns, but the scores.
_NURTURING = [
    value.value if isinstance(value, Stage) else value
    for value in (getattr(Projection(), name) for name in PROJECTION_FIELDS)
]
_STAGE = PROJECTION_FIELDS.index("stage")
_SCORES = slice(PROJECTION_FIELDS.index("score"), PROJECTION_FIELDS.index("engagement") + 1)


def _became_mql_at(
    drawn: Drawn,
    seen: list[Happened],
    fit: int,
    scores: DemoScores,
    terms: Agreement,
    history: History,
    now: datetime,
) -> tuple[datetime, datetime, int] | None:
    """When the lead qualified (the first activity that lifted it past the threshold),
    when marketing handed it over (after marketing's own delay), and its score then."""
    if fit < terms.fit_hurdle or fit + _most_engagement(drawn, terms) < terms.mql_threshold:
        return None  # not even every activity at full strength would have done it
    if not readiness(cast(Lead, drawn.lead), _NO_SCORE, terms).complete:
        return None
    place = scores.crossing(fit, seen, drawn.activities, terms.mql_threshold)
    if place is None:
        return None
    activity = drawn.activities[place]
    total = fit + scores.engagement(drawn.lead.id, seen, activity.at)[1]
    handoff = history.rng.uniform(2, terms.sla.handoff_hours * 60 * 1.3)
    handed_at = activity.at + timedelta(minutes=handoff)
    return (activity.at, handed_at, total) if handed_at < now else None


_NO_SCORE = scoring.Score(())  # what readiness needs to say whether a lead is complete


def _most_engagement(drawn: Drawn, terms: Agreement) -> int:
    """An upper bound on engagement at any moment: no decay, caps applied."""
    counts: dict[str, int] = {}
    for activity in drawn.activities:
        counts[activity.kind] = counts.get(activity.kind, 0) + 1
    return sum(min(rule.points * counts.get(rule.kind, 0), rule.cap) for rule in terms.engagement)


def _event_row(event: Event) -> tuple[Any, ...]:
    payload = json.dumps(event.payload, ensure_ascii=False)
    return (event.id, event.lead_id, event.kind.value, event.actor, epoch(event.at), payload)
