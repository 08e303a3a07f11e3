"""The Textual app a rep works in."""
