"""Container healthchecks that need no Django start-up (compose.yaml, Kubernetes probes).

    python -m rag.ops.probe http URL [HOST]     exit 0 if URL answers 2xx (Host header HOST)
    python -m rag.ops.probe worker              exit 0 if this host's Celery worker wrote its
                                                heartbeat (rag.ops.state) in the last 60 s
    python -m rag.ops.probe fresh PATH SECONDS  exit 0 if a file PATH* changed in the last SECONDS
                                                (Celery beat's schedule file)
Reads ``REDIS_URL`` (or ``REDIS_URL_FILE``) from the environment. Prints why it failed.
"""
from __future__ import annotations

import glob
import os
import socket
import sys
import time
import urllib.request

HEARTBEATS_KEY = "perimeter:ops:worker-heartbeats"  # as rag.ops.state
MAX_AGE_S = 60.0


def _http(url: str, host: str | None = None) -> str:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=8) as response:
            return "" if 200 <= response.status < 300 else f"{url} answered {response.status}"
    except Exception as exc:  # HTTPError (503 from /readyz), URLError, timeout
        return f"{url}: {exc}"


def _worker() -> str:
    import redis

    url = os.environ.get("REDIS_URL") or open(os.environ["REDIS_URL_FILE"]).read().strip()
    beats = redis.Redis.from_url(url, socket_timeout=3).hgetall(HEARTBEATS_KEY)
    name = f"celery@{socket.gethostname()}"
    beat = beats.get(name.encode())
    if beat is None:
        return f"no heartbeat from {name}"
    age = time.time() - float(beat)
    return "" if age <= MAX_AGE_S else f"last heartbeat from {name} {age:.0f} s ago"


def _fresh(path: str, seconds: str) -> str:
    mtimes = [os.path.getmtime(p) for p in glob.glob(glob.escape(path) + "*")]
    if not mtimes:
        return f"no file {path}*"
    age = time.time() - max(mtimes)
    return "" if age <= float(seconds) else f"{path} unchanged for {age:.0f} s"


def main(argv: list[str]) -> int:
    """Runs the check named by ``argv[0]`` ("http", "worker" or "fresh") with the rest as its
    arguments. Returns 0 healthy, 1 unhealthy (the reason on stderr), 2 usage.
    """
    checks = {"http": _http, "worker": _worker, "fresh": _fresh}
    if not argv or argv[0] not in checks:
        print(__doc__, file=sys.stderr)
        return 2
    problem = checks[argv[0]](*argv[1:])
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
