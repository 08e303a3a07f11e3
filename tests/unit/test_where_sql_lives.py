"""Only the store runs SQL on a leadtui file, and only the team server's PostgreSQL home
runs SQL of its own: read from the source, so a statement anywhere else fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "leadtui"
RUNS = {"execute", "executemany", "executescript"}
SQLITE = {"sqlite3", "sqlite_utils"}
STORE_INSIDES = {"_conn", "_writing"}  # the store's connection, and a transaction with it
# Their SQL is being moved into the store; empty this when it has landed.
KNOWN_BEING_MOVED: tuple[str, ...] = ()


def sql_in(source: str) -> list[tuple[int, str]]:
    """Each place in `source` that runs SQL (`.execute()` and its kin), opens SQLite (an
    import of sqlite3 or sqlite-utils) or reaches into the store for its connection."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in RUNS:
                found.append((node.lineno, f".{node.func.attr}()"))
        elif isinstance(node, ast.Attribute) and node.attr in STORE_INSIDES:
            found.append((node.lineno, f".{node.attr}"))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, f"import {a.name}") for a in node.names if _sqlite(a.name)]
        elif isinstance(node, ast.ImportFrom) and _sqlite(node.module or ""):
            found.append((node.lineno, f"from {node.module} import"))
    return sorted(found)


def _sqlite(module: str) -> bool:
    return module.split(".")[0] in SQLITE


def _modules(under: str) -> dict[str, str]:
    """The source of each module under leadtui/`under`, by its path from the checkout."""
    return {
        path.relative_to(PACKAGE.parent).as_posix(): path.read_text("utf-8")
        for path in sorted((PACKAGE / under).rglob("*.py"))
    }


def test_no_module_outside_the_store_and_the_server_runs_sql() -> None:
    outside = {
        name: source
        for name, source in _modules(".").items()
        if not name.startswith(("leadtui/store/", "leadtui/server/", *KNOWN_BEING_MOVED))
    }
    assert len(outside) > 50  # the walk did find the package
    found = {name: sql_in(source) for name, source in outside.items()}
    assert {name: places for name, places in found.items() if places} == {}


def test_the_server_runs_sql_only_on_postgresql() -> None:
    """Its statements go to PostgreSQL; its SQLite file it reaches through the store."""
    found = {
        name: [(line, what) for line, what in sql_in(source) if not what.endswith("()")]
        for name, source in _modules("server").items()
    }
    assert {name: places for name, places in found.items() if places} == {}


def test_the_packages_being_moved_are_still_there_to_move() -> None:
    """When one of them no longer runs SQL, take it off the list."""
    for package in KNOWN_BEING_MOVED:
        modules = _modules(package.removeprefix("leadtui/"))
        assert any(sql_in(source) for source in modules.values()), package


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("conn.execute('SELECT 1')", [(1, ".execute()")]),
        ("x = 1\nstore._conn.executemany(sql, rows)", [(2, "._conn"), (2, ".executemany()")]),
        ("db.executescript(script)", [(1, ".executescript()")]),
        ("import sqlite3", [(1, "import sqlite3")]),
        ("from sqlite_utils.db import Table", [(1, "from sqlite_utils.db import")]),
        ("with store._writing() as conn:\n    pass", [(1, "._writing")]),
        ("with store.transaction():\n    store.lead(1)\nexecute = 2", []),
    ],
)
def test_what_counts_as_sql(source: str, expected: list[tuple[int, str]]) -> None:
    assert sql_in(source) == expected


def test_every_part_of_the_store_is_held_off_the_store() -> None:
    """The contract that keeps the store's parts from importing the Store names each
    of them: a new module in leadtui/store goes on its list."""
    import tomllib

    settings = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text("utf-8"))
    contracts = settings["tool"]["importlinter"]["contracts"]
    (held,) = [c for c in contracts if c.get("forbidden_modules") == ["leadtui.store.store"]]
    parts = {
        f"leadtui.store.{path.stem}"
        for path in (PACKAGE / "store").glob("*.py")
        if path.stem not in ("__init__", "store")
    }
    assert set(held["source_modules"]) == parts
