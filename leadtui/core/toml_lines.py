"""Where each table and key of a TOML text starts: tomllib keeps no positions, and a
refusal must name the line."""

from __future__ import annotations

import re

_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\- ]+?)\s*\]\s*(#.*)?$")
_ARRAY_TABLE = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.\- ]+?)\s*\]\]\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*=")


def key_lines(text: str) -> dict[tuple[int | str, ...], int]:
    """Where each table and key of a TOML text starts, by pydantic-style location.

    tomllib keeps no positions, so this reads the lines again. It understands
    the plain shapes agreement files use (tables, arrays of tables, dotted
    keys); anything fancier falls back to the nearest enclosing table.
    """
    lines: dict[tuple[int | str, ...], int] = {}
    array_counts: dict[tuple[str, ...], int] = {}
    table: tuple[int | str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        if found := _ARRAY_TABLE.match(line):
            name = tuple(part.strip() for part in found.group(1).split("."))
            index = array_counts.get(name, -1) + 1
            array_counts[name] = index
            table = (*name, index)
            lines.setdefault(table, number)
        elif found := _TABLE.match(line):
            table = tuple(part.strip() for part in found.group(1).split("."))
            lines.setdefault(table, number)
        elif found := _KEY.match(line):
            key = tuple(part.strip() for part in found.group(1).split("."))
            lines.setdefault((*table, *key), number)
    return lines


def line_for(lines: dict[tuple[int | str, ...], int], loc: tuple[int | str, ...]) -> int | None:
    for end in range(len(loc), 0, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None
