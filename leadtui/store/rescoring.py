"""Rescoring every lead in set-based SQL, in one transaction, with the agreement's rules.

The rules are loaded into temporary tables; each rule is one INSERT ... SELECT over
all leads (or all activities), never a Python loop per lead. Text conditions are
decided in Python once per *distinct* value (a few hundred titles, not a million
leads), with the very function `core.scoring` uses, so the two cannot disagree.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from leadtui.core.agreement import NUMERIC_FIELDS, Agreement, FieldCondition, NegativeRule
from leadtui.core.models import new_event_id
from leadtui.core.scoring import SECONDS_PER_DAY, value_holds
from leadtui.store import kept_columns, readiness_sql
from leadtui.store.rows import epoch

SCOPE_ALL = "1"
SCOPE_SOME = "{column} IN (SELECT id FROM temp.rescore_scope)"


@dataclass(frozen=True)
class Crossing:
    """A lead handed to sales by this run: its scores, and when it qualified."""

    lead_id: int
    score: int
    fit: int
    qualified_at: int | None

    def payload(self) -> dict[str, int]:
        found = {"score": self.score, "fit": self.fit, "engagement": self.score - self.fit}
        if self.qualified_at is not None:
            found["qualified_at"] = self.qualified_at
        return found


@dataclass(frozen=True)
class Rescored:
    leads: int  # how many leads were scored
    new_mqls: list[int]  # lead ids that crossed the threshold in this run, in id order


def rescore(
    conn: sqlite3.Connection,
    agreement: Agreement,
    now: datetime,
    *,
    lead_ids: Collection[int] | None = None,
    decay_only: bool = False,
    scored: range = range(0),
) -> Rescored:
    """Recompute scores and factors; write `became_mql` for each lead that crossed.

    Runs inside the caller's transaction. With `decay_only` (every lead, fit known to
    be current), only the activity-based factors are recomputed: time has passed, but
    nobody's title or company has changed. `scored`: leads among `lead_ids` that were
    scored as they came in (core.first_scores): only whether they cross is asked.
    """
    at = epoch(now) or 0
    rest = lead_ids
    if scored and lead_ids is not None:
        rest = [lead_id for lead_id in lead_ids if lead_id not in scored]
    _prepare(conn, agreement, rest)

    def scope(column: str) -> str:
        return SCOPE_ALL if rest is None else SCOPE_SOME.format(column=column)

    count = 0
    if rest is None or rest:
        _activity_factors(conn, at, scope("a.lead_id"))
        if decay_only:
            conn.execute("DELETE FROM temp.new_factors WHERE points = 0")
            count = _write_engagement(conn)
        else:
            _field_factors(conn, agreement, scope("l.id"))
            _keep_first_of_each_tier(conn)
            conn.execute("DELETE FROM temp.new_factors WHERE points = 0")
            count = _write(conn, scope("id"), scope("lead_id"))

    def crossing(column: str) -> str:
        if not scored:
            return scope(column)
        came_in = f"{column} BETWEEN {scored.start:d} AND {scored.stop - 1:d}"
        return f"({scope(column)} OR {came_in})" if rest else came_in

    new_mqls = _crossings(conn, agreement, at, crossing("id"), crossing("a.lead_id"))
    _hand_over(conn, new_mqls, at)
    return Rescored(count + len(scored), [one.lead_id for one in new_mqls])


def _hand_over(conn: sqlite3.Connection, crossed: list[Crossing], at: int) -> None:
    """A `became_mql` event and its projection for every crossing lead, set-based.

    The UPDATE is core.projection.apply for BECAME_MQL written in SQL (the score
    columns already hold the payload's values); a test folds the log to check it.
    """
    conn.executemany(
        "INSERT INTO events(id, lead_id, kind, actor, at, payload) "
        "VALUES (?, ?, 'became_mql', 'system', ?, ?)",
        ((new_event_id(), one.lead_id, at, json.dumps(one.payload())) for one in crossed),
    )
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS crossed(id INTEGER PRIMARY KEY, score INTEGER, "
        "ready_at INTEGER)"
    )
    conn.execute("DELETE FROM temp.crossed")
    conn.executemany(
        "INSERT INTO temp.crossed VALUES (?, ?, ?)",
        ((one.lead_id, one.score, one.qualified_at) for one in crossed),
    )
    conn.execute(
        "UPDATE leads SET stage = 'mql', owner = NULL, mql_at = :at, stage_changed_at = :at, "
        "claimed_at = NULL, first_touch_at = NULL, first_connect_at = NULL, "
        "last_attempt_at = NULL, calls = 0, emails = 0, snoozed_until = NULL, closed_at = NULL, "
        "accepted_at = NULL, qualified_at = NULL, mql_score = c.score, "
        "marketing_qualified_at = c.ready_at, version = version + 1 "
        "FROM temp.crossed c WHERE leads.id = c.id",
        {"at": at},
    )


def _prepare(
    conn: sqlite3.Connection, agreement: Agreement, lead_ids: Collection[int] | None
) -> None:
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS rescore_scope(id INTEGER PRIMARY KEY)")
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS rules(position INTEGER PRIMARY KEY, grp TEXT, "
        "side TEXT, label TEXT, field TEXT, kind TEXT, tier TEXT, points REAL, cap REAL, "
        "half_life REAL)"
    )
    # Kept in (lead, rule) order, so numbering and summing per lead need no sort.
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS new_factors(lead_id INTEGER, position INTEGER, "
        "grp TEXT, side TEXT, label TEXT, points INTEGER, evidence TEXT, "
        "occurrences INTEGER, earliest INTEGER, latest INTEGER, "
        "PRIMARY KEY (lead_id, position)) WITHOUT ROWID"
    )
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS fresh_factors AS SELECT * FROM new_factors LIMIT 0"
    )
    for table in ("rescore_scope", "rules", "new_factors", "fresh_factors"):
        conn.execute(f"DELETE FROM temp.{table}")
    if lead_ids is not None:
        conn.executemany(
            "INSERT OR IGNORE INTO temp.rescore_scope(id) VALUES (?)", ((i,) for i in lead_ids)
        )
    conn.executemany(
        "INSERT INTO temp.rules VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _rules(agreement)
    )


def _rules(agreement: Agreement) -> list[tuple[object, ...]]:
    """Every rule in scoring order: fit, engagement, negative (the order of the factors).

    Columns: position, group, side, label, field, kind, tier, points, cap, half-life.
    """
    found: list[tuple[object, ...]] = []
    for fit in agreement.fit:
        found.append(("fit", "fit", fit.label, fit.subject, None, fit.tier, fit.points, None, None))
    for engaged in agreement.engagement:
        found.append(
            ("engagement", "engagement", engaged.label, None, engaged.kind, None)
            + (engaged.points, engaged.cap, engaged.half_life_days)
        )
    for negative in agreement.negative:
        side = "engagement" if negative.kind is not None else "fit"
        found.append(
            ("negative", side, negative.label, negative.subject or None, negative.kind, None)
            + (negative.points, None, None)
        )
    return [(position, *rule) for position, rule in enumerate(found)]


def _field_rules(agreement: Agreement) -> list[tuple[int, FieldCondition | NegativeRule]]:
    """The rules that test a lead field or column, with their scoring positions."""
    every = [*agreement.fit, *agreement.engagement, *agreement.negative]
    return [
        (position, rule)
        for position, rule in enumerate(every)
        if isinstance(rule, FieldCondition | NegativeRule) and rule.subject
    ]


def _field_factors(conn: sqlite3.Connection, agreement: Agreement, scope: str) -> None:
    """One INSERT per fit or field-negative rule on a built-in field; field names come
    from the validated agreement (a fixed list of lead columns), never from user text.
    Text conditions are decided in Python once per distinct value; numbers in SQL."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS hits(value PRIMARY KEY)")
    for position, rule in _field_rules(agreement):
        if rule.field is None:
            continue
        value = f"l.{rule.field}"
        given = {"position": position, "subject": f"{rule.subject}: "}
        insert = (
            "INSERT INTO temp.new_factors SELECT l.id, r.position, r.grp, r.side, r.label, "
            f"CAST(r.points AS INTEGER), :subject || coalesce({value}, ''), 0, NULL, NULL "
            "FROM leads l JOIN temp.rules r ON r.position = :position "
        )
        if rule.field in NUMERIC_FIELDS:
            if rule.blank is not None:
                test = f"{value} IS {'' if rule.blank else 'NOT '}NULL"
            else:
                bounds = [f"{value} >= :low"] if rule.at_least is not None else []
                bounds += [f"{value} < :high"] if rule.less_than is not None else []
                test = " AND ".join(bounds)
            limits = {"low": rule.at_least, "high": rule.less_than}
            conn.execute(insert + f"WHERE {scope} AND {test}", given | limits)
            continue
        found = conn.execute(f"SELECT DISTINCT {value} FROM leads l WHERE {scope}")
        kept_columns.hits(conn, rule, [row[0] for row in found])
        missing = f" OR {value} IS NULL" if value_holds(rule, None) else ""
        conn.execute(
            insert + f"WHERE {scope} AND ({value} IN (SELECT value FROM temp.hits){missing})",
            given,
        )
    kept_columns.factors(conn, _field_rules(agreement), scope)


def _activity_factors(
    conn: sqlite3.Connection, at: int, scope: str, *, since_return: bool = False
) -> None:
    """Engagement with decay and caps, and activity-based negatives, in one pass each.

    With `since_return`, only for leads returned to nurture and only the activity after
    their return, into temp.fresh_factors: what decides whether they come back.
    """
    table, fresh = "temp.new_factors", ""
    if since_return:
        table = "temp.fresh_factors"
        fresh = (
            "JOIN leads l ON l.id = a.lead_id AND l.stage = 'returned_to_nurture' "
            "AND a.at > l.stage_changed_at "
        )
    # One pass over the covering index. Each activity kind has at most one rule (the
    # agreement checks), so grouping by kind follows the index and needs no sort.
    conn.execute(
        f"INSERT INTO {table} "
        "SELECT a.lead_id, r.position, r.grp, r.side, r.label, "
        "  CASE r.grp WHEN 'engagement' THEN CAST(min(r.cap, "
        "      sum(r.points * pow(0.5, ((:now - a.at) / :day) / r.half_life))) + 0.5 AS INTEGER)"
        "    ELSE CAST(r.points AS INTEGER) END, "
        "  CASE r.grp WHEN 'engagement' "
        "    THEN count(*) || 'x, latest ' || date(max(a.at), 'unixepoch') "
        "    ELSE 'activity: ' || r.kind END, "
        "  count(*), min(a.at), max(a.at) "
        f"FROM activities a JOIN temp.rules r ON r.kind = a.kind {fresh}"
        f"WHERE a.at <= :now AND {scope} GROUP BY a.lead_id, a.kind",
        {"now": at, "day": float(SECONDS_PER_DAY)},
    )


def _keep_first_of_each_tier(conn: sqlite3.Connection) -> None:
    """Rules sharing a tier are exclusive: the first that matched counts."""
    conn.execute(
        "DELETE FROM temp.new_factors AS f WHERE EXISTS ("
        "  SELECT 1 FROM temp.rules r JOIN temp.rules s ON s.tier = r.tier "
        "  JOIN temp.new_factors g ON g.lead_id = f.lead_id AND g.position = s.position "
        "  WHERE r.position = f.position AND r.tier IS NOT NULL AND s.position < r.position)"
    )


_SAME_FACTOR = (
    "s.lead_id = n.lead_id AND s.position = n.position AND s.points = n.points "
    "AND s.factor_group = n.grp AND s.side = n.side AND s.label = n.label "
    "AND s.evidence IS n.evidence AND s.occurrences = n.occurrences "
    "AND s.earliest IS n.earliest AND s.latest IS n.latest"
)


def _replace_changed_factors(conn: sqlite3.Connection, stored: str) -> None:
    """Make the stored factors matching `stored` (SQL over alias s) equal temp.new_factors,
    deleting the ones gone and writing only the new or different ones."""
    conn.execute(
        f"DELETE FROM score_factors AS s WHERE {stored} AND NOT EXISTS ("
        "  SELECT 1 FROM temp.new_factors n WHERE n.lead_id = s.lead_id "
        "  AND n.position = s.position)"
    )
    conn.execute(
        "INSERT OR REPLACE INTO score_factors(lead_id, position, factor_group, side, label, "
        "points, evidence, occurrences, earliest, latest) "
        "SELECT lead_id, position, grp, side, label, points, evidence, occurrences, earliest, "
        f"latest FROM temp.new_factors n WHERE NOT EXISTS (SELECT 1 FROM score_factors s "
        f"WHERE {_SAME_FACTOR})"
    )


def _write(conn: sqlite3.Connection, lead_scope: str, factor_scope: str) -> int:
    """Bring the stored factors and scores up to date, writing only what changed: an
    hourly run mostly finds the same factors. The version does not move, since a new
    score is not a change anyone could conflict with."""
    _replace_changed_factors(conn, factor_scope.replace("lead_id", "s.lead_id"))
    conn.execute(
        "UPDATE leads SET score = t.total, fit = t.fit, engagement = t.total - t.fit "
        "FROM (SELECT lead_id, sum(points) AS total, "
        "      sum(CASE WHEN side = 'fit' THEN points ELSE 0 END) AS fit "
        "      FROM temp.new_factors GROUP BY lead_id) AS t "
        "WHERE t.lead_id = leads.id AND (leads.score != t.total OR leads.fit != t.fit)"
    )
    conn.execute(
        f"UPDATE leads SET score = 0, fit = 0, engagement = 0 WHERE {lead_scope} "
        "AND score != 0 AND id NOT IN (SELECT lead_id FROM temp.new_factors)"
    )
    return int(conn.execute(f"SELECT count(*) FROM leads WHERE {lead_scope}").fetchone()[0])


def _write_engagement(conn: sqlite3.Connection) -> int:
    """_write for a decay-only run: activity-based factors and engagement; fit stays."""
    _replace_changed_factors(conn, "s.side = 'engagement'")
    conn.execute(
        "UPDATE leads SET engagement = t.engagement, score = leads.fit + t.engagement "
        "FROM (SELECT lead_id, sum(points) AS engagement FROM temp.new_factors "
        "      GROUP BY lead_id) AS t "
        "WHERE t.lead_id = leads.id AND leads.engagement != t.engagement"
    )
    conn.execute(
        "UPDATE leads SET engagement = 0, score = fit WHERE engagement != 0 "
        "AND id NOT IN (SELECT lead_id FROM temp.new_factors)"
    )
    return int(conn.execute("SELECT count(*) FROM leads").fetchone()[0])


def _crossings(
    conn: sqlite3.Connection, agreement: Agreement, at: int, scope: str, activity_scope: str
) -> list[Crossing]:
    """Leads now sales-ready that marketing still holds, with their score and fit.

    A lead sales returned to nurture comes back only if its score counting just the
    activity since its return crosses the threshold: old interest already had its chance.
    """
    _activity_factors(conn, at, activity_scope, since_return=True)
    fresh_score = (
        "(fit + coalesce((SELECT sum(points) FROM temp.fresh_factors f "
        "WHERE f.lead_id = leads.id), 0))"
    )
    ready, params = readiness_sql.is_mql(agreement)
    fresh_ready, _ = readiness_sql.is_mql(agreement, score=fresh_score)
    rows = conn.execute(
        # Marketing's side of the SLA starts when the lead qualified: its latest activity.
        "SELECT id, score, fit, (SELECT max(a.at) FROM activities a "
        "  WHERE a.lead_id = leads.id AND a.at <= :now) "
        f"FROM leads WHERE {scope} AND ("
        f"  (stage = 'nurturing' AND {ready}) "
        f"  OR (stage = 'returned_to_nurture' AND {fresh_ready})) ORDER BY id",
        params | {"now": at},
    )
    return [
        Crossing(int(lead_id), int(total), int(fit), qualified_at)
        for lead_id, total, fit, qualified_at in rows.fetchall()
    ]
