"""Rescoring the rules on columns the lead import kept (the leads' `custom` JSON).

The columns the rules read are taken out of every lead's JSON once, into a temporary
table of (header, lead, value); each rule is then decided in Python once per distinct
value, with the very function `core.scoring` uses, and written as one INSERT. A header
is user text: it is only ever a bound parameter, never part of the SQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from leadtui.core.agreement import FieldCondition, NegativeRule
from leadtui.core.scoring import value_holds

Rule = FieldCondition | NegativeRule


def hits(conn: sqlite3.Connection, rule: Rule, values: Sequence[object]) -> None:
    """Fill temp.hits with the values (of those found) that meet the rule: what a rule on
    a built-in text field reads too."""
    conn.execute("DELETE FROM temp.hits")
    conn.executemany(
        "INSERT OR IGNORE INTO temp.hits VALUES (?)",
        ((value,) for value in values if value is not None and value_holds(rule, value)),
    )


def factors(conn: sqlite3.Connection, rules: Sequence[tuple[int, Rule]], scope: str) -> None:
    """The factors of every rule that reads a kept column, into temp.new_factors. A tier
    whose rules all read one column (what a calibration proposes) is decided whole, per
    distinct value: its first rule that holds, so one INSERT gives each lead its one
    factor of the tier."""
    on_columns = [(position, rule) for position, rule in rules if rule.column is not None]
    if not on_columns:
        return
    _take_out(conn, sorted({rule.column for _, rule in on_columns if rule.column}), scope)
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS won(value PRIMARY KEY, position INTEGER)")
    for column, tier in _groups(rules, on_columns):
        found = conn.execute("SELECT DISTINCT value FROM temp.kept WHERE header = ?", (column,))
        winners = {value: _first_holding(tier, value) for (value,) in found}
        conn.execute("DELETE FROM temp.won")
        conn.executemany(
            "INSERT INTO temp.won VALUES (?, ?)",
            ((value, won) for value, won in winners.items() if value is not None and won >= 0),
        )
        given = {"column": column, "subject": f"{column}: "}
        conn.execute(
            _INSERT.format(lead="k.lead_id", value="k.value")
            + "FROM temp.kept k JOIN temp.won w ON w.value = k.value "
            "JOIN temp.rules r ON r.position = w.position WHERE k.header = :column",
            given,
        )
        missing = _first_holding(tier, None)
        if missing >= 0:  # a rule of the tier holds for a lead without the column
            conn.execute(
                _INSERT.format(lead="l.id", value="''")
                + "FROM leads l JOIN temp.rules r ON r.position = :position "
                f"WHERE {scope} AND NOT EXISTS (SELECT 1 FROM temp.kept k "
                "  WHERE k.header = :column AND k.lead_id = l.id)",
                given | {"position": missing},
            )


_INSERT = (
    "INSERT INTO temp.new_factors SELECT {lead}, r.position, r.grp, r.side, r.label, "
    "CAST(r.points AS INTEGER), :subject || {value}, 0, NULL, NULL "
)


def _groups(
    every: Sequence[tuple[int, Rule]], on_columns: Sequence[tuple[int, Rule]]
) -> list[tuple[str, list[tuple[int, Rule]]]]:
    """The column rules in groups decided together: a tier whose every rule reads the
    same column is one group; any other rule is a group of its own."""
    tiers: dict[str, list[tuple[int, Rule]]] = {}
    for position, rule in every:
        tier = getattr(rule, "tier", None)
        if tier is not None:
            tiers.setdefault(tier, []).append((position, rule))
    whole = {
        tier
        for tier, members in tiers.items()
        if len({rule.column for _, rule in members}) == 1 and members[0][1].column is not None
    }
    groups: list[tuple[str, list[tuple[int, Rule]]]] = []
    for tier in sorted(whole, key=lambda name: tiers[name][0][0]):
        groups.append((tiers[tier][0][1].column or "", tiers[tier]))
    for position, rule in on_columns:
        if getattr(rule, "tier", None) not in whole:
            groups.append((rule.column or "", [(position, rule)]))
    return groups


def _first_holding(tier: Sequence[tuple[int, Rule]], value: object) -> int:
    """The position of the tier's first rule that holds for the value, when it is worth
    points (a rule worth 0 wins the tier and gives nothing); -1 otherwise."""
    for position, rule in tier:
        if value_holds(rule, value):
            return position if getattr(rule, "points", 0) else -1
    return -1


def _take_out(conn: sqlite3.Connection, headers: list[str], scope: str) -> None:
    """Each lead's values of `headers`, out of its JSON, in one pass over the leads."""
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS kept(header TEXT, lead_id INTEGER, value, "
        "PRIMARY KEY (header, lead_id)) WITHOUT ROWID"
    )
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS kept_headers(header TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp.kept")
    conn.execute("DELETE FROM temp.kept_headers")
    conn.executemany("INSERT INTO temp.kept_headers VALUES (?)", ((h,) for h in headers))
    conn.execute(
        "INSERT OR IGNORE INTO temp.kept SELECT j.key, l.id, j.value "
        "FROM leads l, json_each(l.custom) j "
        f"WHERE {scope} AND l.custom IS NOT NULL "
        "AND j.key IN (SELECT header FROM temp.kept_headers)"
    )
