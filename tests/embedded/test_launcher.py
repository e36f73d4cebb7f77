"""Issue 15: in ``./perimeter run`` a dead worker is restarted instead of taking the whole run
down, ingestion runs at a lower CPU priority, and SIGTERM stops every process.

The real launcher (``python -m rag.embedded run --no-ingest``) runs against the session's
PostgreSQL (a database of its own, migrated by the launcher), Redis (a database number of its
own, so its workers and the session's never see each other's tasks) and vLLM (``LLM_BASE_URL``
set: the launcher starts no model server). The tests share one launcher and run in file order;
the last one stops it.
"""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import psutil
import psycopg
import pytest
import redis
from django.conf import settings

from rag.embedded.net import port_free

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = 6  # the launcher's broker (tests/ops uses 7, the session 0)


class Launcher:
    """A running ``./perimeter run`` and every process seen under it so far."""

    def __init__(self, proc: subprocess.Popen, url: str, state: Path, redis_url: str):
        self.proc, self.url, self.state, self.redis_url = proc, url, state, redis_url
        self.seen: dict[int, psutil.Process] = {}

    def descendants(self) -> list[psutil.Process]:
        """Processes under the launcher now; remembered, so orphans are still checked later."""
        found = psutil.Process(self.proc.pid).children(recursive=True)
        self.seen.update({p.pid: p for p in found})
        return found

    def program(self, marker: str) -> psutil.Process | None:
        """Main process of the supervised program whose command line contains ``marker``."""
        for p in self.descendants():
            try:
                if marker in " ".join(p.cmdline()) and "supervisord" in " ".join(p.parent().cmdline()):
                    return p
            except (psutil.NoSuchProcess, AttributeError):
                continue
        return None

    def healthz(self) -> int | None:
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as resp:
                return resp.status
        except (urllib.error.URLError, OSError):
            return None

    def log(self) -> str:
        return (self.state.parent / "launcher.log").read_text(errors="replace")[-4000:]


def _gone(p: psutil.Process) -> bool:
    try:
        return not p.is_running() or p.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _url(user: str, password: str | None, host: str, port, name: str) -> str:
    auth = f"{quote(user)}:{quote(password)}" if password else quote(user)
    return f"postgres://{auth}@{host}:{port}/{name}"


@pytest.fixture(scope="module")
def launcher(tmp_path_factory):
    db = settings.DATABASES["default"]
    name = f"perimeter_launcher_{secrets.token_hex(4)}"
    admin = psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"] or None,
                            dbname="postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    redis_url = settings.REDIS_URL.rsplit("/", 1)[0] + f"/{REDIS_DB}"
    redis.Redis.from_url(redis_url).flushdb()
    home = tmp_path_factory.mktemp("launcher")
    port = port_free()
    # As the README says for your own database: migrations as the owner, the rest as the app role.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PERIMETER_STATE_DIR": str(home / "state"),
           "DATABASE_OWNER_URL": _url(db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], name),
           "DATABASE_URL": _url(settings.DATABASE_APP_ROLE or db["USER"],
                                None if settings.DATABASE_APP_ROLE else db["PASSWORD"], db["HOST"], db["PORT"], name),
           "REDIS_URL": redis_url, "LLM_BASE_URL": settings.LLM_BASE_URL}
    proc = subprocess.Popen([sys.executable, "-m", "rag.embedded", "run", "--no-ingest", "--port", str(port)],
                            cwd=ROOT, env=env, start_new_session=True,
                            # append: supervisord reopens /dev/stdout for its children's output
                            stdout=open(home / "launcher.log", "ab"), stderr=subprocess.STDOUT)
    handle = Launcher(proc, f"http://127.0.0.1:{port}", home / "state", redis_url)
    try:
        deadline = time.monotonic() + 600  # migrations of a fresh database on a shared machine
        while handle.healthz() != 200:
            assert proc.poll() is None, f"the launcher exited with {proc.returncode}:\n{handle.log()}"
            assert time.monotonic() < deadline, f"/healthz did not answer:\n{handle.log()}"
            time.sleep(1)
        yield handle
    finally:
        if proc.poll() is None:
            handle.descendants()
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                proc.kill()
        for p in handle.seen.values():
            if not _gone(p):
                p.kill()
        redis.Redis.from_url(redis_url).flushdb()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_it_restarts_a_killed_ingest_worker_while_the_web_server_keeps_answering(launcher):
    # killed once it serves, as in the report (it was stuck on a crafted file)
    _ingest_worker_answers(launcher, timeout_s=180)
    killed = launcher.program("ingest@")
    pool = killed.children()
    assert pool, "the prefork worker has its pool processes once it answers"

    killed.send_signal(signal.SIGKILL)
    killed_at = time.monotonic()

    replacement, health = None, []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and replacement is None:
        health.append(launcher.healthz())
        current = launcher.program("ingest@")
        if current is not None and current.pid != killed.pid:
            replacement, replaced_s = current, time.monotonic() - killed_at
        time.sleep(0.5)
    assert replacement is not None, f"no new ingest worker within 30 s:\n{launcher.log()}"
    for _ in range(10):  # and a few more seconds of the web server while the new worker starts
        health.append(launcher.healthz())
        time.sleep(0.5)
    assert set(health) == {200}, health
    assert launcher.proc.poll() is None
    assert all(_gone(p) for p in pool)  # the dead worker's pool processes went with it
    assert launcher.program("interactive@") is not None
    _ingest_worker_answers(launcher, timeout_s=180)
    # the figures for the closing note (shown with -s)
    print(f"\ningest worker kill -9: new process after {replaced_s:.1f} s, answering a ping after "
          f"{time.monotonic() - killed_at:.1f} s; /healthz 200 on {len(health)}/{len(health)} polls meanwhile")


def _ingest_worker_answers(launcher: Launcher, *, timeout_s: float) -> None:
    """An ingest worker answers a Celery ping on the launcher's broker."""
    from celery import Celery

    app = Celery("launcher-test", broker=launcher.redis_url)
    deadline = time.monotonic() + timeout_s
    while not any(node.startswith("ingest@") for reply in app.control.ping(timeout=1) for node in reply):
        assert time.monotonic() < deadline, f"no ingest worker answered:\n{launcher.log()}"
    app.close()


def test_it_runs_the_ingest_worker_at_a_lower_cpu_priority_than_the_web_server(launcher):
    ingest, web = launcher.program("ingest@"), launcher.program("gunicorn")
    assert ingest.nice() == web.nice() + 10


def test_it_stops_every_process_on_sigterm(launcher):
    launcher.descendants()
    assert len(launcher.seen) >= 6  # supervisord, reaper, two workers (+ pool), gunicorn (+ 2 workers)

    launcher.proc.send_signal(signal.SIGTERM)

    deadline = time.monotonic() + 30
    while not all(_gone(p) for p in launcher.seen.values()):
        assert time.monotonic() < deadline, [p.pid for p in launcher.seen.values() if not _gone(p)]
        time.sleep(0.5)
    assert launcher.proc.wait(timeout=30) == 0, launcher.log()
