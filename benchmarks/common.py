"""What the benchmarks share: medians of repeated timings, and a table of ratios."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).resolve().parent / "out"
sys.path.insert(0, str(ROOT))


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
