"""What can go wrong with a CRM, each as one sentence for the rep. A credential never
appears in one."""

from __future__ import annotations

from datetime import datetime, timedelta


class CrmError(Exception):
    """The CRM round did not happen (or stopped); the message says why, in one line."""


class Unauthorized(CrmError):
    """The CRM refused the credential: nothing more is tried until a new one is kept."""


class CrmDown(CrmError):
    """The CRM cannot be reached, or failed (5xx), and went on failing when asked again."""


class Unsure(CrmDown):
    """A create was sent and its answer lost (a timeout, a dropped connection, a 5xx):
    the CRM may have made it. It is looked for before it is sent again."""


class DailyLimit(CrmError):
    """The account's API budget is spent: no more rounds until `until` (when the
    CRM said when its day ends), else for `again_after` from the round's own time."""

    def __init__(
        self,
        message: str,
        until: datetime | None = None,
        *,
        again_after: timedelta = timedelta(hours=1),
    ) -> None:
        super().__init__(message)
        self.until = until
        self.again_after = again_after

    def resume_at(self, now: datetime) -> datetime:
        """When the rounds may ask again, for a round at `now`."""
        if self.until is not None and self.until > now:
            return self.until
        return now + self.again_after


class CrmPaused(CrmError):
    """The rounds wait until `until` (the API budget was spent earlier)."""

    def __init__(self, message: str, until: datetime | None = None) -> None:
        super().__init__(message)
        self.until = until


class Refused(CrmError):
    """The CRM will not take this one push (its record was deleted, a validation rule):
    kept with the reason, never sent again. Other pushes go on."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status
