"""The qualified-lead agreement: a TOML file marketing and sales sign, validated."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, time
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from leadtui.core.toml_lines import key_lines, line_for

TEXT_FIELDS = frozenset(
    {"name", "title", "company", "email", "phone", "website", "city", "region", "country"}
    | {"industry", "source"}
)
NUMERIC_FIELDS = frozenset({"employees", "revenue"})
LEAD_FIELDS = TEXT_FIELDS | NUMERIC_FIELDS
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


CONDITIONS = ("any_of", "matches", "at_least", "less_than", "blank")
BAND = ("at_least", "less_than")  # both together: at_least <= value < less_than
# Longest header a rule may name: what a spreadsheet column is ever called, and far
# short of a cell the import would refuse.
COLUMN_MAX = 200


class _ReadsAValue:
    """What a fit rule and a field-based negative rule share: the value they read and
    the condition they put on it."""

    @property
    def subject(self) -> str:
        """What the rule reads, as a rep sees it in the evidence: 'title', 'Lead Origin'."""
        return str(getattr(self, "field", None) or getattr(self, "column", None) or "")

    @property
    def condition(self) -> str:
        return next(name for name in CONDITIONS if getattr(self, name, None) is not None)


class FieldCondition(_ReadsAValue, _Strict):
    """One test on one of the lead's values: a built-in `field`, or a `column` the lead
    import kept beside them (named by its header, as the file has it); and exactly one
    condition of any_of, matches, at_least, less_than (numbers, also written as text in
    a column) or blank (true: nothing, or a placeholder such as "Select"; false: a value).
    """

    field: str | None = None
    column: str | None = None
    any_of: list[str] | None = None
    matches: str | None = None
    at_least: float | None = None
    less_than: float | None = None
    blank: bool | None = None

    @field_validator("field")
    @classmethod
    def _known_field(cls, name: str | None) -> str | None:
        if name is not None and name not in LEAD_FIELDS:
            raise ValueError(
                f"unknown lead field {name!r}; use one of {', '.join(sorted(LEAD_FIELDS))}, "
                'or column = "..." for a column the import kept'
            )
        return name

    @field_validator("column")
    @classmethod
    def _a_header(cls, name: str | None) -> str | None:
        if name is not None and not name.strip():
            raise ValueError("name the column by its header in the import file")
        if name is not None and len(name) > COLUMN_MAX:
            raise ValueError(f"a column header holds at most {COLUMN_MAX} characters")
        return name

    @field_validator("matches")
    @classmethod
    def _compiles(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"not a valid regular expression: {error}") from None
        return pattern

    @model_validator(mode="after")
    def _one_condition(self) -> Self:
        if (self.field is None) == (self.column is None):
            raise ValueError(
                "give field (a lead field such as title) or column (a header the import "
                "kept), one of them"
            )
        given = [name for name in CONDITIONS if getattr(self, name) is not None]
        if len(given) != 1 and given != list(BAND):
            raise ValueError(
                f"give exactly one condition of {', '.join(CONDITIONS)} "
                "(at_least with less_than is one: a band)"
                + (f"; got {', '.join(given)}" if given else "")
            )
        if self.field is not None and given[0] != "blank":
            numeric = given[0] in BAND
            if numeric != (self.field in NUMERIC_FIELDS):
                kind = "a number" if self.field in NUMERIC_FIELDS else "text"
                raise ValueError(f"{given[0]} does not apply to {self.field}, which is {kind}")
        if given == list(BAND) and not self.less_than > self.at_least:  # type: ignore[operator]
            raise ValueError(
                f"less_than ({self.less_than:g}) must be above at_least ({self.at_least:g})"
            )
        return self


class FitRule(FieldCondition):
    label: str = Field(min_length=1)
    # Zero only means something in a tier: the level is worth nothing, and the tier's
    # later rules do not count for a lead that has it.
    points: int = Field(ge=0)
    tier: str | None = None

    @model_validator(mode="after")
    def _zero_only_in_a_tier(self) -> Self:
        if self.points == 0 and self.tier is None:
            raise ValueError("a rule worth 0 points counts only in a tier; give it a tier")
        return self


class EngagementRule(_Strict):
    label: str = Field(min_length=1)
    kind: str = Field(min_length=1)
    points: int = Field(gt=0)
    cap: int = Field(gt=0)
    half_life_days: float = Field(gt=0)

    @model_validator(mode="after")
    def _cap_holds_one(self) -> Self:
        if self.cap < self.points:
            raise ValueError(f"cap {self.cap} is below the {self.points} points of one occurrence")
        return self


class NegativeRule(_ReadsAValue, _Strict):
    """A bad signal: a field condition or an activity kind, worth negative points."""

    label: str = Field(min_length=1)
    points: int = Field(lt=0)
    kind: str | None = None
    field: str | None = None
    column: str | None = None
    any_of: list[str] | None = None
    matches: str | None = None
    at_least: float | None = None
    less_than: float | None = None
    blank: bool | None = None

    @model_validator(mode="after")
    def _kind_or_field(self) -> Self:
        reads_a_value = self.field is not None or self.column is not None
        if (self.kind is None) == (not reads_a_value):
            raise ValueError("give either kind (an activity) or a field or column with a condition")
        if reads_a_value:
            FieldCondition.model_validate(self.model_dump(exclude={"label", "points", "kind"}))
        return self


class Required(_Strict):
    fields: list[str]
    min_phone_digits: int = Field(default=7, ge=1)
    max_phone_digits: int = Field(default=15, ge=1)
    free_mail_domains: list[str] = Field(default_factory=list)

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, names: list[str]) -> list[str]:
        unknown = sorted(set(names) - LEAD_FIELDS)
        if unknown:
            raise ValueError(f"unknown lead field(s): {', '.join(unknown)}")
        return names

    @field_validator("free_mail_domains")
    @classmethod
    def _lower(cls, domains: list[str]) -> list[str]:
        return [domain.strip().lower() for domain in domains]


class Reasons(_Strict):
    return_to_nurture: dict[str, str] = Field(min_length=1)
    disqualify: dict[str, str] = Field(min_length=1)


class Cadence(_Strict):
    calls: int = Field(default=3, ge=0)
    emails: int = Field(default=2, ge=0)
    over_business_days: int = Field(default=5, gt=0)


class SlaTerms(_Strict):
    time_zone: str
    working_days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(
        min_length=1
    )
    opens: time
    closes: time
    holidays: list[date] = Field(default_factory=list)
    due_soon_minutes: int = Field(default=30, ge=0)
    handoff_hours: float = Field(default=4, gt=0)
    first_touch_minutes: dict[str, int]
    cadence: Cadence = Field(default_factory=Cadence)

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {name!r} (use an IANA name such as Europe/Berlin)"
            ) from None
        return name

    @field_validator("first_touch_minutes")
    @classmethod
    def _has_default(cls, targets: dict[str, int]) -> dict[str, int]:
        if "default" not in targets:
            raise ValueError("needs a 'default' target for sources not listed")
        if any(minutes <= 0 for minutes in targets.values()):
            raise ValueError("targets must be positive minutes")
        return targets

    @model_validator(mode="after")
    def _opens_before_closes(self) -> Self:
        if self.opens >= self.closes:
            raise ValueError(
                f"opens ({self.opens:%H:%M}) must be before closes ({self.closes:%H:%M})"
            )
        return self

    def first_touch_target(self, source: str) -> int:
        """Business minutes allowed to the first touch for a lead of this source."""
        return self.first_touch_minutes.get(source, self.first_touch_minutes["default"])


class Agreement(_Strict):
    name: str = "Qualified-lead agreement"
    fit_hurdle: int = Field(ge=0)
    mql_threshold: int = Field(gt=0)
    required: Required
    fit: list[FitRule] = Field(min_length=1)
    engagement: list[EngagementRule] = Field(min_length=1)
    negative: list[NegativeRule] = Field(default_factory=list)
    reasons: Reasons
    sla: SlaTerms

    @model_validator(mode="after")
    def _one_rule_per_activity(self) -> Self:
        kinds = [rule.kind for rule in self.engagement]
        kinds += [rule.kind for rule in self.negative if rule.kind is not None]
        twice = sorted({kind for kind in kinds if kinds.count(kind) > 1})
        if twice:
            raise ValueError(f"more than one rule for activity kind {', '.join(twice)}")
        return self

    @model_validator(mode="after")
    def _hurdle_below_threshold(self) -> Self:
        if self.fit_hurdle > self.mql_threshold:
            raise ValueError(
                f"fit_hurdle ({self.fit_hurdle}) is above mql_threshold ({self.mql_threshold}): "
                "no lead could qualify on engagement"
            )
        return self


@dataclass(frozen=True)
class Problem:
    line: int | None
    field: str
    message: str


class AgreementError(Exception):
    """A file that is not a valid agreement; names the file, line and field."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(self.describe(problems[0]))

    def describe(self, problem: Problem) -> str:
        where = self.source if problem.line is None else f"{self.source}, line {problem.line}"
        field = f" {problem.field}:" if problem.field else ""
        return f"{where}:{field} {problem.message}"

    def __str__(self) -> str:
        first = self.describe(self.problems[0])
        more = len(self.problems) - 1
        return first if more == 0 else f"{first} (and {more} more problem{'s' * (more > 1)})"


def default_text() -> str:
    return resources.files("leadtui.core").joinpath("default_agreement.toml").read_text("utf-8")


def parse(text: str, source: str = "agreement") -> Agreement:
    """Validate agreement text; the `source` name appears in every error."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column \d+\)", str(error))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        line = int(found.group(1)) if found else None
        raise AgreementError(source, [Problem(line, "", f"not valid TOML: {message}")]) from None
    try:
        return Agreement.model_validate(data)
    except ValidationError as error:
        lines = key_lines(text)
        problems = [
            Problem(line_for(lines, detail["loc"]), _dotted(detail["loc"]), _message(detail))
            for detail in error.errors()
        ]
        raise AgreementError(source, problems) from None


def load(path: Path | None = None) -> Agreement:
    """The agreement in `path`, or the shipped default."""
    if path is None:
        return parse(default_text(), "default agreement")
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise AgreementError(str(path), [Problem(None, "", "no such file")]) from None
    except UnicodeDecodeError:
        raise AgreementError(str(path), [Problem(None, "", "not UTF-8 text")]) from None
    except OSError as error:
        raise AgreementError(str(path), [Problem(None, "", error.strerror or str(error))]) from None
    return parse(text, str(path))


def _message(detail: Any) -> str:
    if detail["type"] == "extra_forbidden":
        loc = detail["loc"]
        if loc and loc[0] in ("fit", "negative"):
            return (
                f"unknown key {loc[-1]!r}; a rule reads a field or column under one "
                f"condition of {', '.join(CONDITIONS)}"
            )
        return f"unknown key {loc[-1]!r}" if loc else "unknown key"
    message = str(detail["msg"])
    return message.removeprefix("Value error, ")


def _dotted(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts[-1] = f"{parts[-1]}[{part + 1}]" if parts else f"[{part + 1}]"
        else:
            parts.append(part)
    return ".".join(parts)
