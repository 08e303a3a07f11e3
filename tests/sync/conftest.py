"""A team server over a copy of the demo, with tokens for dana, marcus and morgan."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from leadtui.core.agreement import Agreement
from leadtui.server import tokens
from leadtui.server.app import make_server
from leadtui.store import Store
from tests.sync.servers import Flaky, Running, serve_in_thread


@pytest.fixture
def flaky_server(
    demo_file: Path, tmp_path: Path, terms: Agreement
) -> Iterator[tuple[Running, Flaky]]:
    path = tmp_path / "team.db"
    path.write_bytes(demo_file.read_bytes())
    store = Store(path)
    issued = {rep: tokens.issue(store, rep) for rep in ("dana", "marcus", "morgan")}
    flaky = Flaky(make_server(store, terms))
    url, running, thread = serve_in_thread(flaky)
    served = Running(url, store, issued, running, thread)
    yield served, flaky
    served.stop()
    store.close()


@pytest.fixture
def server(flaky_server: tuple[Running, Flaky]) -> Running:
    return flaky_server[0]
