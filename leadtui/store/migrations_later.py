"""The forward migrations from schema version 9 on (see migrations.py for 1 to 8 and
the rules every step keeps): the attempts and moves counted by quarter hour for the
team review, the SLA arithmetic kept on the lead, and a CRM connector's tables and
the claims of its rounds."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from leadtui.store.migrations import execute_each

if TYPE_CHECKING:
    import sqlite_utils


def _v9_attempts_by_quarter_hour(db: sqlite_utils.Database) -> None:
    """Attempts counted by rep, quarter-hour (seconds since the epoch / 900), channel
    and outcome, kept by triggers on the log: every way an event is written (a
    change, the demo, an import, a sync) keeps it right, and an attempt taken back
    by undo is counted out. Reports of attempts per rep per day read this instead
    of millions of events. Filled from the log for the attempts already here."""
    execute_each(
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
    execute_each(
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
    execute_each(
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
    execute_each(
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
    execute_each(
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


def _v14_crm_claims(db: sqlite_utils.Database) -> None:
    """A push is claimed by the round that sends it, for a while (a lease): another
    round at the same time (the team server's and a cron job's, the app's and the
    command line's) leaves it alone, and a round that died lets go when its lease ends."""
    execute_each(
        db,
        """
        ALTER TABLE crm_pushes ADD COLUMN claimed_by TEXT;
        ALTER TABLE crm_pushes ADD COLUMN claimed_until INTEGER;
        """,
    )


MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (
    _v9_attempts_by_quarter_hour,
    _v10_moves_by_quarter_hour,
    _v11_sla_worked_out,
    _v12_forget_fit_on_kept_columns,
    _v13_crm_pushes,
    _v14_crm_claims,
)
