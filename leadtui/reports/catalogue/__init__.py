"""Every report, one module each: a module here that declares `REPORT` is found by
its file alone. The command line lists them in the order below, then any others by
their module's name."""

from __future__ import annotations

import importlib
import pkgutil

from leadtui.reports.report import Report

FIRST = ("attempts", "sla", "breaches", "funnel", "reasons", "bands", "handoff")


def _found() -> dict[str, Report]:
    modules = sorted(
        (found.name for found in pkgutil.iter_modules(__path__)),
        key=lambda name: (FIRST.index(name) if name in FIRST else len(FIRST), name),
    )
    reports = (importlib.import_module(f"{__name__}.{name}").REPORT for name in modules)
    return {report.name: report for report in reports}


REPORTS: dict[str, Report] = _found()  # by name
