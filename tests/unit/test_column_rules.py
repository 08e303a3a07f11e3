"""Rules on the columns a lead import keeps beside the built-in fields: how they are
written in the agreement, refused when wrong, and scored alike by Python and SQL."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from leadtui.cli import main
from leadtui.core import agreement as agreement_file
from leadtui.core.agreement import Agreement, AgreementError
from leadtui.core.scoring import Group, score
from leadtui.store import Store
from tests.conftest import make_lead

NOW = datetime(2026, 11, 16, 15, tzinfo=UTC)

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
tier = "time"

[[fit]]
label = "spent 100 to 1,100 seconds on the website"
column = "Total Time Spent on Website"
at_least = 100
less_than = 1100
points = 9
tier = "time"

[[fit]]
label = "100 to 999 people"
field = "employees"
at_least = 100
less_than = 1000
points = 4

[[fit]]
label = "spent under 100 seconds on the website"
column = "Total Time Spent on Website"
less_than = 100
points = 2
tier = "time"

[[fit]]
label = "gave a budget"
column = "Budget \\"approx\\""
blank = false
points = 5

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

[[negative]]
label = "no head count given"
field = "employees"
blank = true
points = -3
"""


@pytest.fixture(scope="module")
def with_columns() -> Agreement:
    return agreement_file.parse(agreement_file.default_text() + RULES, "with-columns.toml")


# What leads of one export carry in the columns the rules read.
KEPT: list[dict[str, str]] = [
    {"Lead Origin": "Lead Add Form", "Total Time Spent on Website": "1,100"},
    {"Lead Origin": "lead add form ", "Total Time Spent on Website": "1099.5"},
    {"Lead Origin": "Landing Page Submission", "Total Time Spent on Website": "99"},
    {"Lead Origin": "API", "Total Time Spent on Website": "a lot", "Specialization": "Select"},
    {"Total Time Spent on Website": "", "Specialization": "Finance", 'Budget "approx"': "50k"},
    {"Specialization": "n/a", 'Budget "approx"': "-", "Ünïcode Köln": "ja"},
    {},
]


def _leads(store: Store) -> list[int]:
    ids = []
    for number, kept in enumerate(KEPT):
        blanks: dict[str, object] = {"industry": ""} if number % 2 else {"employees": None}
        lead = make_lead(
            name=f"Lead {number}", email=f"lead{number}@example.com", custom=kept, **blanks
        )
        ids.append(store.add_lead(lead).id)
    return ids


def test_python_scores_a_kept_column_as_the_rule_says(with_columns: Agreement) -> None:
    lead = make_lead(
        custom={"Lead Origin": "Lead Add Form", "Total Time Spent on Website": "1,240"},
        employees=None,
    )
    found = {factor.label: factor for factor in score(lead, [], with_columns, NOW).factors}
    assert found["came through the Lead Add Form"].points == 34
    assert found["came through the Lead Add Form"].evidence == "Lead Origin: Lead Add Form"
    assert found["spent 1,100 seconds or more on the website"].evidence == (
        "Total Time Spent on Website: 1,240"
    )
    assert "came through a landing page" not in found  # one level of each tier
    assert found["specialization left blank"].evidence == "Specialization: "
    assert found["specialization left blank"].group is Group.NEGATIVE
    assert found["no head count given"].points == -3
    assert "gave a budget" not in found and "no industry given" not in found


def test_sql_rescoring_gives_what_python_gives_on_kept_columns(
    with_columns: Agreement, tmp_path: Path
) -> None:
    with Store(tmp_path / "columns.db") as store:
        ids = _leads(store)
        store.rescore(with_columns, NOW)
        for lead_id in ids:
            lead = store.lead(lead_id)
            expected = score(lead, store.activities(lead_id), with_columns, NOW)
            stored = store.factors(lead_id)
            shown = [(f.label, f.points, f.evidence) for f in stored]
            assert shown == [(f.label, f.points, f.evidence) for f in expected.factors]
            assert (lead.score, lead.fit) == (expected.total, expected.fit)
        by_lead = {lead_id: {f.label for f in store.factors(lead_id)} for lead_id in ids}
    assert "came through the Lead Add Form" in by_lead[ids[1]]  # case and spaces aside
    assert "spent 1,100 seconds or more on the website" not in by_lead[ids[1]]
    assert "spent 100 to 1,100 seconds on the website" in by_lead[ids[1]]
    assert "spent 100 to 1,100 seconds on the website" not in by_lead[ids[0]]
    assert "100 to 999 people" in by_lead[ids[1]]  # 450 people
    assert "came through a landing page" in by_lead[ids[2]]
    assert "spent under 100 seconds on the website" in by_lead[ids[2]]
    assert "specialization left blank" in by_lead[ids[3]]  # "Select" is no answer
    assert "specialization left blank" in by_lead[ids[6]]  # nor is no column at all
    assert "specialization left blank" not in by_lead[ids[4]]
    assert "gave a budget" in by_lead[ids[4]] and "gave a budget" not in by_lead[ids[5]]


@pytest.mark.parametrize(
    ("rule", "said"),
    [
        (
            'column = "Lead Origin"\ngreater_than = 3',
            "line +5: fit[N].greater_than: unknown key 'greater_than'; a rule reads a field "
            "or column under one condition of any_of, matches, at_least, less_than, blank",
        ),
        (
            'field = "title"\ncolumn = "Job Title"\nany_of = ["VP"]',
            "line +1: fit[N]: give field (a lead field such as title) or column",
        ),
        (
            'column = "   "\nany_of = ["VP"]',
            "line +4: fit[N].column: name the column by its header in the import file",
        ),
        (
            'field = "employees"\nmatches = "big"',
            "line +1: fit[N]: matches does not apply to employees, which is a number",
        ),
        (
            'column = "Lead Origin"\nblank = true\nany_of = ["API"]',
            "give exactly one condition of any_of, matches, at_least, less_than, blank "
            "(at_least with less_than is one: a band); got any_of, blank",
        ),
    ],
)
def test_a_wrong_column_rule_is_named_with_its_line(rule: str, said: str) -> None:
    text = agreement_file.default_text()
    rules = len(agreement_file.parse(text).fit)
    extra = f'[[fit]]\nlabel = "extra"\npoints = 3\n{rule}\n'
    with pytest.raises(AgreementError) as refused:
        agreement_file.parse(text + extra, "proposed.toml")
    # Lines counted in the rule added at the end: +1 is its [[fit]] header.
    expected = re.sub(
        r"line \+(\d)", lambda n: f"line {text.count(chr(10)) + int(n[1])}", said
    ).replace("fit[N]", f"fit[{rules + 1}]")
    assert expected in str(refused.value), str(refused.value)


def test_agreement_check_holds_column_rules_against_the_leads(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    database = tmp_path / "team.db"
    export = tmp_path / "export.csv"
    export.write_text(
        "Email,First Name,Last Name,Company,Lead Origin,Total Time Spent on Website\n"
        "a@granite.example,Ana,Ruiz,Granite,Lead Add Form,1100\n"
        "b@granite.example,Ben,Ode,Granite,API,n/a\n"
        "c@granite.example,Cy,Lam,Granite,Landing Page Submission,35\n"
    )
    assert main(["--db", str(database), "import", "leads", str(export)]) == 0
    proposed = tmp_path / "proposed.toml"
    text = agreement_file.default_text() + RULES
    proposed.write_text(text)
    capsys.readouterr()
    code = main(["--db", str(database), "agreement", "check", str(proposed)])
    out, err = capsys.readouterr()
    assert code == 0 and "valid" in out
    assert f"note: no lead carries the column 'Specialization' yet in {database}" in err
    wrong = text + '\n[[fit]]\nlabel = "big origin"\npoints = 3\ncolumn = "Lead Origin"\n'
    proposed.write_text(wrong + "at_least = 5\n")
    code = main(["--db", str(database), "agreement", "check", str(proposed)])
    out, err = capsys.readouterr()
    line = wrong.count("\n")  # the column = line of the rule added last
    assert code == 1 and out == ""
    assert (
        f"leadtui: {proposed}, line {line}: fit[{len(agreement_file.parse(text).fit) + 1}]"
        ".column: 'Lead Origin' holds text (such as 'API'), not numbers: at_least can never hold"
    ) in err
    assert not (tmp_path / "elsewhere.db").exists()
    code = main(["--db", str(tmp_path / "elsewhere.db"), "agreement", "check", str(proposed)])
    capsys.readouterr()
    assert code == 0 and not (tmp_path / "elsewhere.db").exists()  # no database, no data check


def test_a_change_to_kept_columns_alone_is_scored_again(
    with_columns: Agreement, tmp_path: Path
) -> None:
    database = tmp_path / "team.db"
    with Store(database) as store:
        lead_id = store.add_lead(make_lead(custom={"Lead Origin": "API"})).id
        store.rescore(with_columns, NOW)
        assert "came through the Lead Add Form" not in {f.label for f in store.factors(lead_id)}
    # A writer that changes nothing but the kept columns (as a CRM's update may).
    with sqlite3.connect(database) as writer:
        writer.execute(
            "UPDATE leads SET custom = json_set(custom, '$.\"Lead Origin\"', 'Lead Add Form')"
        )
    writer.close()
    with Store(database) as store:
        store.rescore(with_columns, NOW)  # the same agreement: only the column moved
        assert "came through the Lead Add Form" in {f.label for f in store.factors(lead_id)}
