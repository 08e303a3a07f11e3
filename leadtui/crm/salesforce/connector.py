"""Salesforce as a connector: unconverted Leads that marketing handed to sales (at the
org's MQL status, or a status leadtui's accept and qualify set) pulled by SOQL on
`SystemModstamp`, following `nextRecordsUrl`; a rep's attempts pushed as Tasks upserted
on the event's UUID, moves as the Lead's Status, runs of each in one sObject
Collections request (see mapping for what maps to what).

The cursor kept between rounds is the newest SystemModstamp landed, with the ids of the
Leads read at that stamp ("STAMP|ID,ID"); a round reads from the stamp again (>=), so a
Lead changed in that very millisecond is not missed, and leaves out the ones it has
already landed, so an idle round brings nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from typing import Any

from pydantic import ValidationError

from leadtui.core.intake import LeadRecord
from leadtui.core.models import EventKind, Rep
from leadtui.core.moments import MomentOutOfRange
from leadtui.core.to_the_crm import BY, Outgoing
from leadtui.crm.connector import Budget, Pulled
from leadtui.crm.errors import CrmError, Refused
from leadtui.crm.salesforce import api, mapping
from leadtui.crm.salesforce.http import SalesforceHttp, words
from leadtui.crm.salesforce.mapping import SalesforceMap
from leadtui.crm.salesforce.objects import Described, QueryPage, Saved

_MQL_WORDS = ("mql", "marketing qualified", "marketing-qualified")


class Salesforce:
    name = "salesforce"
    settle = timedelta(0)  # a Task is read back by its external id at once

    def __init__(
        self,
        http: SalesforceHttp,
        terms: SalesforceMap | None = None,
        *,
        mql_status: str | None = None,
    ) -> None:
        self.http = http
        self.terms = terms or SalesforceMap()
        self.mql_status = mql_status
        self._statuses: list[dict[str, Any]] | None = None
        self._people: list[dict[str, Any]] | None = None

    def close(self) -> None:
        self.http.close()

    def budget(self) -> Budget:
        return self.http.budget

    # -- the org

    def check(self) -> str:
        self._check_event_field()
        handed = self._mql()
        labels = {status["ApiName"] for status in self.statuses()}
        missing = sorted(
            {status for status in self.terms.statuses_set().values() if status not in labels}
        )
        budget = self.http.budget
        left = (
            f"; {budget.daily_left:,} of {budget.daily_max:,} API requests left today"
            if budget.daily_max
            else ""
        )
        line = (
            f"Salesforce: {len(labels)} lead statuses; leads handed to sales are those at "
            f"'{handed}'; Tasks keep leadtui's event id in {api.EVENT_FIELD}{left}"
        )
        if missing:
            line += (
                f"\nthe org has no lead status {', '.join(repr(s) for s in missing)}: "
                'name yours in [crm.moves] (e.g. [crm.moves.qualified] Status = "...")'
            )
        return line

    def _check_event_field(self) -> None:
        described = Described.model_validate(self.http.get(api.describe("Task")))
        found = next((f for f in described.fields if f.name == api.EVENT_FIELD), None)
        if found is None or not found.external_id:
            if found is None:
                raise CrmError(
                    f"Salesforce's Task has no field {api.EVENT_FIELD} the Run As user can "
                    "see: create it (Setup, Object Manager, Activity, Fields: Text(36), "
                    "'Unique' and 'External ID', label 'leadtui Event Id') and give the Run "
                    "As user Edit access to it (field-level security, on its profile or a "
                    "permission set) so each attempt is made once, then connect again"
                )
            raise CrmError(
                f"Salesforce's Task has a field {api.EVENT_FIELD} that is not an External "
                "ID: tick 'External ID' and 'Unique' on it (Setup, Object Manager, "
                "Activity, Fields) so each attempt is made once, then connect again"
            )

    def statuses(self) -> list[dict[str, Any]]:
        """The org's lead statuses (LeadStatus), in their order."""
        if self._statuses is None:
            self._statuses = self._query_all(
                "SELECT ApiName, MasterLabel, IsDefault, IsConverted, SortOrder "
                "FROM LeadStatus ORDER BY SortOrder"
            )
        return self._statuses

    def _mql(self) -> str:
        """The status at which marketing hands a Lead to sales, in this org."""
        open_statuses = [s for s in self.statuses() if not s.get("IsConverted")]
        names = [str(s["ApiName"]) for s in open_statuses]
        if self.mql_status:
            if self.mql_status not in names:
                raise CrmError(
                    f"Salesforce has no open lead status {self.mql_status!r} ([crm] "
                    f"mql_stage); it has: {', '.join(names)}"
                )
            return self.mql_status
        for status in open_statuses:
            label = f"{status['ApiName']} {status.get('MasterLabel', '')}".casefold()
            if any(word in label for word in _MQL_WORDS):
                return str(status["ApiName"])
        default = next((s for s in open_statuses if s.get("IsDefault")), None)
        if default is None:
            raise CrmError(
                "Salesforce's lead statuses have no default one: name the status marketing "
                f"hands leads over at in [crm] mql_stage (one of: {', '.join(names)})"
            )
        return str(default["ApiName"])

    def handed(self) -> list[str]:
        """The statuses a pull reads: the MQL one, and those of the moves after which a
        Lead is still sales' (accepted, qualified)."""
        moved = self.terms.statuses_set()
        still = [moved[kind] for kind in mapping.STILL_SALES if kind in moved]
        return list(dict.fromkeys([self._mql(), *still]))

    def _users(self, reps: Sequence[Rep]) -> dict[str, tuple[str, str | None]]:
        """The org's users by id: their name, and the rep they are (by name, or by the
        email's local part as the rep's id)."""
        by_name = {rep.name.casefold(): rep.id for rep in reps}
        by_id = {rep.id.casefold(): rep.id for rep in reps}
        found: dict[str, tuple[str, str | None]] = {}
        for user in self._active_users():
            name, email = str(user.get("Name") or ""), str(user.get("Email") or "")
            local = email.split("@")[0].casefold()
            found[str(user["Id"])] = (
                name or email,
                by_name.get(name.casefold()) or by_id.get(local),
            )
        return found

    def _active_users(self) -> list[dict[str, Any]]:
        if self._people is None:
            self._people = self._query_all("SELECT Id, Name, Email FROM User WHERE IsActive = true")
        return self._people

    def user_of(self, outgoing: Outgoing) -> str | None:
        """The Salesforce user the acting rep is (the reverse of matching owners to reps:
        by the rep's name, else the email's local part as the rep's id), so the Task is
        theirs in the org's reports; None: no user is that rep."""
        name = str(outgoing.payload.get(BY) or "").casefold()
        actor = outgoing.actor.casefold()
        by_email = None
        for user in self._active_users():
            if name and str(user.get("Name") or "").casefold() == name:
                return str(user["Id"])
            if str(user.get("Email") or "").split("@")[0].casefold() == actor:
                by_email = by_email or str(user["Id"])
        return by_email

    def _query_all(self, soql: str) -> list[dict[str, Any]]:
        return [record for page in self._query(soql) for record in page.records]

    def _query(self, soql: str) -> Iterator[QueryPage]:
        page = QueryPage.model_validate(self.http.get(api.QUERY, q=soql))
        yield page
        while not page.done and page.next_records_url:
            page = QueryPage.model_validate(self.http.get(page.next_records_url))
            yield page

    # -- pull

    def pull(self, cursor: str | None, reps: Sequence[Rep]) -> Iterator[Pulled]:
        statuses = ", ".join(api.soql_text(status) for status in self.handed())
        users = self._users(reps)
        where = f"IsConverted = false AND Status IN ({statuses})"
        newest, read_at_newest = _read_to(cursor)
        if newest:
            since = mapping.moment(newest, "cursor")
            if since is not None:
                where += f" AND {mapping.MODIFIED} >= {mapping.soql_moment(since)}"
        soql = (
            f"SELECT {', '.join(self.terms.asked)} FROM Lead WHERE {where} "
            f"ORDER BY {mapping.MODIFIED} ASC, Id ASC"
        )
        for page in self._query(soql):
            news = [
                lead
                for lead in page.records
                if not (_stamp_of(lead) == newest and str(lead["Id"]) in read_at_newest)
            ]
            records, rejected, owned = self._records(news, users)
            for lead in page.records:
                stamp = _stamp_of(lead)
                if _stamp(stamp) > _stamp(newest):
                    newest, read_at_newest = stamp, set()
                if stamp == newest:
                    read_at_newest.add(str(lead["Id"]))
            yield Pulled(records, _cursor(newest, read_at_newest), owned, rejected)

    def _records(
        self, leads: Sequence[dict[str, Any]], users: dict[str, tuple[str, str | None]]
    ) -> tuple[list[LeadRecord], list[str], dict[str, str]]:
        records: list[LeadRecord] = []
        rejected: list[str] = []
        owned: dict[str, str] = {}
        for lead in leads:
            owner, rep = users.get(str(lead.get(mapping.OWNER) or ""), (None, None))
            try:
                records.append(mapping.record_of(lead, self.terms, owner, rep))
            except (ValidationError, ValueError, MomentOutOfRange) as error:
                rejected.append(f"Lead {lead.get('Id')}: {_first(error)}")
                continue
            if rep is not None:
                owned[str(lead["Id"])] = rep
        return records, rejected, owned

    # -- push

    def find(self, outgoing: Outgoing) -> str | None:
        if outgoing.kind is not EventKind.ATTEMPT:
            return None  # a move sets a field: setting it again changes nothing
        try:
            found = self.http.get(
                api.by_external_id("Task", api.EVENT_FIELD, outgoing.event_id), fields="Id"
            )
        except Refused as refused:
            if refused.status == 404:
                return None
            raise
        return str(found["Id"])

    def batchable(self, outgoing: Outgoing) -> bool:
        if outgoing.kind is EventKind.ATTEMPT:
            return True
        return bool(self.terms.moves.get(outgoing.kind.value))

    def push(self, outgoing: Outgoing) -> str:
        if outgoing.kind is EventKind.ATTEMPT:
            path = api.by_external_id("Task", api.EVENT_FIELD, outgoing.event_id)
            saved = Saved.model_validate(
                self.http.upsert(path, mapping.task(outgoing, self.terms, self.user_of(outgoing)))
                or {}
            )
            return saved.id or ""
        fields = dict(self.terms.moves.get(outgoing.kind.value, {}))
        if fields:
            self.http.patch(api.sobject("Lead", outgoing.record), fields)
        return ""

    def push_many(self, outgoing: Sequence[Outgoing]) -> list[str | Refused]:
        """Tasks upserted, and moves set on their Leads, in sObject Collections of up to
        200 each, each on its own (not all or none: one refused does not hold back the
        others); the answers in the order asked."""
        answers: dict[int, str | Refused] = {}
        tasks = [(n, one) for n, one in enumerate(outgoing) if one.kind is EventKind.ATTEMPT]
        moves = [(n, one) for n, one in enumerate(outgoing) if one.kind is not EventKind.ATTEMPT]
        for chunk in _chunks(tasks, lambda one: one.event_id):
            records = [mapping.in_batch(one, self.terms, self.user_of(one)) for _, one in chunk]
            found = self.http.upsert(
                api.collection_upsert("Task", api.EVENT_FIELD),
                {"allOrNone": False, "records": records},
            )
            answers |= _answered(chunk, found)
        # The same Lead twice in one request is refused: its second move goes in the next.
        for chunk in _chunks(moves, lambda one: one.record):
            records = [
                {"attributes": {"type": "Lead"}, "id": one.record}
                | self.terms.moves[one.kind.value]
                for _, one in chunk
            ]
            found = self.http.patch(api.COLLECTION, {"allOrNone": False, "records": records})
            answers |= {
                n: "" if isinstance(a, str) else a for n, a in _answered(chunk, found).items()
            }
        if len(answers) != len(outgoing):
            raise CrmError("Salesforce answered a batch with the wrong number of results")
        return [answers[n] for n in range(len(outgoing))]


def _chunks(
    numbered: list[tuple[int, Outgoing]], key: Callable[[Outgoing], str]
) -> Iterator[list[tuple[int, Outgoing]]]:
    """Runs of at most COLLECTION_MOST, none holding the same key twice."""
    chunk: list[tuple[int, Outgoing]] = []
    keys: set[str] = set()
    for n, one in numbered:
        if len(chunk) == api.COLLECTION_MOST or key(one) in keys:
            yield chunk
            chunk, keys = [], set()
        chunk.append((n, one))
        keys.add(key(one))
    if chunk:
        yield chunk


def _answered(chunk: list[tuple[int, Outgoing]], found: Any) -> dict[int, str | Refused]:
    results = [Saved.model_validate(one) for one in found or []]
    if len(results) != len(chunk):
        raise CrmError("Salesforce answered a batch with the wrong number of results")
    answers: dict[int, str | Refused] = {}
    for (n, _), result in zip(chunk, results, strict=True):
        if result.success:
            answers[n] = result.id or ""
        else:
            problem = result.errors[0] if result.errors else None
            answers[n] = Refused(words(problem) if problem else "refused", 400)
    return answers


def _stamp_of(lead: dict[str, Any]) -> str:
    return str(lead.get(mapping.MODIFIED) or "")


def _read_to(cursor: str | None) -> tuple[str, set[str]]:
    """The newest SystemModstamp landed, and the Leads read at that very stamp (a round
    reads from the stamp again, >=, and leaves out those it has: an idle round is news
    to nobody)."""
    stamp, _, ids = (cursor or "").partition("|")
    return stamp, set(filter(None, ids.split(",")))


def _cursor(stamp: str, read: set[str]) -> str:
    return f"{stamp}|{','.join(sorted(read))}" if read else stamp


def _stamp(value: str) -> str:
    """A SystemModstamp as it sorts (Salesforce writes them all one way, in UTC)."""
    return value[:23]


def _first(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}" if where else first["msg"]
    return str(error)
