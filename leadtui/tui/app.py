"""The Textual application and the one factory the CLI and the tests both use."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App

from leadtui.core.agreement import Agreement
from leadtui.core.clock import Clock
from leadtui.store import Store
from leadtui.tui.screens.queue import QueueScreen


@dataclass(frozen=True)
class Session:
    """Who is working, on what, by which clock."""

    store: Store
    agreement: Agreement
    clock: Clock
    rep: str | None
    demo: bool = False


class LeadApp(App[None]):
    CSS_PATH = "leadtui.tcss"
    TITLE = "leadtui"

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def on_mount(self) -> None:
        self.sub_title = ("DEMO · " if self.session.demo else "") + (
            self.session.rep or "no rep chosen"
        )
        self.push_screen(QueueScreen(self.session))


def make_app(
    store: Store,
    agreement: Agreement,
    clock: Clock,
    *,
    rep: str | None = None,
    demo: bool = False,
) -> LeadApp:
    return LeadApp(Session(store, agreement, clock, rep, demo))
