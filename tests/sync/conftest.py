"""A team server over a copy of the demo, with tokens for dana, marcus and morgan: once
on a SQLite file and once on PostgreSQL (a throw-away cluster), so every sync test
holds both homes of the server to the same behaviour."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from leadtui.core.agreement import Agreement
from leadtui.server import tokens
from leadtui.server.app import make_server
from leadtui.server.on_file import FileTeam
from leadtui.server.on_postgres import PostgresTeam
from leadtui.server.pg_copy import copy_file
from leadtui.server.storage import TeamStore
from leadtui.store import Store
from tests.postgres import Cluster, start_cluster
from tests.sync.servers import Flaky, Running, serve_in_thread

REPS = ("dana", "marcus", "morgan")
TEMPLATE = "leadtui_demo"
_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    cluster = start_cluster()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def seeded(
    demo_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, str]]:
    """The demo with the three reps' tokens: the team file every server starts from."""
    path = tmp_path_factory.mktemp("team") / "team.db"
    path.write_bytes(demo_file.read_bytes())
    with Store(path) as store:
        issued = {rep: tokens.issue(store, rep) for rep in REPS}
    return path, issued


@pytest.fixture(scope="session")
def demo_on_postgres(
    postgres: Cluster, seeded: tuple[Path, dict[str, str]], terms: Agreement
) -> str:
    """A template database holding the seeded team, copied in once."""
    with psycopg.connect(postgres.url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {TEMPLATE}")
    team = PostgresTeam(postgres.database_url(TEMPLATE), terms, pool_size=1)
    with Store(seeded[0]) as source:
        copy_file(source, team)
    team.close()
    return TEMPLATE


@pytest.fixture(params=["file", "postgresql"])
def team(
    request: pytest.FixtureRequest,
    seeded: tuple[Path, dict[str, str]],
    tmp_path: Path,
    terms: Agreement,
) -> Iterator[TeamStore]:
    if request.param == "file":
        path = tmp_path / "team.db"
        path.write_bytes(seeded[0].read_bytes())
        on_file = FileTeam(Store(path), terms)
        yield on_file
        on_file.close()
        return
    cluster: Cluster = request.getfixturevalue("postgres")
    template = request.getfixturevalue("demo_on_postgres")
    with fresh_database(cluster, template) as url:
        on_postgres = PostgresTeam(url, terms, pool_size=8)
        yield on_postgres
        on_postgres.close()


@pytest.fixture
def on_postgres(
    postgres: Cluster, demo_on_postgres: str, terms: Agreement
) -> Iterator[PostgresTeam]:
    """The team on PostgreSQL alone, for what only PostgreSQL does."""
    with fresh_database(postgres, demo_on_postgres) as url:
        team = PostgresTeam(url, terms, pool_size=8)
        yield team
        team.close()


@contextmanager
def fresh_database(cluster: Cluster, template: str) -> Iterator[str]:
    """A database of its own for one test, copied from the template, dropped after."""
    name = f"team_{next(_numbers)}"
    with psycopg.connect(cluster.url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    try:
        yield cluster.database_url(name)
    finally:
        with psycopg.connect(cluster.url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def flaky_server(
    team: TeamStore, seeded: tuple[Path, dict[str, str]]
) -> Iterator[tuple[Running, Flaky]]:
    flaky = Flaky(make_server(team))
    url, running, thread = serve_in_thread(flaky)
    with Store(seeded[0]) as seed:
        served = Running(url, team, seeded[1], running, thread, seed)
        yield served, flaky
        served.stop()


@pytest.fixture
def server(flaky_server: tuple[Running, Flaky]) -> Running:
    return flaky_server[0]
