"""Filter (`f`): narrow the view by source, stage and SLA state. Each has a key that
steps through its values (s, t, d) and, with shift, steps back (S, T, D); the arrows do
the same on the line they are on (up and down pick the line, left and right step).
Enter applies, x clears, Esc leaves it as it was."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from leadtui.core.models import Stage
from leadtui.store import Due, Filter

STAGES = (Stage.MQL, Stage.WORKING, Stage.ACCEPTED)


def step(values: list[Any], current: Any, by: int = 1) -> Any:
    """The value `by` places after `current` in [None, *values] (None: any), round the
    ring either way."""
    ring = [None, *values]
    return ring[(ring.index(current) + by) % len(ring)] if current in ring else None


NAMES = ("source", "stage", "due")


class FilterPicker(ModalScreen[Filter | None]):
    AUTO_FOCUS = ""
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("enter", "apply", "Apply"),
        Binding("s", "step('source')", "Source"),
        Binding("t", "step('stage')", "Stage"),
        Binding("d", "step('due')", "SLA state"),
        Binding("S", "step('source', -1)", "Source, back"),
        Binding("T", "step('stage', -1)", "Stage, back"),
        Binding("D", "step('due', -1)", "SLA state, back"),
        Binding("up", "line(-1)", "Line up", show=False),
        Binding("down", "line(1)", "Line down", show=False),
        Binding("right", "step_line(1)", "Step on", show=False),
        Binding("left", "step_line(-1)", "Step back", show=False),
        Binding("x", "clear", "Clear all"),
    ]

    def __init__(self, current: Filter, sources: list[str]) -> None:
        super().__init__()
        self.chosen: dict[str, Any] = {
            "source": current.source,
            "stage": current.stage,
            "due": current.due,
        }
        self.values: dict[str, list[Any]] = {
            "source": sources,
            "stage": list(STAGES),
            "due": list(Due),
        }
        self.line = 0  # the line the arrows step, by its place in NAMES

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Filter the queue", classes="dialog-title")
            yield Static(id="choices")
            yield Static(
                "[$text-muted]s t d: step on · S T D: step back · or ↑↓ and ←→\n"
                "Enter: apply · x: clear all · Esc: cancel[/]"
            )

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        def said(value: Any, any_words: str) -> str:
            if value is None:
                return f"[$text-muted]{any_words}[/]"
            return f"[b]{escape(str(getattr(value, 'value', value)).replace('_', ' '))}[/b]"

        rows = (
            ("s", "source   ", said(self.chosen["source"], "any source")),
            ("t", "stage    ", said(self.chosen["stage"], "any stage")),
            ("d", "SLA state", said(self.chosen["due"], "any state")),
        )
        self.query_one("#choices", Static).update(
            "\n".join(
                f"{'▸' if number == self.line else ' '} [b]{key}[/b]  {name}  {value}"
                for number, (key, name, value) in enumerate(rows)
            )
        )

    def action_step(self, name: str, by: int = 1) -> None:
        self.chosen[name] = step(self.values[name], self.chosen[name], by)
        self.line = NAMES.index(name)
        self._show()

    def action_line(self, by: int) -> None:
        self.line = (self.line + by) % len(NAMES)
        self._show()

    def action_step_line(self, by: int) -> None:
        self.action_step(NAMES[self.line], by)

    def action_apply(self) -> None:
        self.dismiss(Filter(**self.chosen))

    def action_clear(self) -> None:
        self.dismiss(Filter())
