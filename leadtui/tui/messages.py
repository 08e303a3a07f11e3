"""What workers and widgets report: small dataclasses, posted up to the screen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual.message import Message

from leadtui.core.models import Lead
from leadtui.desk import Detail
from leadtui.store import Counts, Cursor
from leadtui.tui.widgets.columns import Line, SlaClock

if TYPE_CHECKING:  # the reports load with the team review, not with the queue
    from leadtui.crm.rounds import CrmRound
    from leadtui.reports import Breach, Period, RepFigures
    from leadtui.store.queries import Load
    from leadtui.sync import Synced


@dataclass
class PageLoaded(Message):
    """A page of the queue (or, with `replace`, every line loaded so far, re-read)."""

    key: object  # what was asked for: dropped when the screen has moved on since
    lines: list[Line]
    next: Cursor | None
    replace: bool
    follow: list[int] = field(default_factory=list)  # the cursor lands on the first shown
    at: int | None = None  # else on this row


@dataclass
class CountsLoaded(Message):
    counts: Counts
    breached: int
    due_soon: int


@dataclass
class DetailLoaded(Message):
    """Everything the detail pane shows about one lead."""

    detail: Detail


@dataclass
class LogOpened(Message):
    """Where the event log ended as the queue opened (None: the store would not say):
    news is whatever comes after."""

    end: int | None


@dataclass
class News(Message):
    """What the event log holds after `since`: the leads handed to sales meanwhile (by
    anyone: a rescoring run, an import, another program), and where the log now ends."""

    since: int | None  # the log position looked from: dropped once the screen is past it
    fresh: list[Lead]
    end: int


@dataclass
class SourcesRead(Message):
    """The lead sources in the file, for the filter picker."""

    sources: list[str]


@dataclass
class LoadsRead(Message):
    """Every rep's open leads against their capacity, to give `line`'s lead to one."""

    line: Line
    loads: list[Load]


@dataclass
class ActionDone(Message):
    """A change went through: say so, and move the cursor on."""

    lead: Lead
    said: str
    follow: list[int]  # where the cursor goes next: the first of these leads still shown
    mine: bool = False  # show the rep's own queue (after "next lead")
    draft: tuple[int, str] | None = None  # the note it saved, no longer a draft


@dataclass
class ActionFailed(Message):
    said: str


@dataclass
class Reread(Message):
    """The SLA clocks of the loaded lines, read again as time moved on, and whether the
    lines are still in queue order (a deadline that came within the margin moves its
    lead up)."""

    clocks: dict[int, SlaClock]
    in_order: bool = True


@dataclass
class TeamLoaded(Message):
    """Every figure of the team screen for one period, computed off the UI thread."""

    period: Period
    rows: dict[tuple[str, str | None], Sequence[Any]]  # by report, then grouping
    titles: dict[str, str]  # each report's title, by its default grouping

    @property
    def team(self) -> Sequence[RepFigures]:
        return self.rows["attempts", None]

    @property
    def breaches(self) -> Sequence[Breach]:
        return self.rows["breaches", None]


@dataclass
class SyncDone(Message):
    """A round with the team server: what it did, or why it could not."""

    synced: Synced | None
    problem: str | None = None
    standing: str = "not synced"  # when there is a problem: its few words


@dataclass
class CrmDone(Message):
    """A round with the team's CRM: what it did, or why it could not (`standing`: the
    few words for the status line, `problem`: the sentence for a notification)."""

    done: CrmRound | None
    problem: str | None = None
    standing: str = ""
