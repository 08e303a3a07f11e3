"""Days of one's choosing for the team review: from and to, both included, typed as
people write them ("Nov 3", "3 Nov", "2026-11-03", "yesterday", "monday"). Each box
reads its day back as it is typed; Enter in either shows the period, or says in one
line what it could not read and stays open."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from leadtui.core import spoken

BOXES = {"since": "From", "until": "To"}


class PeriodPicker(ModalScreen[tuple[date, date] | None]):
    """Dismissed with the first and last day, or None (Esc)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, since: date, until: date, today: date) -> None:
        super().__init__()
        self.days = {"since": since, "until": until}
        self.today = today  # the team's: "yesterday" and "monday" look back from it

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="period-dialog"):
            yield Label("Team review: which days", classes="dialog-title")
            for box, words in BOXES.items():
                with Horizontal(classes="period-row"):
                    yield Label(words, classes="period-label")
                    yield Input(self.days[box].isoformat(), id=box, compact=True)
                    yield Static(_read_back(self.days[box]), id=f"{box}-read")
            yield Static("", id="period-problem")
            yield Static(
                f"[$text-muted]{spoken.DAY_FORMS} · both days included\n"
                "Enter: show · Tab: the other day · Esc: cancel[/]"
            )

    @on(Input.Changed)
    def read_back(self, event: Input.Changed) -> None:
        """The day a box names, as it is typed; nothing while it names none yet."""
        try:
            shown = _read_back(spoken.day(event.value, self.today))
        except spoken.NotADay:
            shown = ""
        self.query_one(f"#{event.input.id}-read", Static).update(shown)

    @on(Input.Submitted)
    def done(self, event: Input.Submitted) -> None:
        days: dict[str, date] = {}
        for box, words in BOXES.items():
            field = self.query_one(f"#{box}", Input)
            try:
                days[box] = spoken.day(field.value, self.today)
            except spoken.NotADay as problem:
                field.focus()
                self.say(f"{words}: {problem.short}")
                return
        since, until = days["since"], days["until"]
        if since > until:
            self.say(f"From {since:%a %d %b %Y} comes after to {until:%a %d %b %Y}")
            return
        self.dismiss((since, until))

    def say(self, problem: str) -> None:
        self.query_one("#period-problem", Static).update(f"[$error]{escape(problem)}[/]")


def _read_back(day: date) -> str:
    return f"{day:%a %d %b %Y}"
