"""The queue as a virtual list: only the lines on screen are rendered, and only the
pages scrolled to are loaded, so a million leads open and scroll as fast as fifty.

Attributes down, messages up: the screen hands lines in (`show`, `extend`), and the
list says when the cursor moved, when it nears the end of what is loaded, and when
a lead was chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from leadtui.core.queue import QueueRow
from leadtui.tui.widgets.columns import GAP, Column, Line, Piece, SlaClock, layout

NEAR_END = 20  # rows before the end of what is loaded at which the next page is asked for


class QueueList(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {
        "queue-list--cursor",
        "queue-list--breached",
        "queue-list--due-soon",
        "queue-list--on-track",
        "queue-list--paused",
        "queue-list--met",
        "queue-list--fit",
        "queue-list--engagement",
        "queue-list--dim",
        "queue-list--fresh",
        "queue-list--more",
    }
    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last loaded", show=False),
        Binding("enter", "choose", "Open", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    @dataclass
    class Highlighted(Message):
        line: Line
        index: int

    @dataclass
    class NearEnd(Message):
        """The cursor is close to the last loaded line and more can be loaded."""

    @dataclass
    class Chosen(Message):
        line: Line

    def __init__(
        self, read_clock: Callable[[QueueRow], SlaClock], *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.read_clock = read_clock  # a row's SLA clock, as of now
        self.lines: list[Line] = []
        self.more = False  # whether pages after the loaded ones exist
        self._cache: LRUCache[tuple[int, int, bool], Strip] = LRUCache(256)
        self._layout: tuple[int, list[tuple[Column, int]]] | None = None
        self.alike: frozenset[str] = frozenset()  # columns that say the same on every row

    # -- attributes down

    def show(
        self,
        lines: list[Line],
        *,
        more: bool,
        at: int | None = None,
        alike: Collection[str] = (),
    ) -> None:
        """Replace the lines; the cursor goes to `at` (default: where it was). `alike`
        are the columns that say the same on every row of this view: left out."""
        self.lines = list(lines)
        self.more = more
        if frozenset(alike) != self.alike:
            self.alike = frozenset(alike)
            self._layout = None
        self._forget()
        self.cursor = min(self.cursor if at is None else at, max(len(self.lines) - 1, 0))
        self._announce()

    def extend(self, lines: list[Line], *, more: bool) -> None:
        self.lines.extend(lines)
        self.more = more
        self._forget()

    def reread(self, clocks: dict[int, SlaClock]) -> None:
        """New SLA readings for the loaded lines (the badges count down)."""
        self.lines = [
            replace(line, clock=clocks[line.row.id]) if line.row.id in clocks else line
            for line in self.lines
        ]
        self._forget()

    @property
    def current(self) -> Line | None:
        return self.lines[self.cursor] if 0 <= self.cursor < len(self.lines) else None

    def index_of(self, lead_id: int) -> int | None:
        for index, line in enumerate(self.lines):
            if line.row.id == lead_id:
                return index
        return None

    # -- keys

    def action_move(self, step: int) -> None:
        self._go(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self._go(self.cursor + direction * max(self.scrollable_content_region.height - 1, 1))

    def action_first(self) -> None:
        self._go(0)

    def action_last(self) -> None:
        self._go(len(self.lines) - 1)

    def action_choose(self) -> None:
        if (line := self.current) is not None:
            self.post_message(self.Chosen(line))

    def _go(self, index: int) -> None:
        if self.lines:
            self.cursor = max(0, min(index, len(self.lines) - 1))

    def watch_cursor(self, new: int) -> None:
        if self.lines:
            self.scroll_to_region(Region(0, new, 1, 1), animate=False, immediate=True)
        self._announce()
        self.refresh()

    def _announce(self) -> None:
        if (line := self.current) is not None:
            self.post_message(self.Highlighted(line, self.cursor))
        if self.more and self.cursor >= len(self.lines) - NEAR_END:
            self.post_message(self.NearEnd())

    # -- rendering

    def _forget(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(self.lines) + (1 if self.more else 0))
        self.refresh()

    def on_resize(self) -> None:
        self._forget()

    def columns(self) -> list[tuple[Column, int]]:
        width = self.scrollable_content_region.width
        if self._layout is None or self._layout[0] != width:
            sample = self.lines[0].clock if self.lines else None
            calls, emails = (sample.calls, sample.emails) if sample else (3, 2)
            self._layout = (width, layout(width, calls, emails, self.alike))
        return self._layout[1]

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if index >= len(self.lines):
            if index == len(self.lines) and self.more:
                more = self.get_component_rich_style("queue-list--more")
                return Strip([Segment(set_cell_size("  loading more…", width), more)], width)
            return Strip.blank(width, self.rich_style)
        key = (index, width, index == self.cursor)
        if (strip := self._cache.get(key)) is None:
            strip = self._render_row(self.lines[index], index == self.cursor, width)
            self._cache[key] = strip
        return strip

    def _render_row(self, line: Line, under_cursor: bool, width: int) -> Strip:
        clock = line.clock or self.read_clock(line.row)
        base = self.rich_style
        if under_cursor:
            base = base + self.get_component_rich_style("queue-list--cursor")
        segments: list[Segment] = []
        columns = self.columns()
        for number, (column, size) in enumerate(columns):
            pieces = column.cell(line, clock, size)
            gap = GAP if number < len(columns) - 1 else 0
            segments += self._cell(pieces, size, gap, base, under_cursor, right=column.right)
        used = sum(cell_len(segment.text) for segment in segments)
        if used < width:
            segments.append(Segment(" " * (width - used), base))
        return Strip(Segment.simplify(segments), width).crop(0, width)

    def _cell(
        self,
        pieces: list[Piece],
        size: int,
        gap: int,
        base: Style,
        under_cursor: bool,
        *,
        right: bool,
    ) -> list[Segment]:
        """The pieces in `size` cells (cut with an ellipsis, padded on the right, or on
        the left for a number), then the gap to the next column. The blanks after the
        text go with its last piece: a run of blanks alone is a segment that a
        screenshot's text leaves out, and the columns would read run together."""
        out: list[Segment] = []
        left = size
        for text, component in pieces:
            if left <= 0:
                break
            if not text:
                continue
            style = base
            if component is not None:
                style = base + self._style(component, under_cursor)
            if cell_len(text) > left:
                text = set_cell_size(text, left - 1) + "…" if left > 1 else "…"
            out.append(Segment(text, style))
            left -= cell_len(text)
        if right and out:
            out[0] = Segment(" " * left + out[0].text, out[0].style)
            left = 0
        if out:
            last = out[-1]
            out[-1] = Segment(last.text + " " * (left + gap), last.style)
        elif left + gap:
            out.append(Segment(" " * (left + gap), base))
        return out

    def _style(self, component: str, under_cursor: bool) -> Style:
        style = self.get_component_rich_style(component)
        if under_cursor:  # keep the state's colour, let the cursor's background show
            return Style(color=style.color, bold=style.bold)
        return style


class QueueHeading(Widget):
    """The column titles above the list, laid out as the list lays out its columns."""

    DEFAULT_CSS = "QueueHeading { height: 1; }"

    def __init__(
        self, columns: Callable[[], list[tuple[Column, int]]], *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.columns = columns

    def render(self) -> str:
        return (" " * GAP).join(
            column.title.rjust(size)[-size:] if column.right else set_cell_size(column.title, size)
            for column, size in self.columns()
        )
