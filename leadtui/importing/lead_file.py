"""A CSV file of leads -> lead records (core.intake), and the rows it cannot take with
the reason for each; the records then go through the one intake door."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from leadtui.core import collector
from leadtui.core.intake import LONGEST_TEXT, CheckedRecord
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
    records: list[CheckedRecord]
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
    reading = _Reading(mapping, fixed, owners or Owners(()), source)
    good: dict[str, CheckedRecord] = {}  # by key, so a repeated row updates the first
    unowned: set[str] = set()  # the keys of leads whose owner is no rep here
    rejected: list[Row] = []
    waiting: deque[tuple[int, list[str]]] = deque()  # rows whose dates are not settled yet

    def take(line: int, row: list[str]) -> None:
        try:
            record, unmatched = _record(row, reading, source)
        except BadCell as bad:
            rejected.append((line, row, str(bad)))
            return
        key = record.key
        first = good.get(key)
        good[key] = record if first is None else first.filled_in(record)
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

    def __init__(
        self, mapping: Mapping, date_format: str | None, owners: Owners, source: str | None
    ) -> None:
        self.dates: list[DateColumn] = []
        self.columns: list[tuple[str, str | None, int, DateColumn | None, int]] = []
        for header, name in zip(mapping.headers, mapping.fields, strict=True):
            dates = None
            if name in columns.TIME_FIELDS:
                dates = DateColumn(header, name, date_format)
                self.dates.append(dates)
            slot = _SLOT.get(name or "", -1)
            self.columns.append((header, name, _how(name), dates, slot))
        self.owners = owners
        self.says_stage = any(name in _STAGE_FIELDS for name in mapping.fields)
        self.width = len(self.columns)
        self._unsettled = [(n, c) for n, (_, _, _, c, _) in enumerate(self.columns) if c]
        # Kept columns named past the longest field: a row that fills one is refused.
        self.long_headers = {
            header
            for header, name in zip(mapping.headers, mapping.fields, strict=True)
            if name is None and len(header) > LONGEST_TEXT
        }
        # Why a source given for every row cannot be kept, in the record's words.
        self.source_refused = _refusal_of_source(source) if source else None

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


def _refusal_of_source(source: str) -> str | None:
    """What LeadRecord says of `source` (too long, a NUL), or None when it takes it."""
    if len(source) <= LONGEST_TEXT and "\x00" not in source:
        return None
    from pydantic import ValidationError

    from leadtui.core.intake import LeadRecord

    try:
        LeadRecord(email="lead@example.com", source=source)
    except ValidationError as refused:
        return f"source: {refused.errors()[0]['msg']}"
    return None


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


def _record(row: list[str], reading: _Reading, source: str | None) -> tuple[CheckedRecord, bool]:
    """The row as a record, and whether the owner it names is no rep here (for a lead
    it hands over); BadCell (the reason for the rejects file) if it cannot be. Each
    cell is bounded by the reader (files.py) and checked as its field here, so the
    record needs no model to check it again; what only a whole row can break (a name
    made of long parts, a kept column named past the longest field) is checked as
    LeadRecord would, with its words."""
    if len(row) != reading.width:
        raise BadCell(f"{len(row)} columns where the header has {reading.width}")
    values: list[Any] = [None] * _SLOTS
    custom: dict[str, str] | None = None
    standing: dict[str, str] = {}
    for (header, name, how, dates, slot), cell in zip(reading.columns, row, strict=True):
        if how == _TEXT:
            values[slot] = cell.strip() or None
        elif how == _CUSTOM:
            if text := cell.strip():
                if custom is None:
                    custom = {}
                custom[header] = text
        elif how == _NUMBER:
            value = columns.number(cell, name or "")
            values[slot] = None if value is None else (int(value) if name == "employees" else value)
        elif how == _TIME:
            at = dates.moment(cell) if dates else None
            values[slot] = None if at is None else datetime.fromtimestamp(at, UTC)
        elif how == _STANDING:
            standing[name or ""] = cell
        else:
            values[slot] = columns.email(cell) or None
    first, last = values[_AT_FIRST_NAME], values[_AT_LAST_NAME]
    if not values[_AT_NAME] and (first or last):
        values[_AT_NAME] = " ".join(part for part in (first, last) if part)
    if source:
        values[_AT_SOURCE] = source
    if not values[_AT_EMAIL] and not values[_AT_EXTERNAL_ID]:
        raise BadCell("no email and no external id: nothing to know the lead by")
    if reading.says_stage:
        lifecycle = standing.get("lifecycle_stage")
        stage = where_it_stands(lifecycle, standing.get("lead_status"), standing.get("converted"))
        values[_AT_STAGE] = stage
        if stage is None and (lifecycle or "").strip():
            values[_AT_MQL_AT] = None  # marketing's now, whenever it once became an MQL
    named = standing.get("owner", "").strip()
    owner = reading.owners.rep_for(named) if named else None
    values[_AT_OWNER] = owner
    unmatched = bool(named) and owner is None and (values[_AT_STAGE] or values[_AT_MQL_AT])
    # What joining or casefolding may have lengthened, and what the file or its options
    # give every row, in LeadRecord's order of fields.
    for index, field in _LONG_ONES:
        if values[index] is not None and len(values[index]) > LONGEST_TEXT:
            raise BadCell(_TOO_LONG.format(field=field))
    if source and reading.source_refused:
        raise BadCell(reading.source_refused)
    if owner is not None and len(owner) > _LONGEST_KEY:
        raise BadCell("owner: String should have at most 64 characters")
    if custom is not None and reading.long_headers and reading.long_headers & custom.keys():
        raise BadCell(_TOO_LONG.format(field="custom"))
    values[_AT_CUSTOM_FIELDS] = custom
    return CheckedRecord._make(values[:_RECORD]), bool(unmatched)


# Where each field goes in a record (and, past its end, the parts of a split name).
_RECORD = len(CheckedRecord._fields)
_SLOT = {name: index for index, name in enumerate(CheckedRecord._fields)}
_SLOT |= {"first_name": _RECORD, "last_name": _RECORD + 1}
_SLOTS = _RECORD + 2
_AT_FIRST_NAME, _AT_LAST_NAME = _RECORD, _RECORD + 1
_AT_NAME, _AT_EMAIL, _AT_EXTERNAL_ID = _SLOT["name"], _SLOT["email"], _SLOT["external_id"]
_AT_SOURCE, _AT_STAGE, _AT_MQL_AT = _SLOT["source"], _SLOT["stage"], _SLOT["mql_at"]
_AT_OWNER, _AT_CUSTOM_FIELDS = _SLOT["owner"], _SLOT["custom"]
_LONG_ONES = ((_AT_NAME, "name"), (_AT_EMAIL, "email"))
_LONGEST_KEY = 64  # a uid's or an owner's, as LeadRecord bounds them
_TOO_LONG = "{field}: String should have at most " + str(LONGEST_TEXT) + " characters"
