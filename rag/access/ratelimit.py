"""Per-principal rate limits: a sliding-window counter on Redis.

The window is approximated from two fixed one-minute buckets (as in Cloudflare's
"sliding window counter"): ``count = previous * (1 - elapsed / window) + current``.
That never lets a client send twice the limit across a bucket boundary, as a plain
fixed window would, and costs one pipelined round trip. Refused requests are not
counted, so a client that waits ``Retry-After`` seconds gets through.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import lru_cache

import redis
from django.conf import settings

WINDOW_S = 60
KEY_PREFIX = "perimeter:ratelimit"


class RateLimiterUnavailable(Exception):
    """Redis cannot be reached; callers refuse the request (fail closed) with 503."""


@dataclass(frozen=True)
class RateDecision:
    """One rate-limit answer: ``allowed``, the per-minute ``limit``, the weighted ``count``
    (sliding window, requests) and ``retry_after_s`` (whole seconds, >= 1 when refused).
    """

    allowed: bool
    limit: int
    count: float  # the weighted count including this request, if allowed
    retry_after_s: int  # whole seconds until a request would be allowed; 0 if allowed


@lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def limiter_client() -> redis.Redis:
    """The rate limiter's Redis (``RATE_LIMIT_REDIS_URL``), shared by :mod:`rag.access.failures`."""
    return _client(settings.RATE_LIMIT_REDIS_URL)


def rate_limit_peek(*, key: str, limit: int, now: float | None = None) -> RateDecision:
    """Would one more request for ``key`` fit under ``limit`` per minute? Counts nothing.

    For limits on what happens *after* a request (failed attempts): check with this,
    count with :func:`rate_limit_hit` when the event occurs. Raises RateLimiterUnavailable.
    """
    now = time.time() if now is None else now
    bucket = int(now // WINDOW_S)
    elapsed = now - bucket * WINDOW_S
    try:
        current, previous = limiter_client().mget(f"{KEY_PREFIX}:{key}:{bucket}", f"{KEY_PREFIX}:{key}:{bucket - 1}")
    except redis.RedisError as exc:
        raise RateLimiterUnavailable(str(exc)) from exc
    current, previous = int(current or 0), int(previous or 0)
    count = previous * (1 - elapsed / WINDOW_S) + current
    if count + 1 <= limit:
        return RateDecision(True, limit, count, 0)
    if current + 1 > limit:  # this bucket alone is full
        wait = WINDOW_S - elapsed + (WINDOW_S * (1 - (limit - 1) / current) if current else 0)
    else:  # the previous bucket's share must shrink until one more fits
        wait = WINDOW_S * (1 - (limit - current - 1) / previous) - elapsed
    return RateDecision(False, limit, count, max(1, math.ceil(wait)))


def rate_limit_hit(*, key: str, limit: int, now: float | None = None) -> RateDecision:
    """Count one request for ``key`` (e.g. ``"query:token:7"``) against ``limit`` per minute.

    Raises RateLimiterUnavailable when Redis does not answer.
    """
    now = time.time() if now is None else now
    bucket = int(now // WINDOW_S)
    elapsed = now - bucket * WINDOW_S
    current_key, previous_key = f"{KEY_PREFIX}:{key}:{bucket}", f"{KEY_PREFIX}:{key}:{bucket - 1}"
    client = _client(settings.RATE_LIMIT_REDIS_URL)
    try:
        pipe = client.pipeline()
        pipe.incr(current_key)
        pipe.expire(current_key, 2 * WINDOW_S)
        pipe.get(previous_key)
        current, _, previous = pipe.execute()
        previous = int(previous or 0)
        weight = 1 - elapsed / WINDOW_S
        count = previous * weight + current
        if count <= limit:
            return RateDecision(True, limit, count, 0)
        client.decr(current_key)  # refused requests do not count
    except redis.RedisError as exc:
        raise RateLimiterUnavailable(str(exc)) from exc
    counted = current - 1  # this bucket without the refused request
    if counted + 1 > limit:  # this bucket alone is full: wait into the next one until its share shrinks
        wait = WINDOW_S - elapsed + WINDOW_S * (1 - (limit - 1) / counted)
    else:  # the previous bucket's share must shrink until one more request fits
        wait = WINDOW_S * (1 - (limit - counted - 1) / previous) - elapsed
    return RateDecision(False, limit, count, max(1, math.ceil(wait)))
