"""Small forms over the queue: each a ModalScreen returning a typed result, or None
when the rep pressed Escape."""
