"""What the benchmarks share: medians of repeated timings, and a table of ratios."""

from __future__ import annotations

import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).resolve().parent / "out"
sys.path.insert(0, str(ROOT))


# A deterministic spread of row numbers n, written in SQL (SQLite has no seeded random()).
SPREAD = "((n * 2654435761) % 4294967291)"


@contextmanager
def built(path: Path) -> Iterator[sqlite3.Connection | None]:
    """A raw connection to a new file with leadtui's schema, to fill with SQL; the file
    takes `path` only once the block has finished. None when `path` is already built."""
    from leadtui.store import Store

    if path.exists():
        yield None
        return
    OUT.mkdir(exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    Store(partial).close()
    conn = sqlite3.connect(partial, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    try:
        yield conn
        conn.execute("ANALYZE")
    finally:
        conn.close()
    partial.rename(path)


@dataclass(frozen=True)
class Result:
    name: str
    figure: str  # what was measured, for people
    ratio: float  # product / baseline, both measured in this run
    target: str
    met: bool


def median_ns(action: Callable[[], object], runs: int, warmup: int = 3) -> float:
    """Median wall time of one call, in nanoseconds."""
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(runs):
        began = time.perf_counter_ns()
        action()
        samples.append(time.perf_counter_ns() - began)
    return statistics.median(samples)


def seconds(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def show(results: list[Result]) -> None:
    width = max(len(result.name) for result in results)
    for result in results:
        verdict = "met" if result.met else "NOT met"
        print(
            f"{result.name:<{width}}  {result.figure}  ratio {result.ratio:.2f}x  "
            f"target {result.target}: {verdict}"
        )
