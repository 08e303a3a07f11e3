"""The rep's app on a big database, against a trivial Textual app measured in the same run.

    python benchmarks/bench_app.py [--leads 1000000] [--runs 7]

- first paint: a whole process, from its start to the first frame that shows a
  queue row (imports included, the settings read and the agreement validated as
  `leadtui` does before the app opens), against a process that paints one line of
  a trivial app, and against one that also validates one pydantic model first (the
  floor of any app that validates its configuration with pydantic);
- key press to repaint: from a page down through the queue (pages load as it goes)
  to the next frame handed to the terminal, against a key press that changes one
  line of the trivial app;
- resident memory: the app's peak after opening the queue and paging through it,
  against the trivial app's.

Both apps run headless (no terminal), so the figures are Textual's and ours, not the
terminal emulator's. The database is the keyset benchmark's (leads through the
real schema), cached under benchmarks/out/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import Result, show

PRESSES = 60  # page downs timed per run


def child(kind: str, path: str | None, scroll: bool) -> None:
    """One app in this process: paint, optionally scroll, report as JSON, quit."""
    began = time.perf_counter()
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    if kind in ("trivial", "pydantic"):
        if kind == "pydantic":  # what validating any configuration with pydantic costs
            from pydantic import BaseModel

            class Configured(BaseModel):
                greeting: str

            Configured.model_validate({"greeting": "0"})

        class Trivial(App[None]):
            BINDINGS = [("j", "step", "Step")]

            def compose(self) -> ComposeResult:
                yield Static("0", id="line")

            def action_step(self) -> None:
                line = self.query_one("#line", Static)
                line.update(str(int(str(line.render())) + 1))

        app: App[None] = Trivial()
        key = "j"
        painted = "#line"
    else:
        import leadtui.cli  # the command, as `leadtui` starts
        from leadtui.core import agreement
        from leadtui.core.clock import FixedClock
        from leadtui.demo import DEMO_NOW
        from leadtui.settings import agreement_in_force, load_settings
        from leadtui.store import Store
        from leadtui.tui.app import make_app

        assert leadtui.cli.main is not None
        settings = load_settings(database=Path(str(path)))
        terms = agreement.load(agreement_in_force(settings))  # validated before the app
        store = Store(settings.database)
        store.use(terms)
        app = make_app(store, terms, FixedClock(DEMO_NOW), rep=None)
        key = "pagedown"
        painted = "QueueList"
    asyncio.run(_drive(app, began, key, painted, scroll))


async def _drive(app: object, began: float, key: str, painted: str, scroll: bool) -> None:
    from textual.app import App

    assert isinstance(app, App)
    shown_at: list[float] = []  # when each frame was handed to the (headless) terminal
    # Textual has no public hook for the moment a frame reaches the terminal.
    display = app._display  # noqa: SLF001

    def timed_display(*args: object) -> None:
        display(*args)  # type: ignore[arg-type]
        shown_at.append(time.perf_counter())

    app._display = timed_display  # type: ignore[method-assign]  # noqa: SLF001
    async with app.run_test(size=(120, 40), headless=True) as pilot:
        while True:  # until the first row (or line) is there to paint...
            widget = pilot.app.screen.query(painted)
            lines = getattr(widget.first(), "lines", [0]) if widget else []
            if lines:
                break
            await asyncio.sleep(0.0005)
        ready = time.perf_counter()
        while not any(at >= ready for at in shown_at):  # ...and the frame that shows it
            await asyncio.sleep(0.0005)
        first_paint = min(at for at in shown_at if at >= ready) - began
        await pilot.pause()
        presses: list[float] = []
        if scroll:
            if painted == "QueueList":
                await pilot.press("3")  # every open lead: the team lead's view
                await pilot.app.workers.wait_for_complete()
                await pilot.pause()
            for _ in range(PRESSES):
                start = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                frames = [at for at in shown_at if at > start]
                if frames:  # the first frame after the key: its repaint
                    presses.append(frames[0] - start)
        rss = _peak_rss_mb()
        shown = len(getattr(pilot.app.screen.query(painted).first(), "lines", []))
    print(json.dumps({"paint": first_paint, "presses": presses, "rss": rss, "shown": shown}))


def _peak_rss_mb() -> float:
    """This process's own peak resident memory. Not getrusage's ru_maxrss: on Linux
    that keeps the parent's peak across fork and exec, so a child of a big parent
    (run.py after other benchmarks) reads the parent's figure."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # elsewhere: the best there is


def measure(kind: str, path: str | None, scroll: bool) -> dict[str, float | list[float]]:
    command = [sys.executable, __file__, "--child", kind]
    if path:
        command += ["--db", path]
    if scroll:
        command.append("--scroll")
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    figures: dict[str, float | list[float]] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process"] = time.perf_counter() - began
    return figures


def run(leads: int = 1_000_000, runs: int = 7) -> list[Result]:
    import bench_keyset

    path = bench_keyset.build(leads)
    app_paint, trivial_paint, pydantic_paint = [], [], []
    for _ in range(runs):  # in turn, so a drift in the machine's speed hits each alike
        app_paint.append(float(measure("leadtui", path, scroll=False)["paint"]))  # type: ignore[arg-type]
        trivial_paint.append(float(measure("trivial", None, scroll=False)["paint"]))  # type: ignore[arg-type]
        pydantic_paint.append(float(measure("pydantic", None, scroll=False)["paint"]))  # type: ignore[arg-type]
    app_run = measure("leadtui", path, scroll=True)
    trivial_run = measure("trivial", None, scroll=True)
    app_keys = statistics.median(app_run["presses"])  # type: ignore[arg-type]
    trivial_keys = statistics.median(trivial_run["presses"])  # type: ignore[arg-type]
    paint, floor = statistics.median(app_paint), statistics.median(trivial_paint)
    validated = statistics.median(pydantic_paint)
    rss, rss_floor = float(app_run["rss"]), float(trivial_run["rss"])  # type: ignore[arg-type]
    return [
        Result(
            f"first queue row painted, {leads:,} leads",
            f"median {paint * 1e3:6.0f} ms vs trivial app {floor * 1e3:6.0f} ms",
            paint / floor,
            "<= 1.5x the trivial app",
            paint / floor <= 1.5,
        ),
        Result(
            f"first queue row painted, {leads:,} leads",
            f"median {paint * 1e3:6.0f} ms vs trivial app validating one pydantic model "
            f"{validated * 1e3:6.0f} ms",
            paint / validated,
            "<= 1.5x that app",
            paint / validated <= 1.5,
        ),
        Result(
            f"page down to repaint, {app_run['shown']:,} rows loaded",
            f"median {app_keys * 1e3:6.1f} ms vs trivial key {trivial_keys * 1e3:6.1f} ms",
            app_keys / trivial_keys,
            "median <= 16 ms",
            app_keys <= 0.016,
        ),
        Result(
            "resident memory with the queue open",
            f"peak {rss:6.1f} MB vs trivial app {rss_floor:6.1f} MB",
            rss / rss_floor,
            "<= 80 MB",
            rss <= 80,
        ),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", choices=["leadtui", "trivial", "pydantic"])
    parser.add_argument("--db")
    parser.add_argument("--scroll", action="store_true")
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        child(args.child, args.db, args.scroll)
    else:
        show(run(args.leads, args.runs))
