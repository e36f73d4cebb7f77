"""Failed sign-ins and API-token attempts: limited per client, audited in aggregate.

An unauthenticated client must not be able to flood the audit trail: every audit row
takes the chain's global lock (:func:`rag.audit.services.audit_append`). So a failed
attempt is only *counted* in Redis, and the trail gets one ``auth.failures`` row per
client, kind and minute, with the counts::

    {"kind": "api_token", "client": "3f2a…" (a pseudonym, never the address),
     "count": 50, "reasons": {"invalid_token": 20, "throttled": 30},
     "names": ["ci-bot"] (usernames tried / known token names, at most 20),
     "window_start": "2025-…Z", "window_s": 60}

Finished minutes are flushed by the next failed attempt and by a beat task
(:func:`rag.access.tasks.auth_failures_flush_task`, every minute), so a row is at
most about two minutes late. A minute's counts are claimed with an atomic Redis
RENAME, so two flushers never write the same minute twice; if the audit write
fails, the counts are put back and retried.

Token attempts are also *limited* here: a client past ``AUTH_FAILURES_PER_MIN``
failures in the sliding minute is refused with 429 before its token is looked up
(:func:`auth_failure_throttled`). Password attempts are limited by django-axes
(username + address lockout, see the Access settings) and audited here.
"""
from __future__ import annotations

import json
import uuid
from collections import defaultdict
from datetime import datetime, timezone

import redis
from django.conf import settings
from django.db import transaction

from rag.access.ratelimit import (
    KEY_PREFIX,
    WINDOW_S,
    RateDecision,
    RateLimiterUnavailable,
    limiter_client,
    rate_limit_hit,
    rate_limit_peek,
)
from rag.audit.models import AuditEvent
from rag.audit.services import ACTOR_ANONYMOUS, audit_append

KINDS = ("password", "api_token")
NAMES_KEPT = 20
_PREFIX = "perimeter:authfail"
_PENDING = f"{_PREFIX}:pending"
_TTL_S = 7 * 24 * 3600  # counts nobody flushed for a week are dropped (Redis keeps nothing forever)


def _limit_key(client: str) -> str:
    return f"auth-failures:{client}"


def auth_failure_throttled(*, client: str, now: float | None = None) -> RateDecision | None:
    """The refusal for ``client`` (an address from :func:`rag.access.clients.client_address`)
    if it is past ``AUTH_FAILURES_PER_MIN`` failed attempts in the sliding minute, else None.
    Counts nothing. Raises RateLimiterUnavailable when Redis is down (callers fail closed)."""
    decision = rate_limit_peek(key=_limit_key(client), limit=settings.AUTH_FAILURES_PER_MIN, now=now)
    return None if decision.allowed else decision


def auth_failure_record(*, client: str, client_id: str, kind: str, reason: str, name: str = "",
                        now: float | None = None) -> None:
    """Count one failed attempt; flush finished minutes to the audit trail.

    Args:
        client: the address, for the limiter (never stored in the trail).
        client_id: its pseudonym (:func:`rag.access.clients.client_pseudonym`), for the trail.
        kind: ``"password"`` or ``"api_token"``.
        reason: why it failed (``invalid_token``, ``token_revoked``, ``bad_credentials``,
            ``locked_out``, ``throttled``...).
        name: the username tried, or the known token's name; "" if none.

    Raises RateLimiterUnavailable when Redis is down: the caller refuses the attempt
    anyway, and an unrecorded failure is still a refusal.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown failure kind {kind!r}")
    now = datetime.now(timezone.utc).timestamp() if now is None else now
    bucket = int(now // WINDOW_S)
    key = f"{_PREFIX}:{bucket}"
    try:
        if reason != "throttled":
            rate_limit_hit(key=_limit_key(client), limit=settings.AUTH_FAILURES_PER_MIN, now=now)
        pipe = limiter_client().pipeline()
        pipe.hincrby(key, json.dumps(["count", kind, client_id, reason]), 1)
        if name:
            pipe.hincrby(key, json.dumps(["name", kind, client_id, name[:150]]), 1)
        pipe.expire(key, _TTL_S)
        pipe.sadd(_PENDING, bucket)
        pipe.execute()
    except redis.RedisError as exc:
        raise RateLimiterUnavailable(str(exc)) from exc
    auth_failures_flush(now=now)


def _rows(fields: dict[bytes, bytes]) -> dict[tuple[str, str], dict]:
    rows: dict[tuple[str, str], dict] = defaultdict(lambda: {"count": 0, "reasons": {}, "names": {}})
    for field, value in fields.items():
        what, kind, client_id, item = json.loads(field)
        row = rows[(kind, client_id)]
        if what == "count":
            row["count"] += int(value)
            row["reasons"][item] = row["reasons"].get(item, 0) + int(value)
        else:
            row["names"][item] = row["names"].get(item, 0) + int(value)
    return rows


def auth_failures_flush(*, now: float | None = None) -> int:
    """Write the counts of every finished minute to the audit trail: one
    ``auth.failures`` row per (client, kind, minute). Returns the number of rows written.

    Safe to run concurrently (each minute is claimed once). Raises RateLimiterUnavailable
    when Redis is down; audit errors propagate after the counts are put back.
    """
    now = datetime.now(timezone.utc).timestamp() if now is None else now
    current = int(now // WINDOW_S)
    client = limiter_client()
    written = 0
    try:
        pending = sorted(int(b) for b in client.smembers(_PENDING) if int(b) < current)
        for bucket in pending:
            key, claimed = f"{_PREFIX}:{bucket}", f"{_PREFIX}:{bucket}:flushing:{uuid.uuid4().hex}"
            client.srem(_PENDING, bucket)
            try:
                client.rename(key, claimed)
            except redis.ResponseError:  # another flusher has it, or nothing was counted
                continue
            fields = client.hgetall(claimed)
            try:
                written += _audit_write(bucket=bucket, rows=_rows(fields))
            except Exception:
                pipe = client.pipeline()
                for field, value in fields.items():
                    pipe.hincrby(key, field, int(value))
                pipe.expire(key, _TTL_S).sadd(_PENDING, bucket).delete(claimed)
                pipe.execute()
                raise
            client.delete(claimed)
    except redis.RedisError as exc:
        raise RateLimiterUnavailable(str(exc)) from exc
    return written


def _audit_write(*, bucket: int, rows: dict[tuple[str, str], dict]) -> int:
    window_start = datetime.fromtimestamp(bucket * WINDOW_S, tz=timezone.utc).isoformat().replace("+00:00", "Z")
    with transaction.atomic():
        for (kind, client_id), row in sorted(rows.items()):
            names = sorted(row["names"], key=lambda n: (-row["names"][n], n))[:NAMES_KEPT]
            audit_append(event_type=AuditEvent.EventType.AUTH_FAILURES, actor=ACTOR_ANONYMOUS,
                         target_type="client", target_id=client_id,
                         details={"kind": kind, "client": client_id, "count": row["count"],
                                  "reasons": dict(sorted(row["reasons"].items())), "names": names,
                                  "window_start": window_start, "window_s": WINDOW_S})
    return len(rows)


def auth_failures_forget() -> int:
    """Drop every failed-attempt count and limit (nothing is audited): an admin lifting all
    limits after an incident, or tests starting clean. Returns the number of keys deleted."""
    client = limiter_client()
    keys = [*client.scan_iter(f"{_PREFIX}:*"), *client.scan_iter(f"{KEY_PREFIX}:{_limit_key('')}*")]
    return client.delete(*keys) if keys else 0
