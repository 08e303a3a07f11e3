"""A lead's detail as a screen of its own, for terminals too narrow to show it beside
the queue. The action keys work here too: the screen closes and the queue acts on
the same lead."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header

from leadtui.tui.desk import Desk, Refused
from leadtui.tui.messages import DetailLoaded
from leadtui.tui.widgets.key_bar import KeyBar
from leadtui.tui.widgets.lead_detail import LeadDetail

# The queue's actions that make sense on the lead at hand (key, action, words).
ACTIONS = (
    ("c", "claim", "Claim"),
    ("l", "log('call')", "Call"),
    ("e", "log('email')", "Email"),
    ("a", "accept", "Accept"),
    ("Q", "qualify", "Qualify"),
    ("r", "nurture", "Nurture"),
    ("d", "disqualify", "Disqualify"),
    ("z", "snooze", "Snooze"),
    ("g", "give", "Give to"),  # team leads only
)


class LeadScreen(Screen[str | None]):
    """Dismissed with the queue action to run on this lead, or None (Esc)."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="lead.back"),
        Binding("backspace", "dismiss(None)", "Back", show=False, id="lead.back_space"),
        # The detail is longer than a small terminal: it scrolls from the keyboard.
        Binding("down,j", "scroll('down')", "Scroll down", show=False, id="lead.down"),
        Binding("up,k", "scroll('up')", "Scroll up", show=False, id="lead.up"),
        Binding(
            "pagedown,space", "scroll('page_down')", "Page down", show=False, id="lead.page_down"
        ),
        Binding("pageup", "scroll('page_up')", "Page up", show=False, id="lead.page_up"),
        Binding("home", "scroll('home')", "Top", show=False, id="lead.top"),
        Binding("end", "scroll('end')", "Bottom", show=False, id="lead.bottom"),
        *(
            Binding(key, f"act({action!r})", words, id=f"lead.{action.split('(')[0]}")
            for key, action, words in ACTIONS
        ),
    ]

    def __init__(self, desk: Desk, lead_id: int, place: str, *, acting: bool = True) -> None:
        super().__init__()
        self.desk = desk
        self.lead_id = lead_id
        self.place = place
        # False: only to read (the team review's breach card), but a team lead may give it.
        self.acting = acting

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "act":
            return True  # scrolling and going back, always
        if parameters == ("give",):
            return self.desk.leads_the_team
        return self.acting

    def compose(self) -> ComposeResult:
        yield Header()
        yield LeadDetail(self.desk.agreement, id="lead-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.load()

    def action_act(self, action: str) -> None:
        self.dismiss(action)

    def action_scroll(self, how: str) -> None:
        detail = self.query_one(LeadDetail)
        getattr(detail, f"scroll_{how}")(animate=False)

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        try:
            loaded = self.desk.detail(self.lead_id)
        except Refused as refused:
            self.app.call_from_thread(self.notify, str(refused), severity="error")
            return
        self.post_message(DetailLoaded(loaded))

    @on(DetailLoaded)
    def show(self, loaded: DetailLoaded) -> None:
        owner = loaded.detail.lead.owner
        self.query_one(LeadDetail).show(
            loaded.detail,
            now=self.desk.now(),
            place=self.place,
            owner=self.desk.name_of(owner) if owner else "unassigned",
        )
