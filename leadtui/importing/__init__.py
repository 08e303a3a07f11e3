"""CSV in: leads, marketing activities and closed-deal outcomes, with per-row rejects.

Every row is checked; a row that cannot be taken goes to FILE.rejects.csv with its
line and the reason, and the good rows are imported in one transaction. Leads are
matched on external id, then email, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from leadtui.core.agreement import Agreement
from leadtui.core.intake import Summary
from leadtui.core.models import Event, EventKind, Rep, Stage
from leadtui.importing import columns
from leadtui.importing.columns import BadCell, Mapping, mapping_of
from leadtui.importing.files import ImportFailure, Progress, Row, counted, read, write_rejects
from leadtui.importing.lead_file import read_leads
from leadtui.importing.owners import Owners
from leadtui.store import Store

__all__ = ["ImportFailure", "Summary", "import_activities", "import_leads", "import_outcomes"]

ACTOR = "import"


def import_leads(
    store: Store,
    path: Path,
    *,
    agreement: Agreement,
    now: datetime,
    overrides: dict[str, str] | None = None,
    source: str | None = None,
    progress: Progress | None = None,
    crm: str | None = None,
    date_format: str | None = None,
    in_bulk: bool | None = None,
) -> Summary:
    """The file's leads through the one intake door (Store.intake): upserted, those the
    file hands to sales (an MQL date, or a CRM's stage) handed over, claimed by the
    rep the file names as owner and moved to the CRM's stage, rescored, their deadlines
    refreshed; the whole run in one transaction (a failure anywhere lands nothing of
    it). `crm`: hubspot, salesforce or none; the header tells when not given. A big
    file into a file with fewer leads goes in bulk (`in_bulk` None), to the same end."""
    taken = read_leads(
        path,
        overrides=overrides,
        source=source,
        progress=progress,
        crm=crm,
        date_format=date_format,
        owners=Owners(store.reps()),
    )
    rejects = write_rejects(path, taken.header, taken.rejected) if taken.rejected else None
    summary = store.intake(
        taken.records, actor=ACTOR, now=now, agreement=agreement, in_bulk=in_bulk
    )
    summary.rejected, summary.rejects = len(taken.rejected), rejects
    summary.read_as = taken.export.called if taken.export else None
    summary.unowned = taken.unowned
    return summary


def import_activities(
    store: Store,
    path: Path,
    *,
    agreement: Agreement,
    now: datetime,
    progress: Progress | None = None,
) -> Summary:
    """Columns: a lead key (email or external id), kind, at, and optionally detail."""
    header, mapping, rows = _table(path, _ACTIVITY_HEADERS, ("lead", "kind", "at"))
    parsed: list[tuple[int, list[str], str, str, int, str]] = []
    rejected: list[tuple[int, list[str], str]] = []
    for line, row, cells in _rows(rows, mapping, rejected, progress):
        try:
            at = columns.moment(cells.get("at", ""), "at")
        except BadCell as problem:
            rejected.append((line, row, str(problem)))
            continue
        kind = cells.get("kind", "").strip().casefold().replace(" ", "_")
        if not kind or at is None:
            rejected.append((line, row, "no kind" if not kind else "no time"))
            continue
        parsed.append((line, row, cells.get("lead", "").strip(), kind, at, cells.get("detail", "")))
    ids = store.lead_ids_by_key([key for _, _, key, _, _, _ in parsed])
    good = []
    for line, row, key, kind, at, detail in parsed:
        lead_id = ids.get(key) or ids.get(key.casefold())
        if lead_id is None:
            rejected.append((line, row, f"no lead with email or external id {key!r}"))
        else:
            good.append((lead_id, kind, at, detail.strip()))
    summary = Summary(imported=len(good), rejected=len(rejected))
    if rejected:
        summary.rejects = write_rejects(path, header, sorted(rejected))
    with store.transaction():  # the activities and the rescoring land together
        store.bulk_insert("activities", ("lead_id", "kind", "at", "detail"), good)
        touched = sorted({lead_id for lead_id, _, _, _ in good})
        if touched:
            summary.new_mqls = store.rescore(agreement, now, lead_ids=touched).new_mqls
    return summary


def import_outcomes(
    store: Store,
    path: Path,
    *,
    overrides: dict[str, str] | None = None,
    outcome: str | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Columns: a lead key (email or external id), the outcome (won or lost; or
    `outcome` for every row, for a file of won deals only), the date, and optionally
    the rep (SDR) who worked the lead, by id or name. A rep not known yet is added
    (named as the file names them); the lead is reassigned to that rep before it
    closes, so the funnel by rep counts it where the file says."""
    if outcome is not None and outcome not in ("won", "lost"):
        raise ImportFailure(f"--outcome {outcome!r}: use won or lost")
    needed = ("lead", "at") if outcome else ("lead", "outcome", "at")
    header, mapping, rows = _table(path, _OUTCOME_HEADERS, needed, overrides, _OUTCOME_FIELDS)
    parsed = []
    rejected: list[tuple[int, list[str], str]] = []
    for line, row, cells in _rows(rows, mapping, rejected, progress):
        result = outcome or _OUTCOMES.get(cells.get("outcome", "").strip().casefold())
        try:
            at = columns.moment(cells.get("at", ""), "date")
        except BadCell as problem:
            rejected.append((line, row, str(problem)))
            continue
        if result is None or at is None:
            why = (
                f"outcome {cells.get('outcome', '')!r} is not won or lost"
                if result is None
                else "no date"
            )
            rejected.append((line, row, why))
            continue
        parsed.append((line, row, cells.get("lead", "").strip(), result, at, cells.get("rep", "")))
    ids = store.lead_ids_by_key([key for _, _, key, _, _, _ in parsed])
    with store.transaction():  # the reps it adds and the deals it closes land together
        reps = _reps(store, {rep.strip() for *_, rep in parsed if rep.strip()})
        events = []
        for line, row, key, result, at, rep in parsed:
            lead_id = ids.get(key) or ids.get(key.casefold())
            if lead_id is None:
                rejected.append((line, row, f"no lead with email or external id {key!r}"))
                continue
            lead = store.lead(lead_id)
            if lead.stage in (Stage.WON, Stage.LOST):
                continue  # already closed: importing the same file again changes nothing
            moment = datetime.fromtimestamp(at, UTC)
            worked_by = reps.get(rep.strip())
            if worked_by is not None and lead.owner != worked_by:
                events.append(
                    Event(
                        lead_id=lead_id,
                        kind=EventKind.REASSIGNED,
                        actor=ACTOR,
                        at=moment,
                        payload={"to": worked_by},
                    )
                )
            events.append(
                Event(
                    lead_id=lead_id,
                    kind=EventKind.CLOSED,
                    actor=ACTOR,
                    at=moment,
                    payload={"outcome": result},
                )
            )
        store.record_many(events, guarded=False)
    summary = Summary(
        imported=sum(e.kind is EventKind.CLOSED for e in events), rejected=len(rejected)
    )
    if rejected:
        summary.rejects = write_rejects(path, header, sorted(rejected))
    return summary


def _reps(store: Store, named: set[str]) -> dict[str, str]:
    """The rep id for each way the file names a rep; unknown ones are added."""
    known = store.reps()
    by_name = {rep.id: rep.id for rep in known} | {rep.name.casefold(): rep.id for rep in known}
    found = {}
    for name in sorted(named):
        rep_id = by_name.get(name) or by_name.get(name.casefold())
        if rep_id is None:
            rep_id = _REP_ID.sub("-", name.casefold()).strip("-._") or "rep"
            if rep_id not in by_name:
                store.save_rep(Rep(id=rep_id, name=name))
                by_name[rep_id] = rep_id
        found[name] = rep_id
    return found


_REP_ID = re.compile(r"[^a-z0-9_.-]+")


_ACTIVITY_HEADERS = {
    "lead": "lead",
    "email": "lead",
    "email address": "lead",
    "lead id": "lead",
    "external id": "lead",
    "kind": "kind",
    "activity": "kind",
    "activity type": "kind",
    "type": "kind",
    "at": "at",
    "date": "at",
    "time": "at",
    "timestamp": "at",
    "occurred at": "at",
    "detail": "detail",
    "details": "detail",
    "page": "detail",
}
_OUTCOME_HEADERS = {
    "lead": "lead",
    "email": "lead",
    "email address": "lead",
    "lead id": "lead",
    "external id": "lead",
    "outcome": "outcome",
    "result": "outcome",
    "status": "outcome",
    "stage": "outcome",
    "date": "at",
    "closed": "at",
    "close date": "at",
    "closed at": "at",
    "won date": "at",
    "at": "at",
    "rep": "rep",
    "sdr": "rep",
    "sdr id": "rep",
    "sales rep": "rep",
    "owner": "rep",
    "lead owner": "rep",
}
_OUTCOME_FIELDS = frozenset({"lead", "outcome", "at", "rep"})
_OUTCOMES = {
    "won": "won",
    "closed won": "won",
    "win": "won",
    "lost": "lost",
    "closed lost": "lost",
    "loss": "lost",
}


def _table(
    path: Path,
    known: dict[str, str],
    needed: tuple[str, ...],
    overrides: dict[str, str] | None = None,
    fields: frozenset[str] = frozenset(),
) -> tuple[list[str], Mapping, Iterator[Row]]:
    """The file's header, how its columns map (`overrides` first), and its rows;
    refused if a needed column is missing."""
    header, rows = read(path)
    mapping = mapping_of(
        path, header, overrides, known, fields, f"one of {', '.join(sorted(fields))}"
    )
    for name in needed:
        if not mapping.has(name):
            raise ImportFailure(f"{path} needs a column for {name} (it has: {', '.join(header)})")
    return header, mapping, rows


def _rows(
    rows: Iterator[Row],
    mapping: Mapping,
    rejected: list[Row],
    progress: Progress | None,
) -> Iterator[tuple[int, list[str], dict[str, str]]]:
    """Each row's cells by field; a row of the wrong width, or that cannot be read at
    all, goes to `rejected`."""
    width = len(mapping.headers)
    for line, row, problem in counted(rows, progress):
        if not problem and len(row) != width:
            problem = f"{len(row)} columns where the header has {width}"
        if problem:
            rejected.append((line, row, problem))
            continue
        yield line, row, {f: cell for f, cell in zip(mapping.fields, row, strict=True) if f}
