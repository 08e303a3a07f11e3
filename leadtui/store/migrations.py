"""The forward migrations, one schema version each: what each version added, and why.

Each step runs inside its own transaction (see schema.migrate). Spelled out, not
taken from the models: a migration must keep meaning what it meant when written.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

# The open stages, spelled as SQL: the queue's partial indexes use exactly this text,
# and every query that wants those indexes must repeat it word for word.
OPEN_STAGES_SQL = "stage IN ('mql', 'working', 'accepted')"

# Spelled out, not taken from the models: a migration must keep meaning what it
# meant when it was written, whatever the models become.
_TIMES = [
    "mql_at",
    "claimed_at",
    "first_touch_at",
    "first_connect_at",
    "last_attempt_at",
    "snoozed_until",
    "stage_changed_at",
    "closed_at",
]


def _v1_tables(db: sqlite_utils.Database) -> None:
    """Leads with their projection, activities, events, reps, score factors, meta."""
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("reps").create(
        {"id": str, "name": str, "team": str, "role": str, "capacity": int, "time_zone": str},
        pk="id",
        not_null={"name", "role", "capacity"},
    )
    columns: dict[str, type] = {
        "id": int,
        "uid": str,
        "external_id": str,
        **dict.fromkeys(
            ["name", "title", "company", "email", "phone", "website", "city", "region", "country"],
            str,
        ),
        "employees": int,
        "revenue": float,
        "industry": str,
        "source": str,
        "created_at": int,
        "stage": str,
        "owner": str,
        "score": int,
        "fit": int,
        "engagement": int,
        **dict.fromkeys(_TIMES, int),
        "calls": int,
        "emails": int,
        "version": int,
    }
    db.table("leads").create(
        columns,
        pk="id",
        not_null={"uid", "created_at", "stage", "score", "fit", "engagement", "version"},
        defaults={"stage": "nurturing", "score": 0, "fit": 0, "engagement": 0, "version": 0}
        | {"calls": 0, "emails": 0},
        foreign_keys=[("owner", "reps", "id")],
    )
    db.table("activities").create(
        {"id": int, "lead_id": int, "kind": str, "at": int, "detail": str},
        pk="id",
        not_null={"lead_id", "kind", "at"},
        foreign_keys=[("lead_id", "leads", "id")],
    )
    db.table("score_factors").create(
        {
            "lead_id": int,
            "position": int,
            "factor_group": str,
            "label": str,
            "points": int,
            "evidence": str,
        },
        pk=("lead_id", "position"),
        not_null={"factor_group", "label", "points"},
        foreign_keys=[("lead_id", "leads", "id")],
    )
    db.table("events").create(
        {
            "seq": int,
            "id": str,
            "lead_id": int,
            "kind": str,
            "actor": str,
            "at": int,
            "payload": str,
            "synced_at": int,
        },
        pk="seq",
        not_null={"id", "kind", "actor", "at", "payload"},
        foreign_keys=[("lead_id", "leads", "id")],
    )
    execute_each(
        db,
        """
        CREATE UNIQUE INDEX leads_uid ON leads(uid);
        CREATE UNIQUE INDEX leads_external_id ON leads(external_id) WHERE external_id IS NOT NULL;
        CREATE INDEX leads_email ON leads(email);
        CREATE INDEX activities_lead ON activities(lead_id, at);
        CREATE UNIQUE INDEX events_id ON events(id);
        CREATE INDEX events_lead ON events(lead_id, seq);
        CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
        CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
        WHEN NEW.id IS NOT OLD.id OR NEW.lead_id IS NOT OLD.lead_id OR NEW.kind IS NOT OLD.kind
          OR NEW.actor IS NOT OLD.actor OR NEW.at IS NOT OLD.at OR NEW.payload IS NOT OLD.payload
        BEGIN SELECT RAISE(ABORT, 'events are append-only: only synced_at may change'); END;
        CREATE TRIGGER leads_never_deleted BEFORE DELETE ON leads
        BEGIN SELECT RAISE(ABORT, 'leads are never deleted; return or disqualify them'); END;
        """,
    )


def _v2_custom_fields_and_queue(db: sqlite_utils.Database) -> None:
    """Custom fields kept from imports, and the indexes the queue pages and counts need."""
    db.table("leads").add_column("custom", str)
    execute_each(
        db,
        f"""
        CREATE INDEX leads_queue ON leads(score DESC, mql_at, id) WHERE {OPEN_STAGES_SQL};
        CREATE INDEX leads_queue_by_owner ON leads(owner, score DESC, mql_at, id)
          WHERE {OPEN_STAGES_SQL};
        CREATE INDEX leads_stage_owner ON leads(stage, owner);
        CREATE INDEX events_unsynced ON events(seq) WHERE synced_at IS NULL;
        """,
    )


def execute_each(db: sqlite_utils.Database, script: str) -> None:
    """Run a script statement by statement inside the open transaction.

    sqlite3's executescript() would commit first, splitting a migration in two.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement.strip()[:60]}")


def _v3_factor_details(db: sqlite_utils.Database) -> None:
    """Which sub-score a factor counts toward, and the activities it stands on, so the
    rationale can be worded from stored factors without scoring again."""
    factors = db.table("score_factors")
    factors.add_column("side", str, not_null_default="fit")
    factors.add_column("occurrences", int, not_null_default=0)
    factors.add_column("earliest", int)
    factors.add_column("latest", int)
    db.conn.execute(
        "UPDATE score_factors SET side = 'engagement' WHERE factor_group = 'engagement'"
    )
    db.conn.execute(
        "UPDATE score_factors SET side = 'engagement' "
        "WHERE factor_group = 'negative' AND evidence LIKE 'activity: %'"
    )


def _v4_rescoring_at_scale(db: sqlite_utils.Database) -> None:
    """Rescoring reads (lead, kind, time) for every activity: from a covering index, in
    lead order, it needs neither table lookups nor a sort. Score factors live in their
    key's order (WITHOUT ROWID): one b-tree to write instead of two."""
    db.conn.execute("CREATE INDEX activities_scoring ON activities(lead_id, kind, at)")
    db.conn.execute("DROP INDEX activities_lead")
    db.conn.execute(
        "CREATE TABLE score_factors_v4 (lead_id INTEGER NOT NULL REFERENCES leads(id), "
        "position INTEGER NOT NULL, factor_group TEXT NOT NULL, side TEXT NOT NULL, "
        "label TEXT NOT NULL, points INTEGER NOT NULL, evidence TEXT, "
        "occurrences INTEGER NOT NULL DEFAULT 0, earliest INTEGER, latest INTEGER, "
        "PRIMARY KEY (lead_id, position)) WITHOUT ROWID"
    )
    db.conn.execute(
        "INSERT INTO score_factors_v4 SELECT lead_id, position, factor_group, side, label, "
        "points, evidence, occurrences, earliest, latest FROM score_factors"
    )
    db.conn.execute("DROP TABLE score_factors")
    db.conn.execute("ALTER TABLE score_factors_v4 RENAME TO score_factors")


def _v5_forget_fit_on_change(db: sqlite_utils.Database) -> None:
    """Fit is recomputed only when something it depends on changed: a new lead, or a
    lead's fields. These triggers forget which agreement scored the file whenever that
    happens, so the next full rescoring computes fit again; until then it only decays
    engagement."""
    fields = (
        "name, title, company, email, phone, website, city, region, country, employees, "
        "revenue, industry, source"
    )
    execute_each(
        db,
        f"""
        CREATE TRIGGER leads_added_forget_scoring AFTER INSERT ON leads
        BEGIN DELETE FROM meta WHERE key = 'scored_with'; END;
        CREATE TRIGGER leads_changed_forget_scoring AFTER UPDATE OF {fields} ON leads
        BEGIN DELETE FROM meta WHERE key = 'scored_with'; END;
        """,
    )


def _v6_next_due(db: sqlite_utils.Database) -> None:
    """When the next SLA step of an open lead falls due, so the queue can put breached
    and due-soon leads first straight from an index. A deadline, not a state: the state
    is still read against the clock."""
    db.table("leads").add_column("next_due_at", int)
    execute_each(
        db,
        f"""
        CREATE INDEX leads_urgent ON leads(next_due_at, id) WHERE {OPEN_STAGES_SQL};
        CREATE INDEX leads_urgent_by_owner ON leads(owner, next_due_at, id)
          WHERE {OPEN_STAGES_SQL};
        """,
    )


def _v7_events_by_kind(db: sqlite_utils.Database) -> None:
    """The team lead's reports read the log by kind over a period (attempts this
    week, hand-offs last month, what was taken back) without scanning all of it."""
    db.conn.execute("CREATE INDEX events_kind_at ON events(kind, at)")


def _v8_since_the_hand_off(db: sqlite_utils.Database) -> None:
    """What the latest hand-off began, kept on the lead so the reports read one row per
    lead: the score it was handed over with, when marketing found it ready, when sales
    accepted and qualified it. Filled from the log for the leads already here (steps
    taken back by undo left out). The reports read handed-over leads by hand-off time
    from an index that holds every column they need, never the rows themselves."""
    leads = db.table("leads")
    for name in ("mql_score", "marketing_qualified_at", "accepted_at", "qualified_at"):
        leads.add_column(name, int)
    live = "e.id NOT IN (SELECT json_extract(payload, '$.event') FROM events WHERE kind = 'undone')"
    handed = (
        "(SELECT max(h.seq) FROM events h WHERE h.lead_id = leads.id AND h.kind = 'became_mql')"
    )
    execute_each(
        db,
        f"""
        UPDATE leads SET
          mql_score = (SELECT json_extract(payload, '$.score') FROM events WHERE seq = {handed}),
          marketing_qualified_at =
            (SELECT json_extract(payload, '$.qualified_at') FROM events WHERE seq = {handed}),
          accepted_at = (SELECT min(e.at) FROM events e WHERE e.lead_id = leads.id
            AND e.kind = 'accepted' AND e.seq > coalesce({handed}, 0) AND {live}),
          qualified_at = (SELECT min(e.at) FROM events e WHERE e.lead_id = leads.id
            AND e.kind = 'qualified' AND e.seq > coalesce({handed}, 0) AND {live})
        WHERE mql_at IS NOT NULL;
        CREATE INDEX leads_handed ON leads(
          mql_at, source, owner, score, mql_score, marketing_qualified_at, first_touch_at,
          first_connect_at, calls, emails, stage, accepted_at, qualified_at, closed_at,
          stage_changed_at, name
        ) WHERE mql_at IS NOT NULL;
        """,
    )


MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (
    _v1_tables,
    _v2_custom_fields_and_queue,
    _v3_factor_details,
    _v4_rescoring_at_scale,
    _v5_forget_fit_on_change,
    _v6_next_due,
    _v7_events_by_kind,
    _v8_since_the_hand_off,
)  # versions 9 on: migrations_later.py
