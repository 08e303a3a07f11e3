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
    _execute_each(
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
    _execute_each(
        db,
        f"""
        CREATE INDEX leads_queue ON leads(score DESC, mql_at, id) WHERE {OPEN_STAGES_SQL};
        CREATE INDEX leads_queue_by_owner ON leads(owner, score DESC, mql_at, id)
          WHERE {OPEN_STAGES_SQL};
        CREATE INDEX leads_stage_owner ON leads(stage, owner);
        CREATE INDEX events_unsynced ON events(seq) WHERE synced_at IS NULL;
        """,
    )


def _execute_each(db: sqlite_utils.Database, script: str) -> None:
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
    _execute_each(
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
    _execute_each(
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
    _execute_each(
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


def _v9_attempts_by_quarter_hour(db: sqlite_utils.Database) -> None:
    """Attempts counted by rep, quarter-hour (seconds since the epoch / 900), channel
    and outcome, kept by triggers on the log: every way an event is written (a
    change, the demo, an import, a sync) keeps it right, and an attempt taken back
    by undo is counted out. Reports of attempts per rep per day read this instead
    of millions of events. Filled from the log for the attempts already here."""
    _execute_each(
        db,
        """
        CREATE TABLE attempt_slots (
          rep TEXT NOT NULL, slot INTEGER NOT NULL, channel TEXT NOT NULL,
          outcome TEXT NOT NULL, attempts INTEGER NOT NULL,
          PRIMARY KEY (slot, rep, channel, outcome)
        ) WITHOUT ROWID;
        CREATE TRIGGER attempt_counted AFTER INSERT ON events WHEN NEW.kind = 'attempt'
        BEGIN
          INSERT INTO attempt_slots VALUES (NEW.actor, NEW.at / 900,
            json_extract(NEW.payload, '$.channel'), json_extract(NEW.payload, '$.outcome'), 1)
          ON CONFLICT DO UPDATE SET attempts = attempts + 1;
        END;
        CREATE TRIGGER attempt_taken_back AFTER INSERT ON events WHEN NEW.kind = 'undone'
        BEGIN
          UPDATE attempt_slots SET attempts = attempts - 1
          WHERE (rep, slot, channel, outcome) IN (
            SELECT actor, at / 900, json_extract(payload, '$.channel'),
                   json_extract(payload, '$.outcome')
            FROM events WHERE id = json_extract(NEW.payload, '$.event') AND kind = 'attempt');
        END;
        INSERT INTO attempt_slots
          SELECT actor, at / 900, json_extract(payload, '$.channel'),
                 json_extract(payload, '$.outcome'), count(*)
          FROM events e WHERE kind = 'attempt' AND id NOT IN (
            SELECT json_extract(payload, '$.event') FROM events WHERE kind = 'undone')
          GROUP BY 1, 2, 3, 4;
        """,
    )


MOVES = "('accepted', 'qualified', 'returned_to_nurture', 'disqualified')"


def _v10_moves_by_quarter_hour(db: sqlite_utils.Database) -> None:
    """Sales' moves (accepted, qualified, returned to nurture, disqualified) counted by
    quarter-hour, rep, the lead's source at the time, and reason, kept by triggers on
    the log like the attempts' counts (undo counts a move out). The team lead's
    reports read these instead of the log. Filled from the log for the moves here."""
    _execute_each(
        db,
        f"""
        CREATE TABLE move_slots (
          slot INTEGER NOT NULL, rep TEXT NOT NULL, source TEXT NOT NULL, kind TEXT NOT NULL,
          reason TEXT NOT NULL, moves INTEGER NOT NULL,
          PRIMARY KEY (slot, rep, source, kind, reason)
        ) WITHOUT ROWID;
        CREATE TRIGGER move_counted AFTER INSERT ON events WHEN NEW.kind IN {MOVES}
        BEGIN
          INSERT INTO move_slots VALUES (NEW.at / 900, NEW.actor,
            (SELECT coalesce(source, 'unknown') FROM leads WHERE id = NEW.lead_id), NEW.kind,
            coalesce(json_extract(NEW.payload, '$.reason'), ''), 1)
          ON CONFLICT DO UPDATE SET moves = moves + 1;
        END;
        CREATE TRIGGER move_taken_back AFTER INSERT ON events WHEN NEW.kind = 'undone'
        BEGIN
          UPDATE move_slots SET moves = moves - 1
          WHERE (slot, rep, source, kind, reason) IN (
            SELECT e.at / 900, e.actor, coalesce(l.source, 'unknown'), e.kind,
                   coalesce(json_extract(e.payload, '$.reason'), '')
            FROM events e JOIN leads l ON l.id = e.lead_id
            WHERE e.id = json_extract(NEW.payload, '$.event') AND e.kind IN {MOVES});
        END;
        INSERT INTO move_slots
          SELECT e.at / 900, e.actor, coalesce(l.source, 'unknown'), e.kind,
                 coalesce(json_extract(e.payload, '$.reason'), ''), count(*)
          FROM events e JOIN leads l ON l.id = e.lead_id
          WHERE e.kind IN {MOVES} AND e.id NOT IN (
            SELECT json_extract(payload, '$.event') FROM events WHERE kind = 'undone')
          GROUP BY 1, 2, 3, 4, 5;
        """,
    )


SLA_WORKED_OUT = ("touch_due_at", "to_first_touch", "to_first_connect", "cadence_ends_at")


def _v11_sla_worked_out(db: sqlite_utils.Database) -> None:
    """The SLA arithmetic of each lead's latest hand-off, kept on the lead: when its
    first touch was due, the business seconds its first touch and first connect
    took, when its cadence ends. The store works them out as it changes a lead under
    an agreement; a trigger forgets them whenever what they depend on moves, so they
    are either right or empty, never stale. The hand-off index covers them too."""
    leads = db.table("leads")
    for name in SLA_WORKED_OUT:
        leads.add_column(name, int)
    forget = ", ".join(f"{name} = NULL" for name in SLA_WORKED_OUT)
    _execute_each(
        db,
        f"""
        CREATE TRIGGER sla_worked_out_forgotten
        AFTER UPDATE OF mql_at, first_touch_at, first_connect_at, source ON leads
        BEGIN UPDATE leads SET {forget} WHERE id = NEW.id; END;
        DROP INDEX IF EXISTS leads_handed;
        CREATE INDEX leads_handed ON leads(
          mql_at, source, owner, score, mql_score, marketing_qualified_at, first_touch_at,
          first_connect_at, calls, emails, stage, accepted_at, qualified_at, closed_at,
          stage_changed_at, name, {", ".join(SLA_WORKED_OUT)}
        ) WHERE mql_at IS NOT NULL;
        DELETE FROM meta WHERE key = 'sla_worked_out_with';
        """,
    )


def _v12_forget_fit_on_kept_columns(db: sqlite_utils.Database) -> None:
    """Rules may read the columns an import kept: a change to them forgets which
    agreement scored the file too, as a change to a built-in field does."""
    _execute_each(
        db,
        """
        CREATE TRIGGER IF NOT EXISTS leads_kept_columns_forget_scoring
        AFTER UPDATE OF custom ON leads
        BEGIN DELETE FROM meta WHERE key = 'scored_with'; END;
        """,
    )


def _v13_crm_pushes(db: sqlite_utils.Database) -> None:
    """A CRM connector's side: which lead is which CRM record (and from which event on
    the CRM hears of it), and what became of each event pushed there, so a lost
    answer is looked for before it is sent again and a refusal is kept, not retried."""
    _execute_each(
        db,
        """
        CREATE TABLE crm_links (
          lead_id INTEGER PRIMARY KEY REFERENCES leads(id), crm TEXT NOT NULL,
          crm_id TEXT NOT NULL, since_seq INTEGER NOT NULL, UNIQUE (crm, crm_id));
        CREATE TABLE crm_pushes (
          event_id TEXT PRIMARY KEY REFERENCES events(id), crm TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('sending', 'done', 'refused')),
          crm_id TEXT, reason TEXT, tries INTEGER NOT NULL DEFAULT 0, at INTEGER NOT NULL);
        CREATE INDEX crm_pushes_by_state ON crm_pushes(crm, state);
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
    _v9_attempts_by_quarter_hour,
    _v10_moves_by_quarter_hour,
    _v11_sla_worked_out,
    _v12_forget_fit_on_kept_columns,
    _v13_crm_pushes,
)
