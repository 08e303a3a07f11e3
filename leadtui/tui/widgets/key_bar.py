"""The screen's keys on one line at the bottom.

What Textual's Footer shows, as a single widget: the Footer makes a widget per key
and rebuilds them all whenever the bindings change, which was a good part of the
app's start-up. The help and palette keys sit at the right and never get cut off;
the others fill the rest of the line in the order the screen lists them.
"""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

KEY = "bold $footer-key-foreground on $footer-key-background"
WORDS = "$footer-description-foreground on $footer-description-background"
OFF = "$text-disabled"
PALETTE = "app.command_palette"
ALWAYS = {"app.help", PALETTE}  # kept at the right


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keys: list[tuple[str, str, bool, str]] = []  # key, words, enabled, action

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def bindings_changed(self, screen: Screen[object]) -> None:
        if screen is not self.screen:
            return
        app = self.app
        keys = [
            (app.get_key_display(binding), binding.description, enabled, binding.action)
            for _node, binding, enabled, _tip in screen.active_bindings.values()
            if binding.show and binding.description
        ]
        palette = screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
        if app.ENABLE_COMMAND_PALETTE and palette is not None:
            keys.append(
                (app.get_key_display(palette.binding), "Commands", palette.enabled, PALETTE)
            )
        if keys != self.keys:
            self.keys = keys
            self.refresh()

    def render(self) -> RenderResult:
        left = [key for key in self.keys if key[3] not in ALWAYS]
        right = [key for key in self.keys if key[3] in ALWAYS]
        tail = Content(" ").join(_key(*key[:3]) for key in right)
        room = self.size.width - tail.cell_length - 1
        parts: list[Content] = []
        used = 0
        for key in left:
            part = _key(*key[:3])
            if used + part.cell_length + 1 > room:
                parts.append(Content.styled("…", WORDS))
                break
            parts.append(part)
            used += part.cell_length + 1
        head = Content(" ").join(parts)
        gap = max(1, self.size.width - head.cell_length - tail.cell_length)
        return Content.assemble(head, " " * gap, tail)


def _key(key: str, words: str, enabled: bool) -> Content:
    if not enabled:
        return Content.styled(f" {key} {words}", OFF)
    return Content.assemble((f" {key} ", KEY), (words, WORDS))
