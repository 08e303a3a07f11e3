"""Filter (`f`): narrow the view by source, stage and SLA state. Each has a key that
steps through its values (s, t, d); Enter applies, x clears, Esc leaves it as it was."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from leadtui.core.models import Stage
from leadtui.store import Due, Filter

STAGES = (Stage.MQL, Stage.WORKING, Stage.ACCEPTED)


def step(values: list[Any], current: Any) -> Any:
    """The value after `current` in [None, *values], wrapping round to None (any)."""
    ring = [None, *values]
    return ring[(ring.index(current) + 1) % len(ring)] if current in ring else None


class FilterPicker(ModalScreen[Filter | None]):
    AUTO_FOCUS = ""
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("enter", "apply", "Apply"),
        Binding("s", "step('source')", "Source"),
        Binding("t", "step('stage')", "Stage"),
        Binding("d", "step('due')", "SLA state"),
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

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Filter the queue", classes="dialog-title")
            yield Static(id="choices")
            yield Static("[$text-muted]s t d: change · Enter: apply · x: clear · Esc: cancel[/]")

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        def said(value: Any, any_words: str) -> str:
            if value is None:
                return f"[$text-muted]{any_words}[/]"
            return f"[b]{str(getattr(value, 'value', value)).replace('_', ' ')}[/b]"

        self.query_one("#choices", Static).update(
            f"  [b]s[/b]  source     {said(self.chosen['source'], 'any source')}\n"
            f"  [b]t[/b]  stage      {said(self.chosen['stage'], 'any stage')}\n"
            f"  [b]d[/b]  SLA state  {said(self.chosen['due'], 'any state')}"
        )

    def action_step(self, name: str) -> None:
        self.chosen[name] = step(self.values[name], self.chosen[name])
        self._show()

    def action_apply(self) -> None:
        self.dismiss(Filter(**self.chosen))

    def action_clear(self) -> None:
        self.dismiss(Filter())
