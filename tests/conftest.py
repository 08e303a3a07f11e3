"""Fixtures shared by every test layer: a real SQLite file in tmp_path, a frozen clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from leadtui.core import agreement as agreement_file
from leadtui.core.agreement import Agreement
from leadtui.core.clock import FixedClock
from leadtui.core.models import Lead, Rep
from leadtui.store import Store

NOW = datetime(2026, 11, 17, 16, 40, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture(scope="session")
def terms() -> Agreement:
    return agreement_file.load()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "leads.db") as opened:
        opened.save_rep(Rep(id="dana", name="Dana Whitfield"))
        opened.save_rep(Rep(id="marcus", name="Marcus Lee"))
        yield opened


def make_lead(**fields: object) -> Lead:
    values: dict[str, object] = {
        "name": "Ines Martin",
        "title": "VP of IT",
        "company": "Granite Precision Inc.",
        "email": "ines.martin@graniteprecision.com",
        "phone": "+1 312 555 0199",
        "website": "https://www.graniteprecision.com",
        "city": "Chicago",
        "region": "IL",
        "country": "United States",
        "employees": 450,
        "industry": "Manufacturing",
        "source": "web_form",
        "created_at": datetime(2026, 10, 1, tzinfo=UTC),
    }
    values.update(fields)
    return Lead.model_validate(values)


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database of 1,500 leads (seed 5), generated once for the session."""
    from leadtui.demo.generator import generate

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    generate(path, leads=1500, seed=5)
    return path


@pytest.fixture
def work(demo_file: Path, tmp_path: Path, terms: Agreement) -> Iterator[Store]:
    """A copy of the demo to change, acting under the agreement as the app does."""
    copy = tmp_path / "work.db"
    copy.write_bytes(demo_file.read_bytes())
    with Store(copy) as store:
        store.use(terms)
        yield store
