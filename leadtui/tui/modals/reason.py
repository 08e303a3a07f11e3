"""Return to nurture or disqualify: pick a reason of the agreement (a number key, or the
arrows and Enter), add a note if you like, Enter in the note saves.

A number picks its reason and moves to the note, and the line under the note says
which reason is picked and where the keys go now. Whatever is typed while the reasons
have the focus goes into the note too, so nothing typed is lost; and Esc closes the
picker with the note and the reason kept on it (`note`, `reason`) for the next time.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from leadtui.tui.widgets.note_input import NoteInput, typed

ON_THE_REASONS = "1-9 or ↑↓ Enter: pick · type: note · Esc: cancel (kept)"
ON_THE_NOTE = "Enter: save · Tab: to the reasons · Esc: cancel (kept)"


@dataclass(frozen=True)
class Reasoned:
    reason: str  # the agreement's code
    note: str = ""


class ReasonPicker(ModalScreen[Reasoned | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(
        self, title: str, reasons: dict[str, str], draft: str = "", reason: str | None = None
    ) -> None:
        super().__init__()
        self.title_words = title
        self.reasons = reasons
        self.note = draft  # what the note holds, kept when the picker closes unsaved
        self.reason = reason if reason in reasons else next(iter(reasons), None)

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
            yield NoteInput(self.note, placeholder="note (optional)", id="note")
            yield Static(id="picked")
            yield Static(id="keys", classes="dialog-keys")

    def on_mount(self) -> None:
        codes = list(self.reasons)
        reasons = self.query_one("#reasons", OptionList)
        reasons.highlighted = codes.index(self.reason) if self.reason in codes else 0
        reasons.focus()
        self._say()

    def _say(self) -> None:
        """Which reason is picked, in words, and what the keys do where the focus is."""
        picked = self.query_one("#picked", Static)
        if self.reason is None:
            picked.update("")
        else:
            number = list(self.reasons).index(self.reason) + 1
            picked.update(
                Content.assemble(("reason: ", "$text-muted"), (f"{number} ", "bold"))
                + Content(self.reasons[self.reason])
            )
        on_note = self.focused is self.query_one("#note")
        self.query_one("#keys", Static).update(
            Content.styled(ON_THE_NOTE if on_note else ON_THE_REASONS, "$text-muted")
        )

    @on(OptionList.OptionHighlighted)
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.reason = event.option.id
        self._say()

    def on_descendant_focus(self) -> None:
        self._say()

    def on_key(self, event: events.Key) -> None:
        if self.focused is not self.query_one("#reasons") or not typed(event.character):
            return
        character = event.character or ""
        event.stop()
        if character.isdigit():
            number = int(character)
            if 1 <= number <= len(self.reasons):
                self.query_one("#reasons", OptionList).highlighted = number - 1
                self.query_one("#note", Input).focus()
            else:
                self.notify(f"No reason {number}: 1-{len(self.reasons)}", severity="warning")
            return
        self.query_one("#note", NoteInput).take(character)

    @on(OptionList.OptionSelected)
    def to_the_note(self) -> None:
        self.query_one("#note", Input).focus()

    @on(Input.Changed, "#note")
    def keep_note(self, event: Input.Changed) -> None:
        self.note = event.value

    @on(Input.Submitted, "#note")
    def done(self, event: Input.Submitted) -> None:
        if self.reason is not None:
            self.dismiss(Reasoned(self.reason, event.value.strip()))
