"""Qualify (SQL): the rep confirms each item of the checklist (keys 1-4), adds a note
if they like, Enter. Until every item is ticked, Enter says what is missing."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Static

from leadtui.core.lifecycle import CHECKLIST


@dataclass(frozen=True)
class Confirmed:
    checklist: dict[str, bool]
    note: str = ""


class QualifyChecklist(ModalScreen[Confirmed | None]):
    AUTO_FOCUS = ""  # keys 1-4 tick; Tab moves to the note
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("enter", "confirm", "Qualify"),
        *(
            Binding(str(number), f"tick({number - 1})", item.replace("_", " "), show=False)
            for number, item in enumerate(CHECKLIST, start=1)
        ),
    ]

    def __init__(self, lead_name: str, draft: str = "") -> None:
        super().__init__()
        self.lead_name = lead_name
        self.draft = draft

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Qualify {self.lead_name}: confirmed on the call", classes="dialog-title")
            for number, item in enumerate(CHECKLIST, start=1):
                box = Checkbox(f"{number} {item.replace('_', ' ')}", id=f"tick-{item}")
                box.can_focus = False
                yield box
            yield Input(self.draft, placeholder="note (optional)", id="note")
            yield Static("", id="missing")
            yield Static("[$text-muted]1-4: tick · Tab: note · Enter: qualify · Esc: cancel[/]")

    def action_tick(self, index: int) -> None:
        box = self.query_one(f"#tick-{CHECKLIST[index]}", Checkbox)
        box.value = not box.value

    def checklist(self) -> dict[str, bool]:
        return {item: self.query_one(f"#tick-{item}", Checkbox).value for item in CHECKLIST}

    @on(Input.Submitted)
    def action_confirm(self) -> None:
        ticked = self.checklist()
        missing = [item.replace("_", " ") for item, done in ticked.items() if not done]
        if missing:
            self.query_one("#missing", Static).update(
                f"[$error]still to confirm: {', '.join(missing)}[/]"
            )
            return
        note = self.query_one("#note", Input).value.strip()
        self.dismiss(Confirmed(ticked, note))
