"""Who a CRM export says holds a lead, matched to a rep here by name or email."""

from __future__ import annotations

import re
from collections.abc import Iterable

from leadtui.core.models import Rep

_SEPARATORS = re.compile(r"[._\-+\s]+")


def _words(text: str) -> str:
    return " ".join(_SEPARATORS.sub(" ", text.casefold()).split())


class Owners:
    """The reps an export's owner cells may name: by id, by full name (also written
    "Last, First"), or by an email whose local part is the rep's id or name
    (dana@..., dana.whitfield@...). A name two reps share names nobody."""

    def __init__(self, reps: Iterable[Rep]) -> None:
        known: dict[str, set[str]] = {}
        for rep in reps:
            for way in {_words(rep.id), _words(rep.name)}:
                if way:
                    known.setdefault(way, set()).add(rep.id)
        self._by_words = {way: next(iter(ids)) for way, ids in known.items() if len(ids) == 1}

    def rep_for(self, cell: str) -> str | None:
        """The rep the cell names, or None (blank, or nobody here)."""
        text = cell.strip()
        if not text:
            return None
        if "@" in text:
            found = self._by_words.get(_words(text))  # a rep whose id is the address
            return found or self._by_words.get(_words(text.rpartition("@")[0]))
        if "," in text:  # "Whitfield, Dana"
            last, _, first = text.partition(",")
            return self._by_words.get(_words(text)) or self._by_words.get(_words(f"{first} {last}"))
        return self._by_words.get(_words(text))
