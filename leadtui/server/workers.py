"""One of several server processes (`leadtui serve --database URL --workers N`):
uvicorn starts each and asks it for the app, made from what the parent process put
in the environment. Every process keeps its own pool of connections."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from leadtui.core import agreement
from leadtui.server.app import make_server
from leadtui.server.on_postgres import PostgresTeam

DATABASE = "LEADTUI_SERVER_DATABASE"
POOL = "LEADTUI_SERVER_POOL"
AGREEMENT = "LEADTUI_SERVER_AGREEMENT"


def settle(url: str, pool: int, agreement_file: Path | None) -> None:
    """What the worker processes will read (called by the parent before it starts them)."""
    os.environ[DATABASE] = url
    os.environ[POOL] = str(pool)
    os.environ[AGREEMENT] = "" if agreement_file is None else str(agreement_file)


def app() -> FastAPI:
    chosen = os.environ.get(AGREEMENT)
    terms = agreement.load(Path(chosen) if chosen else None)
    team = PostgresTeam(os.environ[DATABASE], terms, pool_size=int(os.environ.get(POOL, "10")))
    return make_server(team)
