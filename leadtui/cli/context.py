"""What every command shares: the settings, the store and the agreement, opened on demand."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click

from leadtui.core import agreement as agreement_file
from leadtui.core.agreement import Agreement
from leadtui.core.clock import Clock, DemoClock, SystemClock
from leadtui.settings import Settings, agreement_in_force, load_settings
from leadtui.store import Store


class UserError(Exception):
    """A plain problem with what the user asked for; shown as one line."""


@dataclass
class Context:
    config_file: Path | None = None
    database: Path | None = None
    rep: str | None = None
    debug: bool = False
    _settings: Settings | None = field(default=None, repr=False)
    _stores: list[Store] = field(default_factory=list, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config_file, database=self.database, rep=self.rep)
        return self._settings

    def use_database(self, database: Path) -> None:
        """Work on `database` from here on: the settings are read again with it."""
        self.database = database
        self._settings = None

    def agreement(self) -> Agreement:
        """The agreement in force; a broken file stops the program here, before any work."""
        return agreement_file.load(agreement_in_force(self.settings))

    def open_store(self, path: Path | None = None, *, create: bool = False) -> Store:
        """The database file; only a command that fills one (an import, a sync, the
        server) may `create` it, so a mistyped --db is refused, not made empty."""
        target = path or self.settings.database
        if not create and not target.exists():
            raise UserError(
                f"there is no database {target}; `leadtui import leads FILE` or "
                "`leadtui sync` makes one (`leadtui --demo` opens the demo)"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        store = Store(target, durable=self.settings.synchronous == "full")
        self._stores.append(store)
        click.get_current_context().call_on_close(store.close)
        return store

    def clock(self, store: Store) -> Clock:
        """The time a file is worked at: a demo's own moment for a demo database (as
        the app and the reports read it), the machine's clock for any other. A demo's
        clock goes on from the newest thing done in it, so one command after another
        never goes back in time."""
        from leadtui.demo import demo_now

        found = demo_now(store)
        if found is None:
            return SystemClock()
        latest = store.latest_event_at()
        return DemoClock(found if latest is None else max(found, latest))


pass_context = click.make_pass_decorator(Context)
