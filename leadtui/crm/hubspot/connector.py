"""HubSpot as a connector: contacts handed to sales (lifecycle stage MQL, read from the
account's own stages) pulled by `lastmodifieddate`, and a rep's attempts and moves pushed
as calls, emails and contact properties (see mapping for what maps to what).

The pull pages one search at a time (up to 200 a page, the `after` cursor) sorted by
`lastmodifieddate`, and starts a new search from the newest change seen before one
search would pass HubSpot's 10,000 results. The cursor kept between rounds is that
change's time, in milliseconds; a round reads from it again (GTE), so a contact
changed in that very millisecond is not missed, and reading one twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Any

from pydantic import ValidationError

from leadtui.core.intake import LeadRecord
from leadtui.core.models import EventKind, Rep
from leadtui.core.moments import MomentOutOfRange
from leadtui.core.to_the_crm import Outgoing
from leadtui.crm.connector import Budget, Pulled
from leadtui.crm.errors import CrmError, Refused
from leadtui.crm.hubspot import api, mapping
from leadtui.crm.hubspot.http import HubSpotHttp
from leadtui.crm.hubspot.mapping import HubSpotMap
from leadtui.crm.hubspot.objects import Disposition, Option, Owners, Property, Record, SearchPage

MQL = "marketingqualifiedlead"
_GROUPS = {"calls": "callinformation", "emails": "emailinformation"}
NOTES = "notes"


class HubSpot:
    name = "hubspot"
    settle = timedelta(seconds=30)  # HubSpot's search shows a new object seconds after

    def __init__(
        self,
        http: HubSpotHttp,
        terms: HubSpotMap | None = None,
        *,
        mql_stage: str | None = None,
        search_cap: int = api.SEARCH_CAP,
        page_size: int = api.SEARCH_PAGE,
    ) -> None:
        self.http = http
        self.terms = terms or HubSpotMap()
        self.mql_stage = mql_stage
        self.search_cap = search_cap
        self.page_size = min(page_size, api.SEARCH_PAGE)
        self._stages: list[Option] | None = None
        self._dispositions: dict[str, str] | None = None
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
        return (
            f"HubSpot: {len(self.stages())} lifecycle stages; leads handed to sales are "
            f"those at '{label}'; {outcomes} call outcomes; calls, emails and notes "
            "keep leadtui's event id"
        )

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
        self._kept_on.add(kind)

    def _group_of(self, kind: str) -> str:
        """A property group of `kind` to put leadtui's property in: its '...information'
        group, as HubSpot names the default ones, else its first."""
        found = self.http.get(api.groups(kind)) or {}
        names = [str(group.get("name", "")) for group in found.get("results", [])]
        return next((n for n in names if n.endswith("information")), names[0] if names else "")

    def _owners(self, reps: Sequence[Rep]) -> dict[str, tuple[str, str | None]]:
        """HubSpot's owners by id: their name, and the rep they are (by name, or by
        the email's local part as the rep's id)."""
        by_name = {rep.name.casefold(): rep.id for rep in reps}
        by_id = {rep.id.casefold(): rep.id for rep in reps}
        found: dict[str, tuple[str, str | None]] = {}
        after: str | None = None
        while True:
            params: dict[str, Any] = {"limit": 100} | ({"after": after} if after else {})
            page = Owners.model_validate(self.http.get(api.OWNERS, **params))
            for owner in page.results:
                local = (owner.email or "").split("@")[0].casefold()
                rep = by_name.get(owner.name.casefold()) or by_id.get(local)
                found[owner.id] = (owner.name or owner.email or owner.id, rep)
            after = page.paging.next.after if page.paging and page.paging.next else None
            if after is None:
                return found

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
        owners = self._owners(reps)
        since = int(cursor) if cursor else 0
        while True:
            after: str | None = None
            seen = 0
            newest = since
            while True:
                page = self._search(stage, since, after)
                seen += len(page.results)
                records, rejected, owned = self._records(page.results, owners)
                for contact in page.results:
                    changed = mapping.moment(contact.properties.get(mapping.MODIFIED), "change")
                    if changed is not None:
                        newest = max(newest, mapping.millis(changed))
                yield Pulled(records, str(newest), owned, rejected)
                after = page.after
                if after is None:
                    return
                if seen + self.page_size > self.search_cap:
                    break  # one search returns no more: a new one from the newest change
            if newest == since:
                raise CrmError(
                    f"more than {self.search_cap:,} HubSpot contacts changed in one "
                    "millisecond: leadtui cannot page past them"
                )
            since = newest

    def _search(self, stage: str, since: int, after: str | None) -> SearchPage:
        body: dict[str, Any] = {
            "filterGroups": [
                {
                    "filters": [
                        {"propertyName": "lifecyclestage", "operator": "EQ", "value": stage},
                        {"propertyName": mapping.MODIFIED, "operator": "GTE", "value": str(since)},
                    ]
                }
            ],
            "sorts": [{"propertyName": mapping.MODIFIED, "direction": "ASCENDING"}],
            "properties": self.terms.asked,
            "limit": self.page_size,
        }
        if after is not None:
            body["after"] = after
        return SearchPage.model_validate(self.http.search(api.search("contacts"), body))

    def _records(
        self, contacts: Sequence[Record], owners: dict[str, tuple[str, str | None]]
    ) -> tuple[list[LeadRecord], list[str], dict[str, str]]:
        records: list[LeadRecord] = []
        rejected: list[str] = []
        owned: dict[str, str] = {}
        for contact in contacts:
            owner_id = contact.properties.get(mapping.OWNER) or ""
            owner, rep = owners.get(owner_id, (None, None))
            try:
                records.append(mapping.record_of(contact.id, contact.properties, self.terms, owner))
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
                return Record.model_validate(self.http.create(api.objects(kind), body)).id
            self._move(outgoing)
            note = mapping.move_note(outgoing, self.terms)
            if note is None:
                return ""
            self._keep_event_ids_on(NOTES)
            return Record.model_validate(self.http.create(api.objects(NOTES), note)).id
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


def _first(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}" if where else first["msg"]
    return str(error)
