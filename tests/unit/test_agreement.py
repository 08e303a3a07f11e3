"""The agreement file: the shipped default validates, broken files are named precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadtui.core import agreement as agreement_file
from leadtui.core.agreement import AgreementError


def test_the_shipped_default_is_realistic() -> None:
    terms = agreement_file.load()
    assert terms.fit_hurdle == 25
    assert terms.mql_threshold == 60
    assert "gmail.com" in terms.required.free_mail_domains
    assert terms.sla.first_touch_target("web_form") == 60
    assert terms.sla.first_touch_target("carrier_pigeon") == 240  # falls back to default
    assert terms.sla.cadence.calls == 3
    assert "no_response" in terms.reasons.return_to_nurture
    assert {rule.kind for rule in terms.engagement} >= {"pricing_page", "roi_calculator"}


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = agreement_file.default_text()
    assert old in text
    path = tmp_path / "agreement.toml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_a_wrong_type_names_file_line_and_field(tmp_path: Path) -> None:
    path = _broken(tmp_path, "points = 20\n", 'points = "lots"\n')
    with pytest.raises(AgreementError) as caught:
        agreement_file.load(path)
    message = str(caught.value)
    line = _line_of(path, 'points = "lots"')
    assert message.startswith(f"{path}, line {line}: fit[1].points:")
    assert "integer" in message


def test_a_missing_field_points_at_its_table(tmp_path: Path) -> None:
    path = _broken(tmp_path, 'time_zone = "America/Chicago"\n', "")
    with pytest.raises(AgreementError) as caught:
        agreement_file.load(path)
    assert f"line {_line_of(path, '[sla]')}: sla.time_zone: Field required" in str(caught.value)


def test_an_unknown_time_zone_is_refused(tmp_path: Path) -> None:
    path = _broken(tmp_path, '"America/Chicago"', '"America/Atlantis"')
    with pytest.raises(AgreementError, match="unknown time zone 'America/Atlantis'"):
        agreement_file.load(path)


def test_a_typo_in_a_key_is_refused_not_ignored(tmp_path: Path) -> None:
    path = _broken(tmp_path, "fit_hurdle = 25", "fit_hurdel = 25")
    with pytest.raises(AgreementError) as caught:
        agreement_file.load(path)
    fields = {problem.field for problem in caught.value.problems}
    assert {"fit_hurdle", "fit_hurdel"} <= fields


def test_a_bad_regular_expression_is_caught(tmp_path: Path) -> None:
    path = _broken(tmp_path, r"matches = '\bdirector\b'", "matches = '(director'")
    with pytest.raises(AgreementError, match=r"fit\[2\]\.matches: not a valid regular expression"):
        agreement_file.load(path)


def test_cap_below_one_occurrence_is_refused(tmp_path: Path) -> None:
    path = _broken(tmp_path, "cap = 30\n", "cap = 3\n")
    with pytest.raises(AgreementError, match=r"engagement\[1\]: cap 3 is below the 30 points"):
        agreement_file.load(path)


def test_hurdle_above_threshold_is_refused(tmp_path: Path) -> None:
    path = _broken(tmp_path, "fit_hurdle = 25", "fit_hurdle = 90")
    with pytest.raises(AgreementError, match="fit_hurdle .90. is above mql_threshold .60."):
        agreement_file.load(path)


def test_toml_syntax_errors_carry_the_line(tmp_path: Path) -> None:
    path = _broken(tmp_path, "mql_threshold = 60", "mql_threshold = = 60")
    with pytest.raises(AgreementError) as caught:
        agreement_file.load(path)
    assert f"line {_line_of(path, 'mql_threshold = = 60')}" in str(caught.value)
    assert "not valid TOML" in str(caught.value)


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(AgreementError, match="no such file"):
        agreement_file.load(tmp_path / "nope.toml")
    latin = tmp_path / "latin.toml"
    latin.write_bytes("name = 'caf\xe9'".encode("latin-1"))
    with pytest.raises(AgreementError, match="not UTF-8"):
        agreement_file.load(latin)


def test_every_problem_is_listed(tmp_path: Path) -> None:
    path = _broken(tmp_path, "points = 20\n", "points = -1\n")
    path.write_text(
        path.read_text("utf-8").replace("due_soon_minutes = 30", "due_soon_minutes = -5")
    )
    with pytest.raises(AgreementError) as caught:
        agreement_file.load(path)
    assert [problem.field for problem in caught.value.problems] == [
        "fit[1].points",
        "sla.due_soon_minutes",
    ]
    assert str(caught.value).endswith("(and 1 more problem)")


def test_one_rule_per_activity_kind(tmp_path: Path) -> None:
    path = _broken(tmp_path, 'kind = "roi_calculator"', 'kind = "pricing_page"')
    with pytest.raises(AgreementError, match="more than one rule for activity kind pricing_page"):
        agreement_file.load(path)
