"""The pickers' note field: it takes at most NOTE_MAX characters and says so when typing
or pasting reaches the limit, rather than dropping keys (or a whole paste) in silence."""

from __future__ import annotations

from textual.widgets import Input

from leadtui.core.models import NOTE_MAX

NEAR = NOTE_MAX - 200  # from here the field counts what is left
FULL = f"A note holds at most {NOTE_MAX:,} characters; the rest was not taken"


class NoteInput(Input):
    def __init__(self, value: str = "", *, placeholder: str = "", id: str | None = None) -> None:
        # Not selected on focus: a key typed into a kept note must not replace all of it.
        super().__init__(
            value, placeholder=placeholder, id=id, max_length=NOTE_MAX, select_on_focus=False
        )
        self.warned = False  # said once each time the note fills up, not at every key

    def replace(self, text: str, start: int, end: int) -> None:
        """Take what fits of a key or a paste (Input alone drops all of a paste that
        does not fit), and say when something was left out."""
        start, end = sorted((max(0, start), min(len(self.value), end)))
        room = NOTE_MAX - (len(self.value) - (end - start))
        if len(text) > room:
            text = text[: max(0, room)]
            if not self.warned:
                self.warned = True
                self.notify(FULL, title="Note full", severity="warning")
        elif len(self.value) - (end - start) + len(text) < NOTE_MAX:
            self.warned = False
        super().replace(text, start, end)

    def watch_value(self, value: str) -> None:
        self.border_subtitle = f"{len(value):,} of {NOTE_MAX:,}" if len(value) >= NEAR else ""

    def take(self, text: str) -> None:
        """Go to the note and add `text` at its end: what a rep types while the focus is
        elsewhere in a picker lands in the note rather than nowhere."""
        self.focus()
        self.cursor_position = len(self.value)
        self.insert_text_at_cursor(text)


def typed(character: str | None) -> bool:
    """Whether a key is text a rep meant to write (a letter, a space, punctuation)."""
    return character is not None and len(character) == 1 and character.isprintable()
