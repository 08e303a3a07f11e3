"""A real team server for the sync tests: uvicorn on 127.0.0.1, on a free port, in a
thread; and real HTTP faults on demand in front of it."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn

from leadtui.demo import DEMO_NOW
from leadtui.server.storage import TeamStore
from leadtui.store import Store
from leadtui.sync import Synced, TeamServer, sync_once
from tests import on_disk

Send = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass
class Running:
    url: str
    team: TeamStore
    tokens: dict[str, str]
    server: uvicorn.Server
    thread: threading.Thread
    seed: Store  # the team file the server started from (read it, never change it)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def event_id(digit: str) -> str:
    """A UUID of one hex digit over and over, easy to tell apart in a test."""
    return str(uuid.UUID(digit * 32))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_in_thread(
    app: Any, port: int | None = None
) -> tuple[str, uvicorn.Server, threading.Thread]:
    port = port or free_port()
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    return f"http://127.0.0.1:{port}", running, thread


def rep_file(tmp_path: Path, rep: str) -> Store:
    return Store(tmp_path / f"{rep}.db")


def client(server: Running, rep: str, **options: Any) -> TeamServer:
    options = {"attempts": 2, "backoff": 0.01} | options
    return TeamServer(server.url, server.tokens[rep], **options)


def first_unassigned(store: Store) -> tuple[int, str]:
    row = on_disk.rows(
        store, "SELECT id, uid FROM leads WHERE stage = 'mql' AND owner IS NULL ORDER BY id LIMIT 1"
    )[0]
    return int(row[0]), str(row[1])


@dataclass
class Fault:
    status: int = 0  # answer this instead of passing the request on
    headers: dict[str, str] = field(default_factory=dict)
    late: float = 0.0  # or pass it on, and hold the answer back this long
    then: Callable[[], None] | None = None  # and then do this (e.g. stop the server)


class Flaky:
    """Real HTTP faults on demand, in front of the real app: each request takes the
    next fault, if any is left for its path."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.faults: dict[str, list[Fault]] = {}
        self.seen = 0

    def on(self, path: str, *faults: Fault) -> None:
        self.faults.setdefault(path, []).extend(faults)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Send) -> None:
        waiting = self.faults.get(scope.get("path", ""), []) if scope["type"] == "http" else []
        if not waiting:
            await self.app(scope, receive, send)
            return
        fault = waiting.pop(0)
        self.seen += 1
        if fault.status:
            if fault.then is not None:
                fault.then()
            headers = [(k.encode(), v.encode()) for k, v in fault.headers.items()]
            await send({"type": "http.response.start", "status": fault.status, "headers": headers})
            await send({"type": "http.response.body", "body": b'{"detail": "not now"}'})
            return
        held: list[dict[str, Any]] = []

        async def hold(message: dict[str, Any]) -> None:
            held.append(message)

        await self.app(scope, receive, hold)  # the server does the work and commits
        if fault.then is not None:
            fault.then()
        await asyncio.sleep(fault.late)  # the answer comes too late, or never
        for message in held:
            await send(message)


def round_with(server: Running, store: Store, rep: str, **options: Any) -> Synced:
    """One sync round of `rep`'s file with the server, on the demo's clock."""
    with client(server, rep, **options) as remote:
        return sync_once(store, remote, DEMO_NOW)


class DroppingProxy:
    """A TCP proxy in front of the server that can drop a connection after the server
    answered and before the client hears it: the server has committed, the client
    sees the connection break. Real sockets both ways."""

    def __init__(self, upstream: str) -> None:
        self.upstream_port = int(upstream.rsplit(":", 1)[1])
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.drop_next = False
        self.dropped = 0
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> DroppingProxy:
        self.thread.start()
        started = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._serve, "127.0.0.1", self.port), self.loop
        )
        self.listening = started.result(timeout=10)
        return self

    def stop(self) -> None:
        async def close() -> None:  # the connections still open end with the proxy
            self.listening.close()
            open_ones = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in open_ones:
                task.cancel()
            await asyncio.gather(*open_ones, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)

        async def ask() -> None:
            while data := await reader.read(65536):
                up_writer.write(data)
                await up_writer.drain()
            up_writer.close()

        async def answer() -> None:
            while data := await up_reader.read(65536):
                if self.drop_next:  # the server answered: cut the client off instead
                    self.drop_next = False
                    self.dropped += 1
                    writer.transport.abort()
                    up_writer.close()
                    return
                writer.write(data)
                await writer.drain()
            writer.close()

        with contextlib.suppress(ConnectionError, OSError):
            await asyncio.gather(ask(), answer())
