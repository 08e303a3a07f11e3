"""CSV cells as a spreadsheet will read them: text that would run as a formula stays text."""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable
from typing import Any, TextIO

# What a spreadsheet takes as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def cell(value: object) -> object:
    """The value as it can be written to a CSV cell: text that a spreadsheet would run
    as a formula gets a leading ', so it shows as the text it is; numbers, and text
    that is a plain number such as -12.5, are left alone. A number that is not one
    (NaN, infinity) is written as an empty cell."""
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


class Sheet:
    """A csv.writer whose every cell goes through `cell`: every CSV the product writes
    is written through one."""

    def __init__(self, handle: TextIO, **options: Any) -> None:
        self._writer = csv.writer(handle, **options)

    def row(self, values: Iterable[object]) -> None:
        self._writer.writerow([cell(value) for value in values])
