"""`?`: every key of the screen, as bound now (remapped keys included); on the queue also
the keys that move, the keys inside the pickers, and what the queue's marks mean.

Each line is a key (or a mark) and its words, in two columns, so a long description
wraps under its own words at 80 columns. The text is never read as markup: a key such
as `[` shows as itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from leadtui.core.models import Channel
from leadtui.core.sla import SlaState
from leadtui.tui.modals.outcome import KEYS
from leadtui.tui.widgets.columns import dots
from leadtui.tui.widgets.sla_badge import MARKS

Line = tuple[str, str]  # a key or a mark, and what it does or means

MOVING: list[Line] = [
    ("↑ ↓  j k", "move through the queue"),
    ("PgUp PgDn Space", "a screen at a time (the next page loads as you go)"),
    ("Home End", "first lead, last loaded lead"),
    ("Enter", "open the lead (120+ columns: it is beside the queue)"),
    ("ctrl+p", "command palette: every action by name"),
]

PICKERS: list[Line] = [
    ("1-9  ↑ ↓ Enter", "pick from the list: a reason, a rep, a snooze time"),
    ("typing", "goes into the note, wherever the focus is"),
    ("Tab", "between the list and the note"),
    ("Enter", "in the note: save the move with the note"),
    ("Esc", "close; the note, reason and ticks are kept"),
    ("s t d  S T D", "filter: step source, stage, SLA state; shift: back"),
]

# Each SLA mark of the queue (the badge's own, sla_badge.MARKS) as a badge reads, and
# what it means.
LEGEND: dict[SlaState, tuple[str, str]] = {
    SlaState.BREACHED: ("1h20 late", "breached: the next step is late (business time)"),
    SlaState.DUE_SOON: ("14m left", "due soon: within the agreement's margin"),
    SlaState.ON_TRACK: ("5h49 left", "on track: business time left to the next step"),
    SlaState.PAUSED: ("snoozed", "paused: snoozed, or outside hours ('after hrs')"),
    SlaState.MET: ("connected", "met: connected, or every try made ('tried all')"),
    SlaState.NO_SLA: ("no SLA", "not with sales: never handed over, or closed"),
    SlaState.NO_CLOCK: ("no clock", "a stored time outside the dates leadtui keeps"),
}
ROOM = 52  # the words' column at 80 columns: longer lists go on to another line


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss(None)", "Close")]

    def __init__(
        self, keys: list[Line], *, queue: bool = True, cadence: tuple[int, int] = (3, 2)
    ) -> None:
        super().__init__()
        self.keys = keys
        self.queue = queue  # the queue's moving keys, pickers and marks too
        self.cadence = cadence  # calls and emails of the agreement's cadence

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield from section("Keys", self.keys)
            if not self.queue:
                yield from closing()
                return
            yield from section("Moving", MOVING)
            yield from section("Logging an attempt", self.outcomes())
            yield from section("In the pickers", PICKERS)
            yield from section("The queue's marks", self.marks())
            yield from closing()

    def outcomes(self) -> list[Line]:
        lines: list[Line] = []
        for channel, key in ((Channel.CALL, "l then"), (Channel.EMAIL, "e then")):
            picks = [
                f"{pick} {outcome.value.replace('_', ' ')}"
                for pick, outcome in KEYS[channel].items()
            ]
            lines += [(key if n == 0 else "", words) for n, words in enumerate(fitted(picks))]
        lines.append(("upper case", "the same outcome, with a note first (l N)"))
        return lines

    def marks(self) -> list[Line]:
        calls, emails = self.cadence
        return [
            *((f"{MARKS[state]} {badge}", words) for state, (badge, words) in LEGEND.items()),
            ("● Name", "handed to sales while the app is open"),
            ("82 ▮▮▮▮▯", "score; the bar: fit cells first, then engagement"),
            (
                f"c{dots(1, calls)} e{dots(0, emails)}",
                f"tries: 1 of {calls} calls and 0 of {emails} emails made",
            ),
            (f"c{dots(calls + 1, calls)}", f"more calls than the cadence's {calls}"),
        ]


def fitted(parts: list[str]) -> list[str]:
    """`parts` joined with ' · ' into lines of at most ROOM characters, none cut."""
    lines = [parts[0]]
    for part in parts[1:]:
        if len(lines[-1]) + 3 + len(part) <= ROOM:
            lines[-1] += f" · {part}"
        else:
            lines.append(part)
    return lines


def section(title: str, lines: Iterable[Line]) -> Iterable[Static | Horizontal]:
    yield Static(Content.styled(title, "bold"), classes="help-title")
    for key, words in lines:
        yield Horizontal(
            Static(Content.styled(key, "bold"), classes="help-key"),
            Static(Content(words), classes="help-words"),
            classes="help-line",
        )


def closing() -> Iterable[Static]:
    yield Static(Content.styled("Esc or ? to close", "$text-muted"), classes="help-title")
