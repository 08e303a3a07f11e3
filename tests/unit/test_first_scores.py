"""New leads are scored as they come in (core.first_scores), not by a rescoring after:
what they come in with is what the set-based rescoring gives them, factor for factor."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from leadtui.core import agreement as agreement_file
from leadtui.core.agreement import Agreement
from leadtui.core.first_scores import FirstScores
from leadtui.core.intake import CONTACT_FIELDS, CheckedRecord, LeadRecord
from leadtui.store import Store
from tests.conftest import NOW

# Tiers on a kept column, a tier across a field and a column, numbers as text, blanks,
# revenues SQLite writes in its own way (1234.56789012346), on top of the default rules.
RULES = """
[[fit]]
label = "came through the Lead Add Form"
column = "Lead Origin"
any_of = ["Lead Add Form"]
points = 34
tier = "origin"

[[fit]]
label = "came through a landing page"
column = "Lead Origin"
matches = "landing"
points = 12
tier = "origin"

[[fit]]
label = "spent 1,100 seconds or more on the website"
column = "Total Time Spent on Website"
at_least = 1100
points = 21

[[fit]]
label = "$20M+ revenue"
field = "revenue"
at_least = 20000000
points = 6
tier = "money"

[[fit]]
label = "says the budget is high"
column = "Budget"
any_of = ["high"]
points = 3
tier = "money"

[[fit]]
label = "some revenue"
field = "revenue"
at_least = 1000
points = 1

[[negative]]
label = "specialization left blank"
column = "Specialization"
blank = true
points = -6

[[negative]]
label = "no industry given"
field = "industry"
blank = true
points = -4
"""

TITLES = ["VP of IT", "IT Manager", "Director of Operations", "Student", "", "intern", "CIO"]
REVENUES = [None, 1234.5678901234567, 2e7, 1e15, 19_999_999.5, 0.1, 5e-7, 75_000_000.0]
EMPLOYEES = [None, 0, 50, 99, 100, 450, 5_000]
KEPT: list[dict[str, str] | None] = [
    None,
    {"Lead Origin": "Lead Add Form", "Total Time Spent on Website": "1,100"},
    {"Lead Origin": "Landing Page Submission", "Budget": "high", "Specialization": "Select"},
    {"Lead Origin": "API", "Total Time Spent on Website": "a lot", "Specialization": "IT"},
    {"Budget": "high"},
    {"Specialization": "n/a", "Ünïcode Köln": "ja"},
]


@pytest.fixture(scope="module")
def rules() -> Agreement:
    return agreement_file.parse(agreement_file.default_text() + RULES, "first-scores.toml")


def _fields(n: int) -> dict[str, Any]:
    domain = "gmail.com" if n % 11 == 0 else f"maker{n % 13}.com"
    return {
        "name": f"Lead {n}",
        "title": TITLES[n % len(TITLES)] or None,
        "company": "Pipelinr Inc" if n % 17 == 0 else f"Maker {n % 13}",
        "email": f"lead{n}@{domain}",
        "phone": "+1 312 555 0100" if n % 3 else None,
        "website": f"https://{domain}" if n % 4 else None,
        "city": "Chicago" if n % 2 else None,
        "region": "IL" if n % 2 else None,
        "country": ["United States", "Germany", "Brazil", None][n % 4],
        "employees": EMPLOYEES[n % len(EMPLOYEES)],
        "revenue": REVENUES[n % len(REVENUES)],
        "industry": ["Manufacturing", "Retail", None][n % 3],
        "source": "web_form",
        "custom": KEPT[n % len(KEPT)],
    }


def _scoring(path: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        leads = conn.execute("SELECT id, score, fit, engagement FROM leads ORDER BY id").fetchall()
        factors = conn.execute("SELECT * FROM score_factors ORDER BY lead_id, position").fetchall()
        return leads, factors
    finally:
        conn.close()


@pytest.mark.parametrize("kind", ["checked", "validated"])
def test_new_leads_come_in_with_the_factors_a_rescoring_gives_them(
    rules: Agreement, tmp_path: Path, kind: str
) -> None:
    rows = [_fields(n) for n in range(420)]
    records: list[Any] = (
        [CheckedRecord(**row) for row in rows]
        if kind == "checked"
        else [LeadRecord.model_validate(row) for row in rows]
    )
    with Store(tmp_path / "leads.db") as store:
        summary = store.intake(records, actor="import", now=NOW, agreement=rules)
        assert summary.imported == len(rows)
        came_in = _scoring(tmp_path / "leads.db")
        store.rescore(rules, NOW)  # every lead, fit worked out again in SQL
        rescored = _scoring(tmp_path / "leads.db")
    assert came_in == rescored
    leads, factors = came_in
    labels = {factor[4] for factor in factors}
    assert {"came through the Lead Add Form", "says the budget is high", "$20M+ revenue"} <= labels
    assert {"free-mail address", "works for a competitor", "no industry given"} <= labels
    assert "revenue: 1234.56789012346" in {factor[6] for factor in factors}
    scores = [score for _, score, _, _ in leads]
    assert min(scores) < 0 < 30 < max(scores)


def test_a_tier_across_a_field_and_a_column_counts_its_first_rule_only(
    rules: Agreement,
) -> None:
    scores = FirstScores(rules)
    both = CheckedRecord(email="a@maker.com", revenue=3e7, custom={"Budget": "high"})
    budget_only = CheckedRecord(email="b@maker.com", revenue=5.0, custom={"Budget": "high"})
    _, factors = scores.scored([both, budget_only], 1)
    by_lead = {lead: {factor[4] for factor in factors if factor[0] == lead} for lead in (1, 2)}
    assert "$20M+ revenue" in by_lead[1] and "says the budget is high" not in by_lead[1]
    assert "says the budget is high" in by_lead[2] and "$20M+ revenue" not in by_lead[2]


def test_a_checked_record_begins_with_the_contact_fields_in_their_order() -> None:
    assert CheckedRecord._fields[: len(CONTACT_FIELDS)] == CONTACT_FIELDS
    assert set(CheckedRecord._fields) == set(LeadRecord.model_fields)
