"""Opening the app: on the configured database, or on a throw-away copy of the demo."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from leadtui.cli.context import Context, UserError
from leadtui.cli.sync import team_server
from leadtui.core.agreement import Agreement
from leadtui.core.clock import Clock, DemoClock, SystemClock
from leadtui.demo import DEMO_NOW, demo_now
from leadtui.store import Store

if TYPE_CHECKING:
    from leadtui.settings import Settings
    from leadtui.sync import TeamServer
    from leadtui.tui.desk import CrmLink

DEMO_FILE = "demo.db"
DEMO_REP = "dana"


def open_app(context: Context, *, demo: bool) -> None:
    """Load everything that can fail first, so the app never starts half-configured."""
    terms = context.agreement()
    if demo:
        with tempfile.TemporaryDirectory(prefix="leadtui-demo-") as folder:
            store = Store(_demo_copy(Path(folder)))
            clock: Clock = DemoClock(demo_now(store) or DEMO_NOW)
            _run(
                store, terms, clock, context.rep or DEMO_REP, demo=True, keys=context.settings.keys
            )
        return
    team = team_server(context.settings)  # a missing token stops us before the app opens
    store = context.open_store(create=team is not None)  # a first sync fills a new file
    rep = context.settings.rep
    # A file that syncs with a team server leaves the CRM to the team's file.
    crm = _crm_link(context.settings) if team is None else None
    _run(
        store, terms, SystemClock(), rep, demo=False, keys=context.settings.keys, team=team, crm=crm
    )


def _crm_link(settings: Settings) -> CrmLink | None:
    """The CRM the app runs rounds with: the one [crm] names or `crm connect` kept
    (None: no CRM)."""
    from leadtui.crm import CrmError
    from leadtui.crm.opening import opener
    from leadtui.tui.desk import CrmLink

    try:
        found = opener(settings.crm)
    except CrmError as error:
        raise UserError(str(error)) from None
    if found is None:
        return None
    system, opened = found
    return CrmLink(system, opened, settings.crm.every_minutes * 60)


def _demo_copy(folder: Path) -> Path:
    """A copy of ./demo.db when there is one, else the same demo generated afresh."""
    target = folder / DEMO_FILE
    source = Path.cwd() / DEMO_FILE
    if source.exists():
        shutil.copyfile(source, target)
    else:
        from leadtui.demo.generator import generate

        click.echo("No demo.db here; generating the demo (a few seconds)...", err=True)
        generate(target)
    return target


def _run(
    store: Store,
    terms: Agreement,
    clock: Clock,
    rep: str | None,
    *,
    demo: bool,
    keys: dict[str, str],
    team: Callable[[], TeamServer] | None = None,
    crm: CrmLink | None = None,
) -> None:
    from leadtui.tui.app import make_app

    try:
        # Opening the desk looks the rep up (an unknown one is refused, before the app starts).
        make_app(store, terms, clock, rep=rep, demo=demo, keys=keys, team=team, crm=crm).run()
    finally:
        store.close()
