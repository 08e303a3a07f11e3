"""A CSV file of leads -> lead records (core.intake), and the rows it cannot take with
the reason for each; the records then go through the one intake door."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

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
    good: dict[str, LeadRecord] = {}  # by key, so a repeated row updates the first
    rejected: list[Row] = []
    for line, row, problem in counted(rows, progress):
        if problem:
            rejected.append((line, row, problem))
            continue
        try:
            record = _record(row, mapping, source)
        except BadCell as bad:
            rejected.append((line, row, str(bad)))
            continue
        key = record.key
        first = good.get(key)
        good[key] = record if first is None else _filled_in(first, record)
    return LeadFile(header, list(good.values()), rejected)


def _record(row: list[str], mapping: Mapping, source: str | None) -> LeadRecord:
    """The row as a record; BadCell (the reason for the rejects file) if it cannot be."""
    if len(row) != len(mapping.headers):
        raise BadCell(f"{len(row)} columns where the header has {len(mapping.headers)}")
    lead: dict[str, Any] = {}
    custom: dict[str, str] = {}
    for header, name, cell in zip(mapping.headers, mapping.fields, row, strict=True):
        if name is None:
            if cell.strip():
                custom[header] = cell.strip()
        elif name in columns.NUMBER_FIELDS:
            value = columns.number(cell, name)
            lead[name] = None if value is None else (int(value) if name == "employees" else value)
        elif name in columns.TIME_FIELDS:
            at = columns.moment(cell, name)
            lead[name] = None if at is None else datetime.fromtimestamp(at, UTC)
        elif name == "email":
            lead["email"] = columns.email(cell) or None
        else:
            lead[name] = cell.strip() or None
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
        return LeadRecord.model_validate(lead)
    except ValidationError as refused:
        error = refused.errors()[0]  # the field alone: a custom field's name may be long
        where = str(error["loc"][0]) if error["loc"] else "the row"
        raise BadCell(f"{where}: {error['msg']}") from None


def _filled_in(first: LeadRecord, later: LeadRecord) -> LeadRecord:
    """The first record with what a later one of the same key says (its custom fields,
    when it has any, replace the first's)."""
    said = {name: value for name, value in later if value is not None and value != {}}
    return first.model_copy(update=said)
