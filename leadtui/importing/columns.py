"""Which CSV column is which lead field, and turning cells into field values."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from leadtui.core import moments
from leadtui.core.models import CONTACT_FIELDS, MOST_EMPLOYEES, MOST_REVENUE
from leadtui.core.moments import MomentOutOfRange
from leadtui.importing.files import ImportFailure

# Common headers of CRM and marketing-automation exports, normalised (see `normalise`).
LEAD_HEADERS = {
    "external id": "external_id",
    "lead id": "external_id",
    "id": "external_id",
    "prospect id": "external_id",
    "record id": "external_id",
    "email": "email",
    "e mail": "email",
    "email address": "email",
    "e mail address": "email",
    "work email": "email",
    "business email": "email",
    "name": "name",
    "full name": "name",
    "contact name": "name",
    "first name": "first_name",
    "last name": "last_name",
    "surname": "last_name",
    "title": "title",
    "job title": "title",
    "position": "title",
    "role": "title",
    "company": "company",
    "company name": "company",
    "account name": "company",
    "organization": "company",
    "organisation": "company",
    "phone": "phone",
    "phone number": "phone",
    "business phone": "phone",
    "work phone": "phone",
    "mobile": "phone",
    "mobile phone": "phone",
    "website": "website",
    "web site": "website",
    "company website": "website",
    "url": "website",
    "city": "city",
    "state": "region",
    "province": "region",
    "region": "region",
    "state province": "region",
    "state region": "region",
    "country": "country",
    "employees": "employees",
    "number of employees": "employees",
    "no of employees": "employees",
    "company size": "employees",
    "employee count": "employees",
    "annual revenue": "revenue",
    "revenue": "revenue",
    "industry": "industry",
    "lead source": "source",
    "source": "source",
    "origin": "source",
    "created": "created_at",
    "created date": "created_at",
    "create date": "created_at",
    "created at": "created_at",
    "mql date": "mql_at",
    "mql at": "mql_at",
    "first contact date": "mql_at",
}
NUMBER_FIELDS = {"employees", "revenue"}
TEXT_FIELDS = (set(CONTACT_FIELDS) - NUMBER_FIELDS) | {"first_name", "last_name"}
MOST = {"employees": MOST_EMPLOYEES, "revenue": MOST_REVENUE}  # and none is below 0
TIME_FIELDS = {"created_at", "mql_at"}
FIELDS = TEXT_FIELDS | NUMBER_FIELDS | TIME_FIELDS

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NUMBER = re.compile(r"^\$?\s*(-?[\d,]*\.?\d+)\s*([kmb])?\+?$", re.IGNORECASE)
_RANGE = re.compile(r"^\$?\s*([\d,]*\.?\d+)\s*([kmb])?\s*(?:-|–|to)\s*")
_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9}


class BadCell(ValueError):
    """A cell that cannot be read as its field; the message goes into the rejects file."""


def normalise(header: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", header.casefold()).split())


@dataclass(frozen=True)
class Mapping:
    """For each column of the file, the field it fills, or None: kept as a custom field."""

    headers: list[str]
    fields: list[str | None]

    @classmethod
    def of(cls, headers: list[str], overrides: dict[str, str], known: dict[str, str]) -> Mapping:
        by_header = {normalise(header): field for header, field in overrides.items()}
        fields: list[str | None] = []
        for header in headers:
            key = normalise(header)
            fields.append(by_header.get(key) or known.get(key))
        return cls(headers, fields)

    def has(self, field: str) -> bool:
        return field in self.fields


def mapping_of(
    path: Path,
    header: list[str],
    overrides: dict[str, str] | None,
    known: dict[str, str],
    fields: Collection[str],
    allowed: str,
) -> Mapping:
    """How the file's columns map, `--map` overrides first; an override naming a
    column the file lacks, or a field there is not, is refused."""
    unknown = sorted(set(overrides or {}) - set(header), key=str.casefold)
    if unknown:
        raise ImportFailure(f"{path} has no column {unknown[0]!r} (it has: {', '.join(header)})")
    bad = sorted(set((overrides or {}).values()) - set(fields))
    if bad:
        raise ImportFailure(f"--map: {bad[0]!r} is not {allowed}")
    return Mapping.of(header, overrides or {}, known)


def number(text: str, field: str) -> float | None:
    """'1,200', '$20M', '1.5k', '100-499' (the lower bound), '500+'; blank is None.
    Refused outside 0 to the field's most (so never infinity from 400 nines)."""
    cell = text.strip()
    if not cell:
        return None
    found = _NUMBER.match(cell) or _RANGE.match(cell)
    if found is None:
        raise BadCell(f"{field} {_quoted(cell)} is not a number")
    value = float(found.group(1).replace(",", ""))
    if found.group(2):
        value *= _SCALE[found.group(2).casefold()]
    if value < 0:
        raise BadCell(f"{field} {_quoted(cell)} is negative")
    if not value <= MOST[field]:
        raise BadCell(f"{field} {_quoted(cell)} is more than {MOST[field]:,}")
    return value


def _quoted(cell: str) -> str:
    """The cell as a reason names it: a 400-digit number is not written out in full."""
    return repr(cell if len(cell) <= 40 else cell[:30] + "…")


def email(text: str) -> str:
    cell = text.strip().casefold()
    if cell and not _EMAIL.match(cell):
        raise BadCell(f"email {text.strip()!r} is not an email address")
    return cell


def moment(text: str, field: str) -> int | None:
    """Unix seconds from an ISO date or date-time; without a zone, UTC is meant."""
    cell = text.strip()
    if not cell:
        return None
    try:
        parsed = datetime.fromisoformat(cell.replace("/", "-").replace("Z", "+00:00"))
    except ValueError:
        raise BadCell(
            f"{field} {cell!r} is not a date (use 2026-11-17 or 2026-11-17T10:40)"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        moments.check(parsed.astimezone(UTC), field)
    except (MomentOutOfRange, OverflowError):
        raise BadCell(
            f"{field} {cell!r} is outside the dates leadtui keeps ({moments.RANGE_WORDS})"
        ) from None
    return int(parsed.timestamp())
