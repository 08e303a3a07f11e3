"""HubSpot as a connector: contacts handed to sales (lifecycle stage MQL, read from the
account's own stages) pulled by `lastmodifieddate`, and a rep's attempts and moves pushed
as calls, emails and contact properties (see mapping for what maps to what).

The pull pages by key, not by HubSpot's `after` offset: each page (up to 200) is a
search of its own for the contacts changed at or after the newest change read so far
(`lastmodifieddate` GTE, sorted by it), leaving out those already read in that very
millisecond. An offset over a sort key that moves skips a contact changed between two
pages; a search from the last change read cannot, and never comes near the 10,000
results one search may page through. A page wholly of one millisecond, all read, goes
on through that millisecond by `hs_object_id` (a search sorts by one property). The
cursor kept between rounds (see cursor) stays a minute behind the round, as search
shows a change late, and holds the contacts read since, so an idle round lands nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from leadtui.core.intake import LeadRecord
from leadtui.core.models import EventKind, Rep
from leadtui.core.moments import MomentOutOfRange
from leadtui.core.to_the_crm import BY, Outgoing
from leadtui.crm.connector import Budget, Pulled
from leadtui.crm.errors import CrmError, Refused
from leadtui.crm.hubspot import api, mapping, owners
from leadtui.crm.hubspot import cursor as cursors
from leadtui.crm.hubspot.http import HubSpotHttp
from leadtui.crm.hubspot.mapping import HubSpotMap
from leadtui.crm.hubspot.objects import Disposition, Option, Property, Record, SearchPage

MQL = mapping.MQL
_GROUPS = {"calls": "callinformation", "emails": "emailinformation"}
NOTES = "notes"


class HubSpot:
    name = "hubspot"
    settle = timedelta(seconds=30)  # HubSpot's search shows a new object seconds after
    # How far behind the round's time the pull's cursor stays: a change HubSpot's
    # search shows late is still read by the next round.
    overlap = timedelta(minutes=1)

    def __init__(
        self,
        http: HubSpotHttp,
        terms: HubSpotMap | None = None,
        *,
        mql_stage: str | None = None,
        page_size: int = api.SEARCH_PAGE,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.clock = clock  # the round's time, for how far search can be trusted
        self.http = http
        self.terms = terms or HubSpotMap()
        self.mql_stage = mql_stage
        self.page_size = min(page_size, api.SEARCH_PAGE)
        self._stages: list[Option] | None = None
        self._dispositions: dict[str, str] | None = None
        self._owners: owners.Matched | None = None
        self._kept_on: set[str] = set()  # the kinds known to hold leadtui's event id

    def close(self) -> None:
        self.http.close()

    def budget(self) -> Budget:
        return self.http.budget

    # -- the account

    def check(self) -> str:
        stage = self._mql()
        for kind in [*_GROUPS, *([NOTES] if self.terms.notes else [])]:
            self._keep_event_ids_on(kind)
        label = next((s.label for s in self.stages() if s.value == stage), stage)
        outcomes = len(self._dispositions_by_label())
        users = len(self._matched(again=True).owners)
        line = (
            f"HubSpot: {len(self.stages())} lifecycle stages; leads handed to sales are "
            f"those at '{label}'; {outcomes} call outcomes; {users} owners; calls, emails "
            "and notes keep leadtui's event id"
        )
        return "\n".join([line, *self._moves_not_offered()])

    def _moves_not_offered(self) -> list[str]:
        """A line for each value a move sets that the account's contact property does
        not offer (HubSpot would refuse every such move), or a property it lacks."""
        problems = []
        offered: dict[str, Property | None] = {}
        for kind, properties in sorted(self.terms.moves.items()):
            for name, value in sorted(properties.items()):
                if name not in offered:
                    try:
                        found = self.http.get(api.prop("contacts", name))
                        offered[name] = Property.model_validate(found)
                    except Refused as refused:
                        if refused.status != 404:
                            raise
                        offered[name] = None
                known = offered[name]
                where = f"[crm.moves.{kind}] {name}"
                if known is None:
                    problems.append(f"HubSpot's contacts have no property {name!r} ({where})")
                    continue
                values = [option.value for option in known.options]
                if values and value and "{" not in value and value not in values:
                    problems.append(
                        f"HubSpot's {name} has no value {value!r} ({where}); it has: "
                        f"{', '.join(values)}"
                    )
        return problems

    def stages(self) -> list[Option]:
        """The account's lifecycle stages, in their order (accounts customise them)."""
        if self._stages is None:
            found = Property.model_validate(self.http.get(api.prop("contacts", "lifecyclestage")))
            self._stages = sorted(found.options, key=lambda option: option.display_order)
        return self._stages

    def _mql(self) -> str:
        """The stage at which marketing hands a contact to sales, in this account."""
        values = {option.value: option for option in self.stages()}
        if self.mql_stage:
            if self.mql_stage not in values:
                raise CrmError(
                    f"HubSpot has no lifecycle stage {self.mql_stage!r} ([crm] mql_stage); "
                    f"it has: {', '.join(values)}"
                )
            return self.mql_stage
        if MQL in values:
            return MQL
        for option in self.stages():
            if "marketing qualified" in option.label.casefold():
                return option.value
        raise CrmError(
            "HubSpot's lifecycle stages have no marketing-qualified stage: name yours in "
            f"[crm] mql_stage (one of: {', '.join(values)})"
        )

    def _keep_event_ids_on(self, kind: str) -> None:
        if kind in self._kept_on:
            return
        try:
            self.http.get(api.prop(kind, api.EVENT_PROPERTY))
        except Refused as refused:
            if refused.status != 404:
                raise
            try:
                self.http.create(
                    api.properties(kind),
                    {
                        "name": api.EVENT_PROPERTY,
                        "label": "leadtui event id",
                        "description": "The leadtui event this was logged from (do not edit)",
                        "groupName": _GROUPS.get(kind) or self._group_of(kind),
                        "type": "string",
                        "fieldType": "text",
                    },
                )
            except Refused as made_meanwhile:  # another round made it a moment ago: kept
                if made_meanwhile.status != 409:
                    raise
        self._kept_on.add(kind)

    def _group_of(self, kind: str) -> str:
        """A property group of `kind` to put leadtui's property in: its '...information'
        group, as HubSpot names the default ones, else its first."""
        found = self.http.get(api.groups(kind)) or {}
        names = [str(group.get("name", "")) for group in found.get("results", [])]
        return next((n for n in names if n.endswith("information")), names[0] if names else "")

    def _matched(self, *, again: bool = False) -> owners.Matched:
        """The account's owners (read once a connector, and again at each pull)."""
        if self._owners is None or again:
            self._owners = owners.Matched(owners.read(self.http))
        return self._owners

    def _dispositions_by_label(self) -> dict[str, str]:
        if self._dispositions is None:
            try:
                found = self.http.get(api.DISPOSITIONS) or []
            except Refused:
                found = []  # no calling in this account: calls go without an outcome
            self._dispositions = {
                item.label.casefold(): item.id
                for item in (Disposition.model_validate(one) for one in found)
            }
        return self._dispositions

    # -- pull

    def pull(self, cursor: str | None, reps: Sequence[Rep]) -> Iterator[Pulled]:
        stage = self._mql()
        owned_by = self._matched(again=True).of_contacts(reps)
        horizon = mapping.millis(self.clock() - self.overlap)  # what search shows by now
        read = cursors.read_from(cursor)
        since = read.since
        while True:
            page = self._search(stage, [_changed("GTE", since)], mapping.MODIFIED)
            fresh = [c for c in page.results if not read.has(c.id, _changed_at(c))]
            full = len(page.results) >= self.page_size
            if full and not fresh:
                last = max(_changed_at(c) for c in page.results)
                if last > since:  # a page all read (the overlap again): on from its end
                    since = last
                    continue
                # A whole page changed in one millisecond, all read: the rest of that
                # millisecond by id (one search sorts by one property only).
                yield from self._ties(stage, since, read, owned_by, horizon)
                since += 1
                continue
            read.read |= {c.id: _changed_at(c) for c in fresh}
            since = max([since, *(_changed_at(c) for c in fresh)])
            records, rejected, owned = self._records(fresh, owned_by)
            yield Pulled(records, read.kept(since, horizon), owned, rejected)
            if not full:
                return

    def _ties(
        self,
        stage: str,
        at: int,
        read: cursors.Cursor,
        owned_by: dict[str, tuple[str, str | None]],
        horizon: int,
    ) -> Iterator[Pulled]:
        """The contacts changed in millisecond `at` not read yet, by id."""
        after_id = 0
        while True:
            filters = [
                _changed("EQ", at),
                {"propertyName": "hs_object_id", "operator": "GT", "value": str(after_id)},
            ]
            page = self._search(stage, filters, "hs_object_id")
            if not page.results:
                return
            after_id = max(int(contact.id) for contact in page.results)
            fresh = [contact for contact in page.results if not read.has(contact.id, at)]
            read.read |= {contact.id: at for contact in fresh}
            records, rejected, owned = self._records(fresh, owned_by)
            yield Pulled(records, read.kept(at, horizon), owned, rejected)
            if len(page.results) < self.page_size:
                return

    def _search(self, stage: str, filters: list[dict[str, str]], order: str) -> SearchPage:
        """One page of the contacts at `stage` that pass `filters`, from the first: each
        page is a search of its own, from the last change read (paging by `after`
        over a sort key that moves skips contacts changed between pages, and stops at
        HubSpot's 10,000 results)."""
        stage_filter = {"propertyName": "lifecyclestage", "operator": "EQ", "value": stage}
        body: dict[str, Any] = {
            "filterGroups": [{"filters": [stage_filter, *filters]}],
            "sorts": [{"propertyName": order, "direction": "ASCENDING"}],
            "properties": self.terms.asked,
            "limit": self.page_size,
        }
        return SearchPage.model_validate(self.http.search(api.search("contacts"), body))

    def _records(
        self, contacts: Sequence[Record], owned_by: dict[str, tuple[str, str | None]]
    ) -> tuple[list[LeadRecord], list[str], dict[str, str]]:
        records: list[LeadRecord] = []
        rejected: list[str] = []
        owned: dict[str, str] = {}
        for contact in contacts:
            owner_id = contact.properties.get(mapping.OWNER) or ""
            owner, rep = owned_by.get(owner_id, (None, None))
            try:
                records.append(
                    mapping.record_of(contact.id, contact.properties, self.terms, owner, rep)
                )
            except (ValidationError, ValueError, MomentOutOfRange) as error:
                rejected.append(f"contact {contact.id}: {_first(error)}")
                continue
            if rep is not None:
                owned[contact.id] = rep
        return records, rejected, owned

    # -- push

    def find(self, outgoing: Outgoing) -> str | None:
        if outgoing.kind is EventKind.ATTEMPT:
            kind, _ = mapping.engagement(outgoing, {}, self.terms)
        elif mapping.move_note(outgoing, self.terms) is not None:
            kind = NOTES  # the move's note is what a second push could double
        else:
            return None  # a move sets fields: setting them again changes nothing
        self._keep_event_ids_on(kind)  # searching a property the kind lacks is refused
        body = {
            "filterGroups": [
                {
                    "filters": [
                        {
                            "propertyName": api.EVENT_PROPERTY,
                            "operator": "EQ",
                            "value": outgoing.event_id,
                        }
                    ]
                }
            ],
            "properties": [api.EVENT_PROPERTY],
            "limit": 1,
        }
        found = SearchPage.model_validate(self.http.search(api.search(kind), body))
        return found.results[0].id if found.results else None

    def push(self, outgoing: Outgoing) -> str:
        try:
            if outgoing.kind is EventKind.ATTEMPT:
                kind, body = mapping.engagement(outgoing, self._dispositions_by_label(), self.terms)
                self._keep_event_ids_on(kind)  # once a connector: a file `connect` never saw
                return self._create(kind, body, outgoing)
            self._move(outgoing)
            note = mapping.move_note(outgoing, self.terms)
            if note is None:
                return ""
            self._keep_event_ids_on(NOTES)
            return self._create(NOTES, note, outgoing)
        except Refused as refused:
            # A deleted contact: a 404 on its own path, or (for a call, an email or a
            # note made on it) a 400 that the association is invalid.
            gone = refused.status == 404 or (
                refused.status == 400 and "association" in str(refused).casefold()
            )
            if gone:
                raise Refused(
                    f"HubSpot has no contact {outgoing.record} any more (deleted or merged)",
                    404,
                ) from None
            raise

    def _create(self, kind: str, body: dict[str, Any], outgoing: Outgoing) -> str:
        """Make a call, email or note, owned by the rep who logged it (as HubSpot's
        owner they are), so HubSpot's activity reports by owner count it as theirs."""
        by = str(outgoing.payload.get(BY) or "")
        if owner := self._matched().of_rep(outgoing.actor, by):
            body["properties"][mapping.OWNER] = owner
        return Record.model_validate(self.http.create(api.objects(kind), body)).id

    def _move(self, outgoing: Outgoing) -> None:
        properties = mapping.move_properties(outgoing, self.terms)
        if not properties:
            return
        path = api.one("contacts", outgoing.record)
        stage = properties.get("lifecyclestage")
        if stage and self._before_mql(stage):
            # HubSpot moves a lifecycle stage only forward: clear it to move it back.
            self.http.patch(path, {"properties": {"lifecyclestage": ""}})
        self.http.patch(path, {"properties": properties})

    def _before_mql(self, stage: str) -> bool:
        order = [option.value for option in self.stages()]
        mql = self._mql()
        return stage in order and order.index(stage) < order.index(mql)


def _changed(operator: str, at: int) -> dict[str, str]:
    return {"propertyName": mapping.MODIFIED, "operator": operator, "value": str(at)}


def _changed_at(contact: Record) -> int:
    changed = mapping.moment(contact.properties.get(mapping.MODIFIED), "change")
    return mapping.millis(changed) if changed is not None else 0


def _first(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}" if where else first["msg"]
    return str(error)
