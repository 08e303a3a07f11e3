"""A throw-away PostgreSQL cluster for the tests: initdb in a temporary folder, pg_ctl
start on 127.0.0.1 on a free port, and everything removed afterwards. No test uses a
server left running on the machine.

initdb and pg_ctl refuse to run as root: as root, the cluster runs as the `postgres`
user (Debian's package makes it), in a folder that user owns.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class NoPostgres(RuntimeError):
    """The PostgreSQL server programs are not on this machine."""


def bindir() -> Path:
    """Where initdb and pg_ctl are: on PATH, at `pg_config --bindir`, or in Debian's
    versioned folder."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    candidates = []
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(out.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists():
            return Path(folder)
    raise NoPostgres(
        "PostgreSQL's server programs (initdb, pg_ctl) are not installed: "
        "apt install postgresql, or put them on PATH"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    folder: Path
    port: int
    bindir: Path
    user: str | None  # the system user the server runs as (None: this one)

    @property
    def url(self) -> str:
        return self.database_url("postgres")

    def database_url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def run(self, *command: str) -> None:
        options: dict[str, Any] = {"capture_output": True, "text": True, "check": False}
        if self.user is not None:
            options |= {"user": self.user, "group": self.user, "env": _env_for(self.user)}
        done = subprocess.run(command, **options)
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {done.stderr.strip() or done.stdout}")

    def stop(self) -> None:
        try:
            self.run(str(self.bindir / "pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def data(self) -> Path:
        return self.folder / "data"


def start_cluster() -> Cluster:
    programs = bindir()
    user = "postgres" if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="leadtui-pg-"))
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    cluster = Cluster(folder, free_port(), programs, user)
    try:
        cluster.run(
            str(programs / "initdb"),
            "-D",
            str(cluster.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        settings = (
            f"-c listen_addresses=127.0.0.1 -c port={cluster.port} "
            f"-c unix_socket_directories={folder} -c fsync=off -c max_connections=200"
        )
        cluster.run(
            str(programs / "pg_ctl"),
            "start",
            "-D",
            str(cluster.data),
            "-w",
            "-t",
            "60",
            "-l",
            str(folder / "log"),
            "-o",
            settings,
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return cluster


def _env_for(user: str) -> dict[str, str]:
    entry = pwd.getpwnam(user)
    return {"PATH": os.environ.get("PATH", ""), "HOME": entry.pw_dir, "LANG": "C.UTF-8"}
