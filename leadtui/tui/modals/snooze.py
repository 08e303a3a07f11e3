"""Snooze: put a lead aside until a time picked by one key. Its deadline does not
move; it comes back on its own when the snooze ends."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from leadtui.core.calendar import BusinessCalendar


def choices(now: datetime, calendar: BusinessCalendar) -> list[tuple[str, datetime]]:
    """'1 hour', '3 hours', the next business morning, next week's first morning."""
    zone = calendar.zone
    local = now.astimezone(zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    tomorrow = calendar.next_open(midnight + timedelta(days=1))
    next_week = calendar.next_open(midnight + timedelta(days=7 - local.weekday()))
    return [
        ("1 hour", now + timedelta(hours=1)),
        ("3 hours", now + timedelta(hours=3)),
        (f"{tomorrow.astimezone(zone):%a %H:%M}", tomorrow),
        (f"{next_week.astimezone(zone):%a %d %b %H:%M}", next_week),
    ]


class SnoozePicker(ModalScreen[datetime | None]):
    AUTO_FOCUS = ""  # keys pick at once; nothing to type into until asked
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, lead_name: str, now: datetime, calendar: BusinessCalendar) -> None:
        super().__init__()
        self.lead_name = lead_name
        self.options = choices(now, calendar)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Snooze {self.lead_name} until…", classes="dialog-title")
            for number, (words, _) in enumerate(self.options, start=1):
                yield Static(f"  [b]{number}[/b]  {words}")
            yield Static("[$text-muted]the SLA deadline stays where it is · Esc: cancel[/]")

    def on_key(self, event: events.Key) -> None:
        key = event.character or ""
        if key.isdigit() and 1 <= int(key) <= len(self.options):
            event.stop()
            self.dismiss(self.options[int(key) - 1][1])
