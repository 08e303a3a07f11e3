"""Just enough SOQL for the fake Salesforce, from Salesforce's SOQL reference: SELECT a
field list FROM one object, WHERE conditions joined by AND (=, !=, <, <=, >, >=, IN),
ORDER BY fields ASC or DESC, LIMIT. Literals: 'text' (with \\' and \\\\ escapes),
true, false, null, numbers, and unquoted date-times (2026-11-17T09:00:00.000Z)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

_TOKEN = re.compile(
    r"\s*(?:(?P<text>'(?:[^'\\]|\\.)*')|(?P<moment>\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d))"
    r"|(?P<number>-?\d+(?:\.\d+)?)|(?P<op><=|>=|!=|=|<|>|\(|\)|,)|(?P<word>[\w.]+))"
)


class SoqlError(ValueError):
    """A query the fake (and Salesforce) would refuse: MALFORMED_QUERY."""


@dataclass
class Query:
    fields: list[str]
    sobject: str
    where: list[tuple[str, str, Any]] = field(default_factory=list)
    order: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)
    limit: int | None = None

    def run(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        found = [row for row in rows if all(_holds(row, *rule) for rule in self.where)]
        for name, descending in reversed(self.order):
            found.sort(key=lambda row, n=name: _key(row.get(n)), reverse=descending)
        if self.limit is not None:
            found = found[: self.limit]
        return [{name: row.get(name) for name in self.fields} for row in found]


def parse(soql: str) -> Query:
    tokens = _tokens(soql)
    at = 0

    def take(*words: str) -> str:
        nonlocal at
        if at >= len(tokens):
            raise SoqlError(f"unexpected end of query, expecting {' or '.join(words)}")
        kind, value = tokens[at]
        if words and (kind != "word" or value.upper() not in words):
            raise SoqlError(f"unexpected token: '{value}'")
        at += 1
        return value

    def peek(word: str) -> bool:
        return at < len(tokens) and tokens[at][1].upper() == word

    take("SELECT")
    fields = [take()]
    while tokens[at][1] == ",":
        at += 1
        fields.append(take())
    take("FROM")
    query = Query(fields, take())
    if peek("WHERE"):
        at += 1
        while True:
            name = take()
            operator = tokens[at][1].upper()
            at += 1
            if operator == "IN":
                if tokens[at][1] != "(":
                    raise SoqlError("IN needs a list")
                at += 1
                values = []
                while tokens[at][1] != ")":
                    values.append(_literal(*tokens[at]))
                    at += 1
                    if tokens[at][1] == ",":
                        at += 1
                at += 1
                query.where.append((name, "IN", values))
            else:
                if operator not in ("=", "!=", "<", "<=", ">", ">="):
                    raise SoqlError(f"unexpected operator: {operator}")
                query.where.append((name, operator, _literal(*tokens[at])))
                at += 1
            if not peek("AND"):
                break
            at += 1
    if peek("ORDER"):
        at += 1
        take("BY")
        while True:
            name = take()
            descending = False
            if peek("ASC") or peek("DESC"):
                descending = take("ASC", "DESC").upper() == "DESC"
            query.order.append((name, descending))
            if at < len(tokens) and tokens[at][1] == ",":
                at += 1
                continue
            break
    if peek("LIMIT"):
        at += 1
        query.limit = int(tokens[at][1])
        at += 1
    if at != len(tokens):
        raise SoqlError(f"unexpected token: '{tokens[at][1]}'")
    return query


def _tokens(soql: str) -> list[tuple[str, str]]:
    found = []
    at = 0
    while at < len(soql.rstrip()):
        match = _TOKEN.match(soql, at)
        if match is None or match.end() == at:
            raise SoqlError(f"cannot read the query at: {soql[at : at + 20]!r}")
        kind = match.lastgroup or "word"
        found.append((kind, match.group(kind)))
        at = match.end()
    return found


def _literal(kind: str, value: str) -> Any:
    if kind == "text":
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    if kind == "moment":
        return moment(value)
    if kind == "number":
        return float(value)
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    if value.lower() == "null":
        return None
    raise SoqlError(f"unexpected value: {value}")


def moment(value: str) -> datetime:
    return datetime.fromisoformat(
        re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", value.replace("Z", "+00:00"))
    )


def _key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, "")  # nulls first, ascending, as Salesforce sorts them
    if isinstance(value, str) and re.match(r"\d{4}-\d\d-\d\dT", value):
        return (1, moment(value).timestamp())
    return (1, value)


def _holds(row: dict[str, Any], name: str, operator: str, wanted: Any) -> bool:
    value = row.get(name)
    if operator == "IN":
        return value in wanted
    if isinstance(wanted, datetime):
        if value is None:
            return False
        value = moment(value)
    if operator == "=":
        return bool(value == wanted)
    if operator == "!=":
        return bool(value != wanted)
    if value is None or wanted is None:
        return False
    compare = {
        "<": value < wanted,
        "<=": value <= wanted,
        ">": value > wanted,
        ">=": value >= wanted,
    }
    return compare[operator]
