"""Reading a CSV file safely, and writing the rows we could not take to a rejects file."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

from leadtui.core.sheets import Sheet

# The most characters one cell may hold: far beyond any note or address a CRM exports;
# a longer cell sends its row to the rejects file.
LONGEST_CELL = 100_000


class ImportFailure(Exception):
    """The file as a whole cannot be read; nothing was imported."""


# A row of the file: its line, its cells, and why it cannot be taken ("" if it can).
Row = tuple[int, list[str], str]
# Told every 10,000 rows read, for a progress bar.
Progress = Callable[[int], None]


def read(path: Path) -> tuple[list[str], Iterator[Row]]:
    """The header and the rows (with their line numbers) of a UTF-8 CSV file.

    The whole file is decoded first, so an encoding problem stops the import
    before any row is written, and names the line it is on. A NUL in the header
    means the file is not text at all; a NUL or an overlong cell in a row is that
    row's problem only.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailure(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportFailure(f"{path} is a folder, not a CSV file") from None
    except OSError as error:
        raise ImportFailure(f"{path}: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportFailure(
            f"{path} is not UTF-8 (byte {raw[error.start]:#04x} on line {line}); "
            "save it as 'CSV UTF-8' and import it again"
        ) from None
    # No cell can be longer than the file: the reader never fails on a long one, and
    # `_problem` rejects the row instead (the limit is the whole process's, and only grows).
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFailure(f"{path} is empty") from None
    except csv.Error as error:
        raise ImportFailure(f"{path}, line 1: {error}") from None
    if any("\x00" in column for column in header):
        raise ImportFailure(f"{path} is not a CSV file (it holds binary data)")
    header = [column.strip() for column in header]
    if not any(header):
        raise ImportFailure(f"{path} has no header row")

    def rows() -> Iterator[Row]:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise ImportFailure(f"{path}, line {reader.line_num}: {error}") from None
            whole = "".join(row)
            if whole.strip():  # a row of blank cells is no row
                yield reader.line_num, row, _problem(header, row, whole)

    return header, rows()


def counted(rows: Iterator[Row], progress: Progress | None) -> Iterator[Row]:
    """The rows, telling `progress` as they are read."""
    for count, item in enumerate(rows, start=1):
        if progress is not None and count % 10_000 == 0:
            progress(10_000)
        yield item


def _problem(header: list[str], row: list[str], whole: str) -> str:
    """Why a row cannot be taken whatever its columns mean, or "" (`whole`: its cells
    joined, so that nearly every row is told good in one look)."""
    if "\x00" not in whole and (len(whole) <= LONGEST_CELL or max(map(len, row)) <= LONGEST_CELL):
        return ""
    for index, cell in enumerate(row):
        column = repr(header[index]) if index < len(header) else str(index + 1)
        if "\x00" in cell:
            return f"column {column} holds a NUL character (binary data)"
        if len(cell) > LONGEST_CELL:
            return f"column {column} holds {len(cell):,} characters (at most {LONGEST_CELL:,})"
    return ""


def rejects_path(path: Path) -> Path:
    """leads.csv -> leads.rejects.csv, next to it."""
    return path.with_name(f"{path.stem}.rejects{path.suffix or '.csv'}")


def write_rejects(path: Path, header: list[str], rejected: list[Row]) -> Path:
    """The rows as they were read, with their line and reason; a cell that would run as
    a formula in a spreadsheet is written as text (see core.sheets)."""
    target = rejects_path(path)
    with target.open("w", newline="", encoding="utf-8") as handle:
        sheet = Sheet(handle)
        sheet.row(["line", *header, "reason"])
        for line, row, reason in rejected:
            cells = row + [""] * (len(header) - len(row))  # so the reason lines up
            sheet.row([line, *cells, reason])
    return target
