"""The team server's side of its file: the reps' tokens, the change feed, marketing's
hand-offs, and the rows to copy when the team moves to PostgreSQL (the rep's side of
sync is in the Store)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from leadtui.store import copying, queries, syncing, tokens
from leadtui.store.opened import OpenedFile
from leadtui.store.recording import Policy

if TYPE_CHECKING:
    from leadtui.core.wire import Feed


class Serving(OpenedFile):
    """What a team server asks of the file it keeps; Store mixes it in."""

    policy: Policy

    def keep_token(self, rep: str, digest: str) -> None:
        """What is kept of `rep`'s token (replacing any earlier one)."""
        with self._writing() as conn:
            tokens.keep(conn, rep, digest)

    def token_holder(self, digest: str) -> tuple[str, str] | None:
        """The rep a token's digest was kept for, with the digest as it is kept."""
        return tokens.holder(self._conn, digest)

    def feed(self, since: int, limit: int, viewer: str | None) -> Feed:
        """The change feed after event `since`, as `viewer` may see it (None: all of it):
        a page of events and their leads read in one snapshot, and the team's reps."""
        from leadtui.core.wire import Feed  # the wire's models: only sync builds them

        events, leads, end, more = syncing.feed_since(self._conn, since, limit, viewer)
        return Feed(events=events, leads=leads, reps=queries.reps(self._conn), next=end, more=more)

    def keeps_tokens(self) -> bool:
        """Whether this is a team server's file: it has issued reps' tokens."""
        return copying.keeps_tokens(self._conn)

    def rows_to_copy(self, table: str, columns: Sequence[str]) -> Iterator[tuple[Any, ...]]:
        """`columns` of each row of `table` (reps, server_tokens, leads, or events about
        a lead), oldest first, read as they are wanted (see copying)."""
        return copying.rows(self._conn, table, columns)
