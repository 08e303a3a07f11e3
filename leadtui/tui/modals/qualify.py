"""Qualify (SQL): the rep confirms each item of the checklist (keys 1-4), adds a note
if they like, Enter. Until every item is ticked, Enter says what is missing.

Text typed while the checklist has the keys goes into the note; Esc closes the picker
with the ticks and the note kept on it (`ticked`, `note`) for the next time."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from leadtui.core.lifecycle import CHECKLIST
from leadtui.tui.widgets.note_input import NoteInput, typed

TICKED = "[$success]\\[x][/]"
OPEN = "\\[ ]"


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

    def __init__(
        self, lead_name: str, draft: str = "", ticked: dict[str, bool] | None = None
    ) -> None:
        super().__init__()
        self.lead_name = lead_name
        self.note = draft  # what the note holds, kept when the picker closes unsaved
        # What the rep ticked last time, when the qualification did not go through.
        self.ticked = dict.fromkeys(CHECKLIST, False) | (ticked or {})

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Qualify {self.lead_name}: confirmed on the call", classes="dialog-title")
            yield Static(id="checklist")
            yield NoteInput(self.note, placeholder="note (optional)", id="note")
            yield Static("", id="missing")
            yield Static("[$text-muted]1-4: tick · Tab: note · Enter: qualify · Esc: cancel[/]")

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        """'[x]' and '[ ]' in words, so the state never rests on colour alone."""
        lines = [
            f"  [b]{number}[/b] {TICKED if done else OPEN} {item.replace('_', ' ')}"
            for number, (item, done) in enumerate(self.ticked.items(), start=1)
        ]
        self.query_one("#checklist", Static).update("\n".join(lines))

    def on_key(self, event: events.Key) -> None:
        note, character = self.query_one("#note", NoteInput), event.character or ""
        if self.focused is note or not typed(character) or character.isdigit():
            return  # a digit is a tick (1-4) or nothing
        event.stop()
        note.take(character)

    @on(Input.Changed, "#note")
    def keep_note(self, event: Input.Changed) -> None:
        self.note = event.value

    def action_tick(self, index: int) -> None:
        item = CHECKLIST[index]
        self.ticked[item] = not self.ticked[item]
        self._show()

    def checklist(self) -> dict[str, bool]:
        return dict(self.ticked)

    @on(Input.Submitted)
    def action_confirm(self) -> None:
        missing = [item.replace("_", " ") for item, done in self.ticked.items() if not done]
        if missing:
            self.query_one("#missing", Static).update(
                f"[$error]still to confirm: {', '.join(missing)}[/]"
            )
            return
        note = self.query_one("#note", Input).value.strip()
        self.dismiss(Confirmed(self.checklist(), note))
