"""What a rep may see of the team's log: the one rule, spelled in SQL once for both
homes of the team server (a SQLite file and PostgreSQL speak the same SQL here).

A rep sees every event of their own and of unassigned leads, and who claimed or was
given any lead (so a lead someone else took leaves their queue); but the contact card
only of their own and unassigned leads. A team lead sees everything.
"""

from __future__ import annotations

from leadtui.core.models import EventKind

# Events about any lead that every rep sees: who took it, or was given it.
SEEN_BY_EVERY_REP = (EventKind.CLAIMED, EventKind.REASSIGNED)


def card_seen(owner: str, rep: str) -> str:
    """SQL that holds when the rep (the parameter `rep`, e.g. ':rep') may see the card
    of a lead whose owner is the column `owner`."""
    return f"({owner} = {rep} OR {owner} IS NULL)"


def event_seen(owner: str, kind: str, rep: str) -> str:
    """SQL that holds when the rep may see an event of kind `kind` (a column) about a
    lead whose owner is the column `owner`."""
    kinds = ", ".join(f"'{kind_seen.value}'" for kind_seen in SEEN_BY_EVERY_REP)
    return f"({card_seen(owner, rep)} OR {kind} IN ({kinds}))"
