"""The team review's breach card: Enter on a breach opens its lead to read, and a team
lead can give it to a rep from there or straight from the list (`g`), with the queue's
give picker; the figures are worked out again once it is given."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from leadtui.reports import Breach
from leadtui.store.queries import Load
from leadtui.tui.desk import Desk, Refused
from leadtui.tui.screens.acting import ASKING

if TYPE_CHECKING:
    from textual.screen import Screen

    from leadtui.tui.messages import TeamLoaded

    class Host(Screen[None]):
        """What the breach card needs of the team review it is mixed into."""

        desk: Desk
        loaded: TeamLoaded | None

        def reload(self) -> None:
            """Work the figures out again, for the period shown."""

else:
    Host = object


class BreachCard(Host):
    """Mixed into the team review, whose table's Enter calls `open_card`."""

    def open_card(self, lead_id: int) -> None:
        if self.loaded is not None:
            found = (breach for breach in self.loaded.breaches if breach.lead_id == lead_id)
            if (breach := next(found, None)) is not None:
                self.show_card(breach)

    def give_from_card(self, lead_id: int) -> None:
        """`g` on a breach: straight to the give picker, without opening the lead."""
        if self.loaded is not None:
            found = (breach for breach in self.loaded.breaches if breach.lead_id == lead_id)
            if (breach := next(found, None)) is not None:
                self.read_loads(breach)

    @work(group=ASKING)
    async def show_card(self, breach: Breach) -> None:
        from leadtui.tui.screens.lead import LeadScreen

        card = LeadScreen(self.desk, breach.lead_id, "", acting=False)
        if await self.app.push_screen_wait(card) == "give":
            self.read_loads(breach)

    @work(thread=True, exclusive=True, group="give")
    def read_loads(self, breach: Breach) -> None:
        """The reps' loads, for the picker that gives the breach's lead to one of them."""
        try:
            loads = self.desk.read(lambda store: store.load())
        except Refused as refused:
            self.app.call_from_thread(self.refused, str(refused))
            return
        self.app.call_from_thread(self.ask_whom, breach, loads)

    @work(group=ASKING)
    async def ask_whom(self, breach: Breach, loads: list[Load]) -> None:
        from leadtui.tui.modals.give import GivePicker

        picker = GivePicker(breach.name, breach.rep, loads)
        if (to := await self.app.push_screen_wait(picker)) is not None:
            self.give(breach, to)

    @work(thread=True, group="change")
    def give(self, breach: Breach, to: str) -> None:
        try:
            lead = self.desk.give(breach.lead_id, to)
        except Refused as refused:
            self.app.call_from_thread(self.refused, str(refused))
            return
        self.app.call_from_thread(self.given, f"{lead.name}: given to {self.desk.name_of(to)}")

    def given(self, said: str) -> None:
        self.notify(said, timeout=4)
        self.reload()  # the breach now shows its new rep

    def refused(self, said: str) -> None:
        self.notify(said, title="Not done", severity="error", timeout=8)
