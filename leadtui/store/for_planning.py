"""What the threshold planner reads: the complete leads over the fit hurdle whose score
could have risen in a stretch of time (they arrived in it, or did something in it),
each with its activities; one set-based query, read lead by lead as it streams."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime

from leadtui.core import collector
from leadtui.core.agreement import Agreement
from leadtui.core.replay import Arrival
from leadtui.store import rows
from leadtui.store.errors import translate
from leadtui.store.opened import OpenedFile
from leadtui.store.readiness_sql import is_mql


class ForPlanning(OpenedFile):
    """The planner's read over the store's connection; Store mixes it in."""

    def arrivals(self, since: datetime, until: datetime, agreement: Agreement) -> Iterator[Arrival]:
        """Each lead with its required information complete and its fit (as last
        scored) at the agreement's hurdle or over it, that arrived from `since` up to
        (not including) `until` or had an activity then: (fit, arrived at, all its
        activities before `until` as (kind, at)), in the order of the leads' ids. A
        lead that did neither cannot have reached a new score then: between
        activities a score only falls."""
        # The score test is left out: the planner asks at every threshold at once.
        ready, params = is_mql(agreement, score=":mql_threshold")
        params |= {"since": rows.epoch(since), "until": rows.epoch(until)}
        sql = (
            "WITH ready AS (SELECT id, created_at, fit FROM leads "
            f"WHERE created_at < :until AND {ready} AND (created_at >= :since OR EXISTS ("
            "  SELECT 1 FROM activities w WHERE w.lead_id = leads.id "
            "  AND w.at >= :since AND w.at < :until))) "
            "SELECT r.id, r.created_at, r.fit, a.kind, a.at FROM ready r "
            "LEFT JOIN activities a ON a.lead_id = r.id AND a.at < :until ORDER BY r.id"
        )
        try:
            cursor = self._conn.execute(sql, params)
            with collector.held_off():
                current: int | None = None
                fit = arrived_at = 0
                activities: list[tuple[str, int]] = []
                for lead_id, created_at, lead_fit, kind, at in cursor:
                    if lead_id != current:
                        if current is not None:
                            yield fit, arrived_at, activities
                        current, fit, arrived_at, activities = lead_id, lead_fit, created_at, []
                    if kind is not None:
                        activities.append((kind, at))
                if current is not None:
                    yield fit, arrived_at, activities
        except sqlite3.Error as error:
            raise translate(error, self.path) from None
