"""The store's read side: a lead, its factors and history, the queue, counts, load."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from leadtui.core.models import Activity, Event, Lead, Projection, Rep
from leadtui.core.queue import QueueRow
from leadtui.core.scoring import Factor
from leadtui.store import closed, queries, rows
from leadtui.store.errors import UnknownLead, translate
from leadtui.store.opened import OpenedFile
from leadtui.store.queries import ANY, Counts, Cursor, Filter, Load, Page, View


class Reading(OpenedFile):
    """Reads over the store's connection; Store mixes them in."""

    def reps(self) -> list[Rep]:
        return queries.reps(self._conn)

    def lead(self, lead_id: int) -> Lead:
        cursor = self._conn.execute("SELECT * FROM leads WHERE id = ?", (lead_id,))
        found = rows.dict_rows(cursor)
        if not found:
            raise UnknownLead(f"there is no lead {lead_id}")
        return rows.lead_from_row(found[0])

    def projection(self, lead_id: int) -> Projection:
        """Where the lead stands (its stage, owner, counts, version), without its card."""
        found = queries.projection(self._conn, lead_id)
        if found is None:
            raise UnknownLead(f"there is no lead {lead_id}")
        return found

    def lead_count(self) -> int:
        """Every lead in the file, whatever its stage."""
        return int(self._conn.execute("SELECT count(*) FROM leads").fetchone()[0])

    def factors(self, lead_id: int) -> list[Factor]:
        """The factors of the lead's current score, in the order they were scored."""
        return self.factors_of([lead_id]).get(lead_id, [])

    def factors_of(self, lead_ids: Sequence[int]) -> dict[int, list[Factor]]:
        """The factors of several leads (a page of the queue) in one query."""
        marks = ", ".join("?" for _ in lead_ids)
        cursor = self._conn.execute(
            f"SELECT * FROM score_factors WHERE lead_id IN ({marks}) ORDER BY lead_id, position",
            tuple(lead_ids),
        )
        found: dict[int, list[Factor]] = {}
        for row in rows.dict_rows(cursor):
            found.setdefault(row["lead_id"], []).append(rows.factor_from_row(row))
        return found

    def events(self, lead_id: int | None = None) -> list[Event]:
        if lead_id is None:
            cursor = self._conn.execute("SELECT * FROM events ORDER BY seq")
        else:
            cursor = self._conn.execute(
                "SELECT * FROM events WHERE lead_id = ? ORDER BY seq", (lead_id,)
            )
        return [rows.event_from_row(row) for row in rows.dict_rows(cursor)]

    def last_seq(self) -> int:
        """Where the event log ends now; a reader remembers it to ask what came after."""
        return int(self._conn.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0])

    def news_since(self, seq: int) -> tuple[list[Lead], int]:
        """Leads handed to sales after event `seq` (by anyone: a rescoring run, an
        import, another program), and where the log ends now: a reader that sees it
        moved knows something changed (a claim elsewhere, new scores) and reads again."""
        cursor = self._conn.execute(
            "SELECT l.* FROM events e JOIN leads l ON l.id = e.lead_id "
            "WHERE e.seq > ? AND e.kind = 'became_mql' ORDER BY e.seq",
            (seq,),
        )
        fresh = [rows.lead_from_row(row) for row in rows.dict_rows(cursor)]
        return fresh, max(self.last_seq(), seq)

    def activities(self, lead_id: int) -> list[Activity]:
        return queries.activities(self._conn, lead_id)

    def queue_page(
        self,
        view: View,
        *,
        rep: str | None = None,
        after: Cursor | None = None,
        limit: int = 50,
        soon: datetime | None = None,
        now: datetime | None = None,
        today: datetime | None = None,
        stale: datetime | None = None,
        only: Filter = ANY,
    ) -> Page:
        """A page of the queue; with `soon`, leads due by then come first, with `today`
        (the working day's close) those due later today next, and with `now` snoozed
        leads wait among the rest (see queries)."""
        try:
            return queries.queue_page(
                self._conn,
                view,
                rep=rep,
                after=after,
                limit=limit,
                soon=rows.epoch(soon),
                now=rows.epoch(now),
                today=rows.epoch(today),
                stale=rows.epoch(stale),
                only=only,
            )
        except sqlite3.Error as error:
            raise translate(error, self.path) from None

    def urgency(
        self, view: View, rep: str | None, *, now: datetime, soon: datetime
    ) -> tuple[int, int]:
        """(breached, due soon) among the view's leads; snoozed leads are not counted."""
        try:
            return queries.urgency(
                self._conn, view, rep, int(now.timestamp()), int(soon.timestamp())
            )
        except sqlite3.Error as error:
            raise translate(error, self.path) from None

    def search(self, text: str, limit: int = 200) -> list[QueueRow]:
        """Leads of any stage by name, company or email (see queries.search)."""
        try:
            return queries.search(self._conn, text, limit)
        except sqlite3.Error as error:
            raise translate(error, self.path) from None

    def sources(self) -> list[str]:
        """The lead sources present, for a filter to offer."""
        cursor = self._conn.execute(
            "SELECT DISTINCT source FROM leads WHERE source != '' ORDER BY 1"
        )
        return [row[0] for row in cursor.fetchall()]

    def scoring_since(self, mark: str) -> datetime | None:
        """When the agreement with this mark began scoring the file: its first full or
        partial rescoring run since a run under another agreement (None: never)."""
        found = self._conn.execute(
            "SELECT min(at) FROM events WHERE kind = 'rescored' "
            "AND json_extract(payload, '$.agreement') = :mark AND seq > coalesce(("
            "  SELECT max(seq) FROM events WHERE kind = 'rescored' "
            "  AND coalesce(json_extract(payload, '$.agreement'), '') != :mark), 0)",
            {"mark": mark},
        ).fetchone()[0]
        return None if found is None else datetime.fromtimestamp(found, UTC)

    def latest_event_at(self) -> datetime | None:
        """When the newest event in the log happened, if any."""
        found = self._conn.execute(f"SELECT max(at) FROM events WHERE {rows.kept('at')}")
        moment = found.fetchone()[0]
        return None if moment is None else datetime.fromtimestamp(moment, UTC)

    def kept_column(self, header: str, limit: int = 1000) -> tuple[int, list[str]]:
        """How many leads carry the import column `header`, and up to `limit` of the
        distinct values they hold there: what an agreement's rule on it will read."""
        carried = self._conn.execute(
            "SELECT count(*) FROM leads l, json_each(l.custom) j WHERE j.key = ?", (header,)
        ).fetchone()[0]
        cursor = self._conn.execute(
            "SELECT DISTINCT j.value FROM leads l, json_each(l.custom) j "
            "WHERE j.key = ? AND j.value IS NOT NULL LIMIT ?",
            (header, limit),
        )
        return carried, [str(row[0]) for row in cursor]

    def closed_after_hand_off(self) -> list[int]:
        """The won and lost leads that were handed to sales, oldest first."""
        return closed.handed_over(self._conn)

    def activity_kinds(self) -> list[str]:
        return closed.activity_kinds(self._conn)

    def closed_history(self, columns: Sequence[str], kinds: Sequence[str]) -> list[tuple[Any, ...]]:
        """Each won or lost lead's stage, card `columns` and count of each of `kinds` of
        activity up to its hand-off, oldest first: the history calibration learns from."""
        return closed.history(self._conn, columns, kinds)

    def load(self) -> list[Load]:
        return queries.load(self._conn)

    def counts(self, rep: str | None = None) -> Counts:
        try:
            return queries.counts(self._conn, rep)
        except sqlite3.Error as error:
            raise translate(error, self.path) from None
