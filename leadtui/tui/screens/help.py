"""`?`: every key of the queue, as bound now (remapped keys included), and the keys
inside the pickers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from leadtui.core.models import Channel
from leadtui.tui.modals.outcome import KEYS

MOVING = [
    ("↑ ↓  j k", "move through the queue"),
    ("PgUp PgDn  Space", "a screen at a time (the next page loads as you go)"),
    ("Home End", "first lead, last loaded lead"),
    ("Enter", "open the lead (at 80 columns; wide terminals show it beside the queue)"),
    ("ctrl+p", "command palette: every action by name"),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss(None)", "Close")]

    def __init__(self, keys: list[tuple[str, str]], *, queue: bool = True) -> None:
        super().__init__()
        self.keys = keys
        self.queue = queue  # the queue's moving keys and outcome pickers too

    def compose(self) -> ComposeResult:
        lines = ["[b]Keys[/b]", ""]
        lines += [f"  [b]{key:<16}[/b] {words}" for key, words in self.keys]
        if self.queue:
            lines += ["", "[b]Moving[/b]", ""]
            lines += [f"  [b]{key:<16}[/b] {words}" for key, words in MOVING]
        for channel, verb in ((Channel.CALL, "After l (call)"), (Channel.EMAIL, "After e (email)")):
            if not self.queue:
                break
            picks = " · ".join(
                f"[b]{key}[/b] {outcome.value.replace('_', ' ')}"
                for key, outcome in KEYS[channel].items()
            )
            lines += ["", f"[b]{verb}[/b]", f"  {picks}", "  upper case: the same, with a note"]
        lines += ["", "[$text-muted]Esc or ? to close[/]"]
        with VerticalScroll(classes="dialog help"):
            yield Static("\n".join(lines))
