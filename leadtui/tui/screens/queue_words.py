"""What the queue screen says around its list: the load line, the view tabs with what
narrows them, and why the list is empty."""

from __future__ import annotations

from leadtui.store import Counts, Filter, View
from leadtui.tui.screens.acting import Asked

VIEW_TITLES = {View.MINE: "My queue", View.UNASSIGNED: "Unassigned", View.ALL: "All open"}


def load_line(view: View, counts: Counts | None, breached: int, due_soon: int) -> str:
    """'37 waiting · 4 due soon · 1 breached · 12 unassigned' (nothing before the counts)."""
    if counts is None:
        return ""
    waiting = {View.MINE: counts.mine, View.UNASSIGNED: counts.unassigned}.get(view, counts.open)
    return " · ".join(
        [
            f"{waiting:,} waiting",
            f"{due_soon:,} due soon",
            f"{breached:,} breached",
            f"{counts.unassigned:,} unassigned",
        ]
    )


def view_tabs(asked: Asked, loaded: int, more: bool) -> str:
    """The views with their keys, the current one lit; how many lines are loaded; and
    the search or filter narrowing them."""
    tabs = []
    for number, view in enumerate(View, start=1):
        title = f"{number} {VIEW_TITLES[view]}"
        current = view is asked.view and asked.search is None
        tabs.append(f"[reverse] {title} [/]" if current else f" {title} ")
    narrowing = []
    if asked.search is not None:
        narrowing.append(f"search: {asked.search!r} ({loaded} found)")
    only = asked.only
    for value in (only.source, only.stage, only.due):
        if value is not None:
            narrowing.append(str(getattr(value, "value", value)).replace("_", " "))
    shown = f"{loaded:,}{'+' if more else ''} shown"
    extra = f"  [$warning]{' · '.join(narrowing)}[/] (Esc clears)" if narrowing else ""
    return "".join(tabs) + f"  [$text-muted]{shown}[/]{extra}"


def empty_list(asked: Asked, counts: Counts | None) -> str:
    """Why nothing shows, and the key that shows something."""
    if asked.search is not None:
        return f"No lead matches {asked.search!r}. Esc clears the search."
    if counts is not None and counts.open == 0:
        return (
            "No open leads in this database yet. Bring some in with "
            "`leadtui import leads FILE.csv`, or look around with `leadtui --demo`."
        )
    if asked.only != Filter():
        return "Nothing matches the filter here. Esc clears it; 1, 2, 3 switch views."
    return f"Nothing in {VIEW_TITLES[asked.view]}. Press 1, 2 or 3 for another view."
