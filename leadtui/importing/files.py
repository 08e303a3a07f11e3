"""Reading a CSV file safely, and writing the rows we could not take to a rejects file."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path


class ImportFailure(Exception):
    """The file as a whole cannot be read; nothing was imported."""


def read(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and the rows (with their line numbers) of a UTF-8 CSV file.

    The whole file is decoded first, so an encoding problem stops the import
    before any row is written, and names the line it is on.
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
    if "\x00" in text[:4096]:
        raise ImportFailure(f"{path} is not a CSV file (it holds binary data)")
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFailure(f"{path} is empty") from None
    except csv.Error as error:
        raise ImportFailure(f"{path}, line 1: {error}") from None
    header = [column.strip() for column in header]
    if not any(header):
        raise ImportFailure(f"{path} has no header row")

    def rows() -> Iterator[tuple[int, list[str]]]:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise ImportFailure(f"{path}, line {reader.line_num}: {error}") from None
            if any(cell.strip() for cell in row):
                yield reader.line_num, row

    return header, rows()


def rejects_path(path: Path) -> Path:
    """leads.csv -> leads.rejects.csv, next to it."""
    return path.with_name(f"{path.stem}.rejects{path.suffix or '.csv'}")


def write_rejects(
    path: Path, header: list[str], rejected: list[tuple[int, list[str], str]]
) -> Path:
    target = rejects_path(path)
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", *header, "reason"])
        for line, row, reason in rejected:
            cells = row + [""] * (len(header) - len(row))  # so the reason lines up
            writer.writerow([line, *cells, reason])
    return target
