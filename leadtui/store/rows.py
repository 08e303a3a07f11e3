"""Turning table rows into domain models and back: times are stored as Unix seconds."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

from leadtui.core import moments
from leadtui.core.models import (
    CONTACT_FIELDS,
    PROJECTION_FIELDS,
    PROJECTION_TIMES,
    Activity,
    Event,
    Lead,
    Projection,
    Rep,
    Stage,
)
from leadtui.core.queue import QueueRow
from leadtui.core.scoring import Factor, Group

LEAD_COLUMNS = ["id", "uid", *CONTACT_FIELDS, "created_at", "custom", *PROJECTION_FIELDS]


def epoch(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp())


def moment(seconds: int | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def kept(*columns: str) -> str:
    """SQL that holds when every one of `columns` (Unix seconds, or NULL: none) lies in
    the dates leadtui keeps; the rows an older version let a stray moment into fail it."""
    low, high = moments.EARLIEST_EPOCH, moments.LATEST_EPOCH
    return " AND ".join(f"coalesce({column}, {low}) BETWEEN {low} AND {high}" for column in columns)


# Stored as Unix seconds; read as instants here, never left to pydantic, which takes a
# number past 2e10 for milliseconds (a year-9999 moment would read as 1978).
_TIME_COLUMNS = frozenset({"created_at", *PROJECTION_TIMES})


def _times_read(row: dict[str, Any]) -> dict[str, Any]:
    return {
        key: moment(int(value))
        if key in _TIME_COLUMNS and isinstance(value, int | float)
        else value
        for key, value in row.items()
        if value is not None
    }


QUEUE_SELECT = ", ".join(QueueRow._fields)
_STAGES = {stage.value: stage for stage in Stage}


def queue_row(values: tuple[Any, ...]) -> QueueRow:
    """A row selected as QUEUE_SELECT, as a QueueRow. No validation, spelled out field
    by field: the table's constraints already hold it to shape, and a page of the
    queue must cost little more than the SELECT."""
    (
        lead_id,
        name,
        title,
        company,
        employees,
        industry,
        source,
        stage,
        owner,
        score,
        fit,
        engagement,
        mql_at,
        first_touch_at,
        first_connect_at,
        snoozed_until,
        calls,
        emails,
        version,
        next_due_at,
        last_attempt_at,
    ) = values
    return QueueRow(
        lead_id,
        name or "",
        title or "",
        company or "",
        employees,
        industry or "",
        source or "",
        _STAGES[stage],
        owner,
        score,
        fit,
        engagement,
        moment(mql_at),
        moment(first_touch_at),
        moment(first_connect_at),
        moment(snoozed_until),
        calls or 0,
        emails or 0,
        version,
        moment(next_due_at),
        moment(last_attempt_at),
    )


def dict_rows(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def lead_from_row(row: dict[str, Any]) -> Lead:
    data = _times_read(row)
    data["custom"] = json.loads(row["custom"]) if row.get("custom") else {}
    return Lead.model_validate(data)


def lead_row(lead: Lead) -> dict[str, Any]:
    row = lead.model_dump(exclude={"custom"})
    row["custom"] = json.dumps(lead.custom, ensure_ascii=False) if lead.custom else None
    row["stage"] = lead.stage.value
    for name, value in row.items():
        if isinstance(value, datetime):
            row[name] = epoch(value)
    return row


def projection_row(projection: Projection) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name in PROJECTION_FIELDS:
        value = getattr(projection, name)
        if isinstance(value, datetime):
            value = epoch(value)
        elif name == "stage":
            value = value.value
        row[name] = value
    return row


def projection_from_row(row: dict[str, Any]) -> Projection:
    return Projection.model_validate(_times_read({name: row[name] for name in PROJECTION_FIELDS}))


def event_row(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "lead_id": event.lead_id,
        "kind": event.kind.value,
        "actor": event.actor,
        "at": epoch(event.at),
        "payload": json.dumps(event.model_dump(mode="json")["payload"], ensure_ascii=False),
        "synced_at": epoch(event.synced_at),
    }


def event_from_row(row: dict[str, Any]) -> Event:
    return Event(
        id=row["id"],
        lead_id=row["lead_id"],
        kind=row["kind"],
        actor=row["actor"],
        at=moment(row["at"]) or datetime.min.replace(tzinfo=UTC),
        payload=json.loads(row["payload"]),
        synced_at=moment(row["synced_at"]),
    )


def activity_from_row(row: dict[str, Any]) -> Activity:
    return Activity(
        lead_id=row["lead_id"], kind=row["kind"], at=moment(row["at"]), detail=row["detail"] or ""
    )


def rep_from_row(row: dict[str, Any]) -> Rep:
    return Rep.model_validate({key: value for key, value in row.items() if value is not None})


FACTOR_COLUMNS = (
    "lead_id",
    "position",
    "factor_group",
    "side",
    "label",
    "points",
    "evidence",
    "occurrences",
    "earliest",
    "latest",
)


def factor_values(lead_id: int, factor: Factor) -> tuple[Any, ...]:
    return (
        lead_id,
        factor.rule,
        factor.group.value,
        factor.side.value,
        factor.label,
        factor.points,
        factor.evidence,
        factor.count,
        epoch(factor.earliest),
        epoch(factor.latest),
    )


def factor_from_row(row: dict[str, Any]) -> Factor:
    return Factor(
        label=row["label"],
        group=Group(row["factor_group"]),
        points=row["points"],
        evidence=row["evidence"] or "",
        side=Group(row["side"]),
        count=row["occurrences"],
        latest=moment(row["latest"]),
        earliest=moment(row["earliest"]),
        rule=row["position"],
    )
