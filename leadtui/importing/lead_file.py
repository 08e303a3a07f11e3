"""A CSV file of leads -> lead records (core.intake), and the rows it cannot take with
the reason for each; the records then go through the one intake door."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from leadtui.core import collector
from leadtui.core.intake import LeadRecord
from leadtui.importing import columns
from leadtui.importing.columns import BadCell, Mapping, mapping_of
from leadtui.importing.files import ImportFailure, Progress, Row, counted, read


@dataclass(frozen=True)
class LeadFile:
    """What a file of leads holds: its header, a record per lead (a row repeated with
    the same key fills in the first), and the rows it could not take."""

    header: list[str]
    records: list[LeadRecord]
    rejected: list[Row]


def read_leads(
    path: Path,
    *,
    overrides: dict[str, str] | None = None,
    source: str | None = None,
    progress: Progress | None = None,
) -> LeadFile:
    """The file's leads as records; ImportFailure when the file as a whole cannot be read
    (nothing in it is taken then)."""
    header, rows = read(path)
    mapping = mapping_of(
        path, header, overrides, columns.LEAD_HEADERS, columns.FIELDS, "a lead field"
    )
    if not (mapping.has("email") or mapping.has("external_id")):
        raise ImportFailure(
            f"{path}: no column holds an email or an external id; name one with --map"
        )
    reading = _reading(mapping)
    LeadRecord.model_rebuild()  # the record's model is built on first use (deferred)
    validate = LeadRecord.__pydantic_validator__.validate_python
    good: dict[str, LeadRecord] = {}  # by key, so a repeated row updates the first
    rejected: list[Row] = []
    with collector.held_off():  # a record a row, and none holds a cycle
        for line, row, problem in counted(rows, progress):
            if problem:
                rejected.append((line, row, problem))
                continue
            try:
                record = _record(row, reading, source, validate)
            except BadCell as bad:
                rejected.append((line, row, str(bad)))
                continue
            key = record.key
            first = good.get(key)
            good[key] = record if first is None else _filled_in(first, record)
    return LeadFile(header, list(good.values()), rejected)


# How a column's cells are read: kept as a custom field, a number, a time, the email, or
# text; decided once a file, from the column's field.
_CUSTOM, _NUMBER, _TIME, _EMAIL, _TEXT = range(5)


def _reading(mapping: Mapping) -> list[tuple[str, str | None, int]]:
    """Each column's header, field and how its cells are read."""

    def how(name: str | None) -> int:
        if name is None:
            return _CUSTOM
        if name in columns.NUMBER_FIELDS:
            return _NUMBER
        if name in columns.TIME_FIELDS:
            return _TIME
        return _EMAIL if name == "email" else _TEXT

    return [(h, n, how(n)) for h, n in zip(mapping.headers, mapping.fields, strict=True)]


def _record(
    row: list[str],
    reading: list[tuple[str, str | None, int]],
    source: str | None,
    validate: Callable[[dict[str, Any]], Any],
) -> LeadRecord:
    """The row as a record; BadCell (the reason for the rejects file) if it cannot be."""
    if len(row) != len(reading):
        raise BadCell(f"{len(row)} columns where the header has {len(reading)}")
    lead: dict[str, Any] = {}
    custom: dict[str, str] = {}
    for (header, name, how), cell in zip(reading, row, strict=True):
        if how == _TEXT:
            lead[name or ""] = cell.strip() or None
        elif how == _CUSTOM:
            if text := cell.strip():
                custom[header] = text
        elif how == _NUMBER:
            value = columns.number(cell, name or "")
            lead[name or ""] = (
                None if value is None else (int(value) if name == "employees" else value)
            )
        elif how == _TIME:
            at = columns.moment(cell, name or "")
            lead[name or ""] = None if at is None else datetime.fromtimestamp(at, UTC)
        else:
            lead["email"] = columns.email(cell) or None
    first, last = lead.pop("first_name", None), lead.pop("last_name", None)
    if not lead.get("name") and (first or last):
        lead["name"] = " ".join(part for part in (first, last) if part)
    if source:
        lead["source"] = source
    if not lead.get("email") and not lead.get("external_id"):
        raise BadCell("no email and no external id: nothing to know the lead by")
    try:
        if custom:
            lead["custom"] = custom
        return validate(lead)  # type: ignore[no-any-return]
    except ValidationError as refused:
        error = refused.errors()[0]  # the field alone: a custom field's name may be long
        where = str(error["loc"][0]) if error["loc"] else "the row"
        raise BadCell(f"{where}: {error['msg']}") from None


def _filled_in(first: LeadRecord, later: LeadRecord) -> LeadRecord:
    """The first record with what a later one of the same key says (its custom fields,
    when it has any, replace the first's)."""
    said = {name: value for name, value in later if value is not None and value != {}}
    return first.model_copy(update=said)
