"""The demo's past reads true: a campaign is named for the month it ran in, and some
cadences ran out without a connect, so the team review's cadence figures have numbers."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from leadtui.core import agreement as agreement_file
from leadtui.demo import DEMO_NOW
from leadtui.demo.generator import generate
from leadtui.reports import Period, Reports
from leadtui.store import Store
from tests import on_disk

MONTHS = "|".join(calendar.month_name[1:])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("past") / "demo.db"
    generate(path)
    return path


def test_no_campaign_is_named_for_another_month_or_year(demo: Path) -> None:
    zone = ZoneInfo(agreement_file.load().sla.time_zone)
    dated = on_disk.rows(
        demo,
        "SELECT at, detail FROM activities WHERE detail GLOB '*[0-9][0-9][0-9][0-9]*' "
        "OR detail LIKE '% newsletter'",
    )
    assert len(dated) > 100
    for at, detail in dated:
        local = datetime.fromtimestamp(at, UTC).astimezone(zone)
        if month := re.search(MONTHS, detail):
            assert month.group() == calendar.month_name[local.month], (detail, local)
        if year := re.search(r"\b(19|20)\d\d\b", detail):
            assert int(year.group()) == local.year, (detail, local)
    named = {detail for _, detail in dated if "newsletter" in detail}
    assert len(named) >= 3  # one a month, over the demo's months


def test_some_cadences_ran_out_without_a_connect_for_every_rep(demo: Path) -> None:
    terms = agreement_file.load()
    with Store(demo) as store:
        period = Period.named("30days", DEMO_NOW, ZoneInfo(terms.sla.time_zone))
        figures = {row.group: row for row in Reports(store, terms, period, DEMO_NOW).sla("rep")}
        reps = [rep.id for rep in store.reps() if rep.role.value == "rep"]
        owed = {rep: figures[rep].cadence_owed for rep in reps}
        assert all(owed.values()), owed  # every rep's Cadence column has a figure
        completion = {figures[rep].cadence_completion for rep in reps}
        assert 1.0 in completion and min(c or 0 for c in completion) < 1.0
        notes = {
            note
            for (note,) in on_disk.rows(
                store,
                "SELECT json_extract(payload, '$.note') FROM events "
                "WHERE kind = 'returned_to_nurture' "
                "AND json_extract(payload, '$.reason') = 'no_response'",
            )
        }
        assert "Cadence done, no connect" in notes
        assert any(note.startswith("Cadence ran out after") for note in notes)
