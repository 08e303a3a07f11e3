"""Which way an attempt went, picked by one key ('l' then 'n': a call, no answer).

An upper-case key picks the same outcome and asks for a note first; Esc from the note
closes the picker with the note kept on it (`note`) for the next time."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from leadtui.core.models import AttemptOutcome, Channel
from leadtui.tui.widgets.note_input import NoteInput

KEYS = {
    Channel.CALL: {
        "c": AttemptOutcome.CONNECTED,
        "v": AttemptOutcome.VOICEMAIL,
        "n": AttemptOutcome.NO_ANSWER,
        "w": AttemptOutcome.WRONG_NUMBER,
        "g": AttemptOutcome.GATEKEEPER,
    },
    Channel.EMAIL: {
        "s": AttemptOutcome.SENT,
        "r": AttemptOutcome.REPLIED,
        "b": AttemptOutcome.BOUNCED,
    },
}


@dataclass(frozen=True)
class Attempt:
    channel: Channel
    outcome: AttemptOutcome
    note: str = ""


class OutcomePicker(ModalScreen[Attempt | None]):
    AUTO_FOCUS = ""  # keys pick at once; nothing to type into until asked
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, channel: Channel, lead_name: str, draft: str = "") -> None:
        super().__init__()
        self.channel = channel
        self.lead_name = lead_name
        self.note = draft  # a note kept from an attempt that did not go through, or typed
        self.picked: AttemptOutcome | None = None

    def compose(self) -> ComposeResult:
        keys = KEYS[self.channel]
        with Vertical(classes="dialog"):
            yield Label(f"Log {self.channel.value} · {self.lead_name}", classes="dialog-title")
            for key, outcome in keys.items():
                yield Static(f"  [b]{key}[/b]  {outcome.value.replace('_', ' ')}")
            yield Static(
                f"[$text-muted]{'/'.join(k.upper() for k in keys)}: the same with a note · "
                "Esc: cancel[/]"
            )

    def on_key(self, event: events.Key) -> None:
        if self.picked is not None:  # typing the note
            return
        keys = KEYS[self.channel]
        key = event.character or ""
        if key in keys:
            event.stop()
            self.dismiss(Attempt(self.channel, keys[key], self.note))
        elif key.lower() in keys and key.isupper():
            event.stop()
            self.picked = keys[key.lower()]
            note = NoteInput(self.note, placeholder="note (Enter to log)", id="note")
            note.border_title = f"note for {self.picked.value.replace('_', ' ')}"
            self.query_one(".dialog").mount(note)
            note.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.note = event.value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.picked is not None:
            self.dismiss(Attempt(self.channel, self.picked, event.value.strip()))
