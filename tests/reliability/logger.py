"""A program that logs attempts as fast as it can, printing each acknowledged event.

Run by the crash test, which kills it with SIGKILL at a random moment.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from leadtui.core.models import AttemptOutcome, Channel
from leadtui.store import Store


def main(path: str, lead_id: int, durable: bool) -> None:
    store = Store(path, durable=durable)
    start = datetime(2026, 11, 17, 16, 40, tzinfo=UTC)
    for number in range(10**9):
        store.log_attempt(
            lead_id,
            "dana",
            at=start + timedelta(seconds=number),
            channel=Channel.EMAIL,
            outcome=AttemptOutcome.SENT,
            note=f"attempt {number}",
        )
        # Acknowledged: the commit returned. Only now may the caller count on it.
        print(store.events(lead_id)[-1].id, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3] == "full")
