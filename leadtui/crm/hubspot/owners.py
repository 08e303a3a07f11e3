"""HubSpot's owners (the account's users) and leadtui's reps, both ways: the rep a
contact's owner is (a pull), and the owner a rep's call, email or note is logged as (a
push), so the CRM's reports by owner count each rep's own work.

An owner is a rep when the owner's full name is the rep's name, or the local part of
the owner's email is the rep's id (`dana@...` for rep `dana`), compared without case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from leadtui.core.models import Rep
from leadtui.crm.hubspot import api
from leadtui.crm.hubspot.http import HubSpotHttp
from leadtui.crm.hubspot.objects import Owner, Owners


def read(http: HubSpotHttp) -> list[Owner]:
    """Every owner of the account, page by page (100 a page)."""
    found: list[Owner] = []
    after: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 100} | ({"after": after} if after else {})
        page = Owners.model_validate(http.get(api.OWNERS, **params))
        found += page.results
        after = page.paging.next.after if page.paging and page.paging.next else None
        if after is None:
            return found


def _local(owner: Owner) -> str:
    return (owner.email or "").split("@")[0].casefold()


@dataclass(frozen=True)
class Matched:
    """The account's owners, matched to reps."""

    owners: Sequence[Owner]

    def of_contacts(self, reps: Sequence[Rep]) -> dict[str, tuple[str, str | None]]:
        """HubSpot's owners by id: the name to show, and the rep they are (by id)."""
        by_name = {rep.name.casefold(): rep.id for rep in reps}
        by_id = {rep.id.casefold(): rep.id for rep in reps}
        return {
            owner.id: (
                owner.name or owner.email or owner.id,
                by_name.get(owner.name.casefold()) or by_id.get(_local(owner)),
            )
            for owner in self.owners
        }

    def of_rep(self, rep_id: str, rep_name: str = "") -> str | None:
        """The owner id a rep's work is logged as; None for a rep who is no user of the
        account (the engagement is then made without an owner)."""
        by_local = next((o.id for o in self.owners if _local(o) == rep_id.casefold()), None)
        if by_local is not None or not rep_name:
            return by_local
        wanted = rep_name.casefold()
        return next((o.id for o in self.owners if o.name.casefold() == wanted), None)
