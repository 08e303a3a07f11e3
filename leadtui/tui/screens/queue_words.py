"""What the queue screen says around its list: the load line, the view tabs with what
narrows them, why the list is empty, and the line under a search result."""

from __future__ import annotations

from leadtui.core.queue import QueueRow, place
from leadtui.store import SEARCH_MOST, Counts, Filter, View
from leadtui.tui.desk import Desk
from leadtui.tui.screens.acting import Asked
from leadtui.tui.widgets.columns import SlaClock

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
    narrowing = [f"search: {asked.search!r} ({_found(loaded)})"] if asked.search is not None else []
    narrowing += narrowed(asked.only)
    shown = f"{loaded:,}{'+' if more else ''} shown"
    extra = f"  [$warning]{' · '.join(narrowing)}[/] (Esc clears)" if narrowing else ""
    return "".join(tabs) + f"  [$text-muted]{shown}[/]{extra}"


def narrowed(only: Filter) -> list[str]:
    """What a filter keeps, in words: 'web form', 'working', 'connected'."""
    values = (only.source, only.stage, only.due)
    return [str(getattr(v, "value", v)).replace("_", " ") for v in values if v is not None]


def empty_list(asked: Asked, counts: Counts | None) -> str:
    """What is empty, and the keys that get out of it."""
    if asked.search is not None:
        return f"No lead matches {asked.search!r}: / to search again, Esc back to the queue."
    if counts is not None and counts.open == 0:
        return (
            "No open leads in this database yet. Bring some in with "
            "`leadtui import leads FILE.csv`, or look around with `leadtui --demo`."
        )
    view = VIEW_TITLES[asked.view]
    if asked.only != Filter():
        kept = " · ".join(repr(words) for words in narrowed(asked.only))
        return (
            f"No leads in {view} match {kept}: f to change the filter, Esc to clear it, "
            "1 2 3 for another view."
        )
    return f"Nothing in {view}. Press 1, 2 or 3 for another view."


def place_line(
    asked: Asked, index: int, found: int, row: QueueRow, clock: SlaClock, desk: Desk
) -> str:
    """The line under the list: why the highlighted lead sits where it does ("2nd: first
    touch due in 14 min; score 82"); for a search's result (not in queue order), its
    stage, its clock and score as the queue says them, which result it is and where the
    text matched."""
    reading = clock.reading
    if asked.search is None:
        return place(index + 1, row.score, reading, clock.now, desk.calendar.zone)
    text = asked.search.casefold()
    where = "name" if text in row.name.casefold() else "company"
    if where == "company" and text not in row.company.casefold():
        where = "email"
    stage = row.stage.value.replace("_", " ")
    said = reading.words if stage in reading.words else f"{stage} · {reading.words}"
    return f"{said}; score {row.score} · {index + 1} of {_found(found)} ({where})"


def _found(count: int) -> str:
    """'12 found', or '200+ found' when a search stopped at the most it shows."""
    return f"{count}+ found" if count >= SEARCH_MOST else f"{count} found"
