"""The HubSpot pull's cursor: the millisecond of `lastmodifieddate` the next round reads
from, kept a while behind the round (HubSpot's search shows a change seconds after it is
written, so a contact changed just before the newest one read may not be searchable
yet), and the contacts read since that millisecond, each with the change read:
"MS|ID@MS,ID@MS". A round reads from the millisecond again (GTE) and leaves out a
contact whose change it has, so an idle round brings nothing; an older cursor, "MS" or
"MS|ID,ID" (ids read at MS), reads as the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Cursor:
    since: int = 0
    read: dict[str, int] = field(default_factory=dict)  # contact id -> change read (ms)

    def has(self, contact_id: str, changed_at: int) -> bool:
        return self.read.get(contact_id) == changed_at

    def kept(self, newest: int, horizon: int) -> str:
        """The cursor to keep after reading up to `newest`: from `newest`, or from
        `horizon` (the round's time less the settle window) when that is earlier, with
        the contacts read from there on."""
        since = min(newest, horizon)
        read = sorted((c, at) for c, at in self.read.items() if at >= since)
        return f"{since}|{','.join(f'{c}@{at}' for c, at in read)}" if read else str(since)


def read_from(cursor: str | None) -> Cursor:
    """The cursor a round kept (ValueError when it is not one)."""
    stamp, _, ids = (cursor or "").partition("|")
    since = int(stamp) if stamp else 0
    read = {}
    for one in filter(None, ids.split(",")):
        contact_id, _, at = one.partition("@")
        read[contact_id] = int(at) if at else since
    return Cursor(since, read)
