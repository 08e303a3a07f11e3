"""Times given on the command line: read in the formats each option names, and held
to the dates leadtui keeps before anything is opened."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import click

from leadtui.core import moments

INSTANT = ["%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S%z"]
DAY = ["%Y-%m-%d"]


class Moment(click.DateTime):
    """A click.DateTime in UTC (unless it says otherwise), refused in one line when it
    lies outside the dates leadtui keeps."""

    name = "moment"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        parsed: datetime = super().convert(value, param, ctx)
        moment = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed
        try:
            moment = moment.astimezone(UTC)
        except OverflowError:
            moment = moment.replace(tzinfo=None)  # shown as written
        if not moments.in_range(moment):
            self.fail(f"{value} is outside the dates leadtui keeps ({moments.RANGE_WORDS})")
        return moment
