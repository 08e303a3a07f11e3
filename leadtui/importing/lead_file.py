"""A CSV file of leads -> lead records (core.intake), and the rows it cannot take with
the reason for each; the records then go through the one intake door."""

from __future__ import annotations

from collections import deque
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
from leadtui.importing.crm_exports import (
    EXPORTS,
    NAMES,
    STANDING_FIELDS,
    Export,
    recognised,
    where_it_stands,
)
from leadtui.importing.dates import DateColumn, checked_format
from leadtui.importing.files import ImportFailure, Progress, Row, counted, read
from leadtui.importing.owners import Owners


@dataclass(frozen=True)
class LeadFile:
    """What a file of leads holds: its header, a record per lead (a row repeated with
    the same key fills in the first), the rows it could not take, which CRM's export
    it was taken for, and how many leads it hands to sales name an owner who is no rep
    here."""

    header: list[str]
    records: list[LeadRecord]
    rejected: list[Row]
    export: Export | None = None
    unowned: int = 0


def read_leads(
    path: Path,
    *,
    overrides: dict[str, str] | None = None,
    source: str | None = None,
    progress: Progress | None = None,
    crm: str | None = None,
    date_format: str | None = None,
    owners: Owners | None = None,
) -> LeadFile:
    """The file's leads as records; ImportFailure when the file as a whole cannot be read
    (nothing in it is taken then). `crm`: hubspot, salesforce or none (the file's
    header tells, when not given); `owners`: the reps an owner column may name."""
    header, rows = read(path)
    if crm is not None and crm not in NAMES:
        raise ImportFailure(f"--crm {crm!r}: use one of {', '.join(NAMES)}")
    export = recognised(header) if crm is None else EXPORTS.get(crm)
    fields = columns.FIELDS | STANDING_FIELDS
    known = export.headers if export else columns.LEAD_HEADERS
    mapping = mapping_of(path, header, overrides, known, fields, "a lead field")
    if not (mapping.has("email") or mapping.has("external_id")):
        raise ImportFailure(
            f"{path}: no column holds an email or an external id; name one with --map"
        )
    fixed = None if date_format is None else checked_format(date_format)
    reading = _Reading(mapping, fixed, owners or Owners(()))
    LeadRecord.model_rebuild()  # the record's model is built on first use (deferred)
    validate = LeadRecord.__pydantic_validator__.validate_python
    good: dict[str, LeadRecord] = {}  # by key, so a repeated row updates the first
    unowned: set[str] = set()  # the keys of leads whose owner is no rep here
    rejected: list[Row] = []
    waiting: deque[tuple[int, list[str]]] = deque()  # rows whose dates are not settled yet

    def take(line: int, row: list[str]) -> None:
        try:
            record, unmatched = _record(row, reading, source, validate)
        except BadCell as bad:
            rejected.append((line, row, str(bad)))
            return
        key = record.key
        first = good.get(key)
        good[key] = record if first is None else _filled_in(first, record)
        (unowned.add if unmatched else unowned.discard)(key)

    footer = export.footer if export and reading.width > 1 else None
    held: list[tuple[int, list[str]]] = []  # one-cell lines: the export's footer, if last
    with collector.held_off():  # a record a row, and none holds a cycle
        for line, row, problem in counted(rows, progress):
            if footer and len(row) == 1 and not problem:
                held.append((line, row))
                continue
            for line_held, row_held in held:  # not the footer: rows of the wrong width
                take(line_held, row_held)
            held.clear()
            if problem:
                rejected.append((line, row, problem))
            elif reading.unsettled and (reading.waits(line, row) or waiting):
                waiting.append((line, row))
                while waiting and not reading.waits(*waiting[0]):
                    take(*waiting.popleft())
            else:
                take(line, row)
    if waiting:
        raise next(c for c in reading.dates if c.waits_on and c.order is None).refusal(path)
    if not any(footer and footer in row[0].casefold() for _, row in held):
        for line, row in held:
            take(line, row)
    rejected.sort(key=lambda item: item[0])
    return LeadFile(header, list(good.values()), rejected, export, len(unowned))


# How a column's cells are read: kept as a custom field, a number, a time, the email,
# text, or where the lead stands (its owner, stage, status); decided once a file.
_CUSTOM, _NUMBER, _TIME, _EMAIL, _TEXT, _STANDING = range(6)


class _Reading:
    """How each of a file's columns is read (its header, field and way), its date
    columns, and the reps its owner column may name."""

    def __init__(self, mapping: Mapping, date_format: str | None, owners: Owners) -> None:
        self.dates: list[DateColumn] = []
        self.columns: list[tuple[str, str | None, int, DateColumn | None]] = []
        for header, name in zip(mapping.headers, mapping.fields, strict=True):
            dates = None
            if name in columns.TIME_FIELDS:
                dates = DateColumn(header, name, date_format)
                self.dates.append(dates)
            self.columns.append((header, name, _how(name), dates))
        self.owners = owners
        self.says_stage = any(name in _STAGE_FIELDS for name in mapping.fields)
        self.width = len(self.columns)
        self._unsettled = [(n, c) for n, (_, _, _, c) in enumerate(self.columns) if c]

    @property
    def unsettled(self) -> bool:
        """Some date column's day/month order is not known yet."""
        return bool(self._unsettled)

    def waits(self, line: int, row: list[str]) -> bool:
        """Tell the date columns the row's dates; True when the row must wait for its
        columns' order (those the row settles no longer wait)."""
        if len(row) != self.width:
            return False  # rejected for its width when taken
        waiting = False
        for index, dates in self._unsettled:
            cell = row[index]
            if cell[:3].isdigit():  # a year first (ISO), or no date: it settles nothing
                continue
            waiting = dates.tell(cell, line) or waiting
        self._unsettled = [(n, c) for n, c in self._unsettled if c.order is None]
        return waiting


_STAGE_FIELDS = {"lifecycle_stage", "lead_status", "converted"}


def _how(name: str | None) -> int:
    if name is None:
        return _CUSTOM
    if name in columns.NUMBER_FIELDS:
        return _NUMBER
    if name in columns.TIME_FIELDS:
        return _TIME
    if name in STANDING_FIELDS:
        return _STANDING
    return _EMAIL if name == "email" else _TEXT


def _record(
    row: list[str],
    reading: _Reading,
    source: str | None,
    validate: Callable[[dict[str, Any]], Any],
) -> tuple[LeadRecord, bool]:
    """The row as a record, and whether the owner it names is no rep here (for a lead
    it hands over); BadCell (the reason for the rejects file) if it cannot be."""
    if len(row) != reading.width:
        raise BadCell(f"{len(row)} columns where the header has {reading.width}")
    lead: dict[str, Any] = {}
    custom: dict[str, str] = {}
    standing: dict[str, str] = {}
    for (header, name, how, dates), cell in zip(reading.columns, row, strict=True):
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
            at = dates.moment(cell) if dates else None
            lead[name or ""] = None if at is None else datetime.fromtimestamp(at, UTC)
        elif how == _STANDING:
            standing[name or ""] = cell
        else:
            lead["email"] = columns.email(cell) or None
    first, last = lead.pop("first_name", None), lead.pop("last_name", None)
    if not lead.get("name") and (first or last):
        lead["name"] = " ".join(part for part in (first, last) if part)
    if source:
        lead["source"] = source
    if not lead.get("email") and not lead.get("external_id"):
        raise BadCell("no email and no external id: nothing to know the lead by")
    if reading.says_stage:
        lifecycle = standing.get("lifecycle_stage")
        stage = where_it_stands(lifecycle, standing.get("lead_status"), standing.get("converted"))
        lead["stage"] = stage
        if stage is None and (lifecycle or "").strip():
            lead["mql_at"] = None  # marketing's now, whenever it once became an MQL
    named = standing.get("owner", "").strip()
    owner = reading.owners.rep_for(named) if named else None
    lead["owner"] = owner
    unmatched = bool(named) and owner is None and (lead.get("stage") or lead.get("mql_at"))
    try:
        if custom:
            lead["custom"] = custom
        return validate(lead), bool(unmatched)
    except ValidationError as refused:
        error = refused.errors()[0]  # the field alone: a custom field's name may be long
        where = str(error["loc"][0]) if error["loc"] else "the row"
        raise BadCell(f"{where}: {error['msg']}") from None


def _filled_in(first: LeadRecord, later: LeadRecord) -> LeadRecord:
    """The first record with what a later one of the same key says (its custom fields,
    when it has any, replace the first's)."""
    said = {name: value for name, value in later if value is not None and value != {}}
    return first.model_copy(update=said)
