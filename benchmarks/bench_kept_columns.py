"""Rescoring under ~40 rules on columns an import kept, against the built-in agreement.

    python benchmarks/bench_kept_columns.py [--leads 1000000] [--repeat 1]

The leads and activities of bench_rescore, each lead given eight export columns in
its JSON (an origin, a source detail, a specialization, an occupation, a city, two
numbers written as text, one that no rule reads). Both agreements are timed on a
fresh copy, a first (full) run each, in the same process: the default agreement
(fit rules on built-in fields) and one whose fit rules are what a calibration
proposes, one tier per column (levels, bands, blanks, "any other value").
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from pathlib import Path

from bench_rescore import build
from common import OUT, SPREAD

from leadtui.core import agreement as agreement_file
from leadtui.core.agreement import Agreement, FitRule
from leadtui.demo import DEMO_NOW
from leadtui.store import Store

COLUMNS = {
    "Lead Origin": ["Landing Page Submission", "API", "Lead Add Form", "Lead Import", "Quick"],
    "Lead Source Detail": [f"Campaign {n}" for n in range(10)],
    "Specialization": ["Finance", "IT", "Select", "Operations", "HR", "Marketing", "Sales"],
    "Occupation": ["Unemployed", "Working Professional", "Student", "Other", "Businessman"],
    "City": ["Mumbai", "Pune", "Thane", "Select", "Other Cities"],
    "Notes": ["call back", "no answer", "interested", "not now"],
}
BANDS = {
    "Total Time Spent on Website": [0, 250, 600, 1000, 1500],
    "Page Views Per Visit": [0, 1, 2, 3.5, 5],
}


def with_columns(path: Path) -> None:
    """Give every lead its export columns, in SQL (deterministic, no Python loop)."""
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    pairs = []
    for number, (header, values) in enumerate(COLUMNS.items()):
        cases = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values))
        pairs.append(f"'{header}', CASE ({SPREAD} / {7 + number}) % {len(values)} {cases} END")
    pairs.append(f"'Total Time Spent on Website', printf('%,d', ({SPREAD} / 3) % 2500)")
    pairs.append(f"'Page Views Per Visit', printf('%.1f', (({SPREAD} / 5) % 80) / 10.0)")
    conn.execute("BEGIN")
    conn.execute(
        f"UPDATE leads SET custom = json_object({', '.join(pairs)}) "
        "FROM (SELECT id AS n FROM leads) WHERE leads.id = n"
    )
    conn.execute("COMMIT")
    conn.close()


def proposed(terms: Agreement) -> Agreement:
    """The default agreement with ~40 fit rules on the kept columns, one tier each."""
    rules: list[FitRule] = []
    for header, values in COLUMNS.items():
        if header == "Notes":  # a column no rule reads
            continue
        for place, value in enumerate(values):
            rules.append(
                FitRule(
                    label=f"{header}: {value}",
                    tier=header,
                    column=header,
                    any_of=[value],
                    points=place,
                )
            )
        rules.append(
            FitRule(label=f"{header}: blank", tier=header, column=header, blank=True, points=2)
        )
    for header, edges in BANDS.items():
        for low, high in zip(edges, [*edges[1:], None], strict=True):
            rules.append(
                FitRule(
                    label=f"{header}: {low} and up",
                    tier=header,
                    column=header,
                    at_least=low,
                    less_than=high,
                    points=int(low) % 7,
                )
            )
        rules.append(
            FitRule(
                label=f"{header}: any other value",
                tier=header,
                column=header,
                blank=False,
                points=4,
            )
        )
    return terms.model_copy(update={"fit": rules})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    source = OUT / f"kept-columns-{args.leads}.db"
    if not source.exists():
        plain = OUT / f"rescore-{args.leads}.db"
        build(plain, args.leads)
        shutil.copyfile(plain, source.with_suffix(".partial"))
        with_columns(source.with_suffix(".partial"))
        source.with_suffix(".partial").rename(source)
    builtin = agreement_file.load()
    on_columns = proposed(builtin)
    print(
        f"database: {args.leads:,} leads with 8 kept columns, {args.leads * 10:,} activities; "
        f"{len(builtin.fit)} fit rules on fields against {len(on_columns.fit)} on columns"
    )
    work = OUT / "kept-columns-work.db"
    fields, columns = [], []
    for _ in range(args.repeat):
        for terms, times in ((builtin, fields), (on_columns, columns)):
            shutil.copyfile(source, work)
            with Store(work) as store:
                began = time.perf_counter()
                store.rescore(terms, DEMO_NOW)
                times.append(time.perf_counter() - began)
    work.unlink(missing_ok=True)
    ratio = statistics.median(c / f for c, f in zip(columns, fields, strict=True))
    print(f"rescoring, fit rules on built-in fields   median {statistics.median(fields):7.2f} s")
    print(
        f"rescoring, fit rules on kept columns      median {statistics.median(columns):7.2f} s  "
        f"ratio {ratio:.2f}x   target <= 1.5x: {'met' if ratio <= 1.5 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
