"""A team lead gives a lead to another rep: pick one (a number key, or the arrows and
Enter), each shown with their open leads against their capacity."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from leadtui.core.models import Role
from leadtui.store.queries import Load


class GivePicker(ModalScreen[str | None]):
    """Dismissed with the chosen rep's id, or None (Esc)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, lead_name: str, owner: str | None, loads: list[Load]) -> None:
        super().__init__()
        self.lead_name = lead_name
        # Reps who work leads, least loaded first; the one holding it now is left out.
        self.loads = sorted(
            (load for load in loads if load.rep.role is Role.REP and load.rep.id != owner),
            key=lambda load: (load.open / max(load.rep.capacity, 1), load.rep.name),
        )

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Give {self.lead_name} to…", classes="dialog-title")
            yield OptionList(
                *(
                    Option(
                        f"{number}  {load.rep.name}  [$text-muted]{load.open}/"
                        f"{load.rep.capacity} open[/]",
                        id=load.rep.id,
                    )
                    for number, load in enumerate(self.loads, start=1)
                ),
                id="reps",
            )
            yield Static("[$text-muted]1-9 or ↑↓ and Enter · least loaded first · Esc: cancel[/]")

    def on_mount(self) -> None:
        if self.loads:
            self.query_one("#reps", OptionList).highlighted = 0

    def on_key(self, event: events.Key) -> None:
        character = event.character or ""
        if character.isdigit() and 1 <= int(character) <= min(len(self.loads), 9):
            event.stop()
            self.dismiss(self.loads[int(character) - 1].rep.id)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
