"""Operational state shared through Redis (``REDIS_URL``): worker heartbeats, the result of
the last audit chain verification (read by /readyz and /metrics) and the broker's ingestion
messages (read by the stranded-document sweep)."""
from __future__ import annotations

import json
import os
import socket
import threading
import time

import redis
from django.conf import settings

HEARTBEATS_KEY = "perimeter:ops:worker-heartbeats"    # hash: worker name -> unix seconds
AUDIT_VERIFIED_KEY = "perimeter:ops:audit-verified"  # JSON of the last verification
HEARTBEAT_INTERVAL_S = 15.0
# kombu's Redis transport: a queue is a list per priority level (name, name + "\x06\x16" + step);
# a delivered, unacknowledged message is a JSON [message, exchange, routing key] in this hash.
_PRIORITY_SEP, _PRIORITY_STEPS = "\x06\x16", (3, 6, 9)
_UNACKED_KEY = "unacked"
_heartbeat: dict = {"stop": threading.Event(), "worker": None}


def redis_client() -> redis.Redis:
    """A client on ``REDIS_URL`` with 2-second timeouts (a probe never hangs)."""
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


def worker_heartbeat_write(*, worker: str, now: float | None = None) -> None:
    """Records ``worker``'s heartbeat (epoch seconds) in a Redis hash that expires after an hour of silence. Raises redis errors."""
    client = redis_client()
    client.hset(HEARTBEATS_KEY, worker, f"{now or time.time():.3f}")
    client.expire(HEARTBEATS_KEY, 3600)


def worker_heartbeat_latest() -> tuple[str, float] | None:
    """``(worker name, age in seconds)`` of the most recent heartbeat, or None. Raises redis errors."""
    beats = {k.decode(): float(v) for k, v in redis_client().hgetall(HEARTBEATS_KEY).items()}
    if not beats:
        return None
    worker = max(beats, key=beats.get)
    return worker, max(0.0, time.time() - beats[worker])


def worker_heartbeat_start(*, worker: str | None = None) -> None:
    """Start a daemon thread writing a heartbeat every 15 s until :func:`worker_heartbeat_stop`.

    Runs in the worker's main process (``worker_ready``): it stops when the worker
    dies, so /readyz sees a dead worker within a minute."""
    worker = worker or f"{socket.gethostname()}:{os.getpid()}"
    stop = _heartbeat["stop"]
    stop.clear()
    _heartbeat["worker"] = worker

    def beat() -> None:
        while not stop.is_set():
            try:
                worker_heartbeat_write(worker=worker)
            except redis.RedisError:
                pass  # Redis down: readiness reports Redis itself
            stop.wait(HEARTBEAT_INTERVAL_S)

    threading.Thread(target=beat, name="perimeter-heartbeat", daemon=True).start()


def worker_heartbeat_stop() -> None:
    """Stop the heartbeat and remove it (a clean shutdown is seen at once)."""
    _heartbeat["stop"].set()
    if _heartbeat["worker"]:
        try:
            redis_client().hdel(HEARTBEATS_KEY, _heartbeat["worker"])
        except redis.RedisError:
            pass


def audit_verified_write(*, ok: bool, head_id: int | None, checked: int, reason: str,
                         at: float | None = None) -> None:
    """Stores the last chain verification's outcome (``reason`` cut to 300 characters, ``at`` epoch s) for /readyz. Raises redis errors."""
    redis_client().set(AUDIT_VERIFIED_KEY, json.dumps(
        {"ok": ok, "head_id": head_id, "checked": checked, "reason": reason[:300], "at": at or time.time()}))


def audit_verified_read() -> dict | None:
    """``{"ok", "head_id", "checked", "reason", "at", "age_s"}`` of the last verification, or None."""
    raw = redis_client().get(AUDIT_VERIFIED_KEY)
    if raw is None:
        return None
    record = json.loads(raw)
    record["age_s"] = max(0.0, time.time() - record["at"])
    return record


def broker_messages_held(*, queue: str) -> int:
    """Messages of ``queue`` the broker holds: waiting (every priority level) plus delivered and
    not yet acknowledged (a task running under ``acks_late``, a reserved ETA retry, or the task
    of a worker that died, until the visibility timeout delivers it again). Raises redis errors."""
    client = redis_client()
    keys = [queue] + [f"{queue}{_PRIORITY_SEP}{step}" for step in _PRIORITY_STEPS]
    waiting = sum(client.llen(key) for key in keys)
    unacked = 0
    for raw in client.hvals(_UNACKED_KEY):
        try:
            message, _exchange, routing_key = json.loads(raw)
        except (ValueError, TypeError):
            unacked += 1  # unreadable: count it, so the sweep errs on the side of waiting
            continue
        delivered_to = (message.get("properties", {}).get("delivery_info", {}) or {}).get("routing_key")
        unacked += queue in (routing_key, delivered_to)
    return waiting + unacked
