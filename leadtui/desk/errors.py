"""What the desk refuses before the store is asked, each in one sentence for the rep."""

from __future__ import annotations


class DeskError(Exception):
    """An action the desk would not take; the message says why, in one line."""


class NoRep(DeskError):
    """A change asked for with nobody named to make it."""


class UnknownRep(DeskError):
    """A rep the file does not know."""


class NothingWaiting(DeskError):
    """The unassigned pool has no lead left to hand out."""


class TakenFirst(DeskError):
    """Someone else changed the lead since the rep read it: who, and how long ago."""
