"""The Textual application and the one factory the CLI and the tests both use."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from leadtui.core.agreement import Agreement
from leadtui.core.clock import Clock
from leadtui.store import Store
from leadtui.tui.desk import CrmLink, Desk
from leadtui.tui.screens.queue import QueueScreen

if TYPE_CHECKING:
    from leadtui.sync import TeamServer

# The app reads a page of the queue at a time; counting a million leads would
# otherwise fill the store's 64 MB cache and keep it resident all day.
APP_CACHE_MB = 8


class LeadApp(App[None]):
    CSS_PATH = "leadtui.tcss"
    TITLE = "leadtui"

    def __init__(self, desk: Desk, keys: dict[str, str] | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.keys = keys or {}

    def on_mount(self) -> None:
        if self.keys:
            self.set_keymap(self.keys)
        rep = self.desk.name_of(self.desk.rep) if self.desk.rep else "no rep chosen"
        self.sub_title = ("DEMO · " if self.desk.demo else "") + rep
        self.push_screen(QueueScreen(self.desk))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every key of the screen is also a command in the palette (ctrl+p)."""
        yield from super().get_system_commands(screen)
        for active in screen.active_bindings.values():
            binding = active.binding
            if active.node is screen and binding.description and binding.action != "app.quit":
                yield SystemCommand(
                    binding.description,
                    f"key: {self.get_key_display(binding)}",
                    lambda action=binding.action: screen.run_action(action),
                )

    def action_help(self) -> None:
        from leadtui.tui.screens.help import HelpScreen

        screen = self.screen
        # The screen's own keys: not Textual's focus and copy keys, which every screen has.
        ours = {
            binding.action
            for kind in type(screen).__mro__
            if kind.__module__.startswith("leadtui.")
            for binding in kind.__dict__.get("BINDINGS", [])
            if isinstance(binding, Binding)
        }
        keys = [
            (self.get_key_display(active.binding), active.binding.description)
            for active in screen.active_bindings.values()
            if active.binding.description
            and active.node is screen
            and active.binding.action in ours
        ]
        cadence = self.desk.agreement.sla.cadence
        queue = isinstance(screen, QueueScreen)
        self.push_screen(HelpScreen(keys, queue=queue, cadence=(cadence.calls, cadence.emails)))


def make_app(
    store: Store,
    agreement: Agreement,
    clock: Clock,
    *,
    rep: str | None = None,
    demo: bool = False,
    keys: dict[str, str] | None = None,
    team: Callable[[], TeamServer] | None = None,
    crm: CrmLink | None = None,
) -> LeadApp:
    """The app; with a team server (`team`) the CRM is the team's file's to run, so
    `crm` is left out."""
    store.limit_cache(APP_CACHE_MB)
    link = None if team is not None else crm
    return LeadApp(Desk(store, agreement, clock, rep, demo, team=team, crm=link), keys)
