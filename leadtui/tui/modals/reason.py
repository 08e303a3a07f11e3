"""Return to nurture or disqualify: pick a reason of the agreement (a number key or
the arrows), add a note if you like, Enter."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from leadtui.tui.widgets.note_input import NoteInput


@dataclass(frozen=True)
class Reasoned:
    reason: str  # the agreement's code
    note: str = ""


class ReasonPicker(ModalScreen[Reasoned | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, reasons: dict[str, str], draft: str = "") -> None:
        super().__init__()
        self.title_words = title
        self.reasons = reasons
        self.draft = draft

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_words, classes="dialog-title")
            yield OptionList(
                *(
                    Option(f"{number}  {label}  [$text-muted]({code})[/]", id=code)
                    for number, (code, label) in enumerate(self.reasons.items(), start=1)
                ),
                id="reasons",
            )
            yield NoteInput(self.draft, placeholder="note (optional)", id="note")
            yield Static("[$text-muted]1-9 or ↑↓ to pick · Enter: done · Esc: cancel[/]")

    def on_mount(self) -> None:
        self.query_one("#reasons", OptionList).highlighted = 0

    def on_key(self, event: events.Key) -> None:
        character = event.character or ""
        if self.focused is self.query_one("#reasons") and character.isdigit():
            number = int(character)
            if 1 <= number <= len(self.reasons):
                event.stop()
                self.query_one("#reasons", OptionList).highlighted = number - 1
                self.query_one("#note", Input).focus()

    @on(OptionList.OptionSelected)
    def to_the_note(self) -> None:
        self.query_one("#note", Input).focus()

    @on(Input.Submitted)
    def done(self, event: Input.Submitted) -> None:
        index = self.query_one("#reasons", OptionList).highlighted
        if index is None:
            return
        code = list(self.reasons)[index]
        self.dismiss(Reasoned(code, event.value.strip()))
