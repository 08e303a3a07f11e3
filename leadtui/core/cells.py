"""What a cell of a CRM export means: a blank that pretends to be a value, and a
number written as text. The agreement's rules and the calibration read cells alike."""

from __future__ import annotations

import math

# Values CRMs export for "nobody filled this in": a dropdown's unchosen "Select", "n/a".
PLACEHOLDERS = frozenset(
    {"", "select", "unknown", "n/a", "na", "none", "null", "-", "--", "not provided", "nan"}
)


def is_blank(value: object) -> bool:
    """No value, an empty one, or a placeholder ("Select", "n/a", "-")."""
    if value is None:
        return True
    return isinstance(value, str) and value.strip().casefold() in PLACEHOLDERS


def number_in(text: str) -> float | None:
    """The number a cell writes as text ("1,100", "$250", "35%", " 7 "), or None when
    it is not one (a word, infinity, not-a-number)."""
    cleaned = text.strip().replace(",", "").replace("$", "").replace("%", "")
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None
