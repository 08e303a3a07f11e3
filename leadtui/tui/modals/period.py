"""Days of one's choosing for the team review: from and to, both included."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from leadtui.core import moments


class PeriodPicker(ModalScreen[tuple[date, date] | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, since: date, until: date) -> None:
        super().__init__()
        self.since = since
        self.until = until

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Team review: which days", classes="dialog-title")
            yield Input(self.since.isoformat(), placeholder="from YYYY-MM-DD", id="since")
            yield Input(self.until.isoformat(), placeholder="to YYYY-MM-DD", id="until")
            yield Static("", id="period-problem")
            yield Static("[$text-muted]both days included · Enter: show · Esc: cancel[/]")

    @on(Input.Submitted)
    def done(self, event: Input.Submitted) -> None:
        if event.input.id == "since":
            self.query_one("#until", Input).focus()
            return
        texts = [self.query_one(f"#{name}", Input).value.strip() for name in ("since", "until")]
        try:
            since, until = (date.fromisoformat(text) for text in texts)
        except ValueError:
            self.say(f"{texts[0]!r} to {texts[1]!r}: write dates as 2026-11-02")
            return
        if since > until:
            self.say(f"{since} comes after {until}")
            return
        first, last = moments.EARLIEST.date(), moments.LATEST.date()
        if since < first or until > last:
            self.say(f"the dates leadtui keeps run from {first} to {last}")
            return
        self.dismiss((since, until))

    def say(self, problem: str) -> None:
        self.query_one("#period-problem", Static).update(f"[$error]{problem}[/]")
