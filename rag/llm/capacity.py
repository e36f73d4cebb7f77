"""Capacity, in two bounds: questions in flight per web process, and generations per deployment.

1. **Admission** (:func:`question_slot`): a web process works on at most
QUESTION_MAX_IN_FLIGHT_PER_PROCESS questions at once (retrieval, waiting for a generation
slot, generating, streaming), counted in the process. The next one is refused at once, before
any work or any row, with :class:`ServerBusy` (503 ``busy`` with ``Retry-After``). So at most
that many of a gunicorn worker's threads ever work on questions, and the others are always
free for cheap requests (``GET /api/v1/collections``, pages): without it, 35 question clients
took all 16 threads doing retrieval and waiting on the model, and a cheap GET waited behind them.

2. **Generation** (:func:`generation_slot`): at most LLM_MAX_CONCURRENT_GENERATIONS answers
generating at once, across every web process and host of the deployment, counted in Redis.

The local model's throughput is what it is (two cores in the embedded mode). A question
admitted by (1) waits up to LLM_QUEUE_WAIT_S for a generation slot, at most
LLM_MAX_QUEUED_GENERATIONS questions wait at once, and the rest are refused at once with
:class:`ModelBusy` (503 ``model_busy`` with ``Retry-After``).

Sizing (README "Backpressure"): gunicorn threads per process > QUESTION_MAX_IN_FLIGHT_PER_PROCESS
(default 4 of 8: half the threads stay free for cheap requests), and processes x that bound
>= cap + queue, so admitted questions can keep the model busy (embedded: 2 x 4 >= 2 + 4).

Shape in Redis: two sorted sets, holders and waiters, member = a random token, score = the
Redis-clock time (s) the lease expires. A holder that dies (kill -9) stops counting when its
lease ends, so a slot is never lost for good; the lease is LLM_TIMEOUT_S x 3 + 30 s, above any
generation the provider lets run (its timeout and retries).

Redis down: generation capacity is not a privacy control, so this fails OPEN: the answer goes
ahead uncapped and a warning is logged (``llm.capacity.redis_unavailable``).
"""
from __future__ import annotations

import logging
import math
import random
import threading
import time
import uuid
from contextlib import contextmanager
from typing import Iterator

import redis
from django.conf import settings

from rag.core.errors import DomainError

log = logging.getLogger(__name__)

HOLDERS_KEY = "perimeter:llm:generations"
WAITERS_KEY = "perimeter:llm:generations:waiting"
_POLL_S = 0.1

# KEYS[1] holders, KEYS[2] waiters; ARGV: token, cap, lease_s, queue_max, wait_lease_s, may_queue (0/1).
# Returns 1 (slot taken), 0 (queued, poll again) or -1 (queue full: refuse now).
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 1
end
if redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 0 end
if ARGV[6] == '1' and redis.call('ZCARD', KEYS[2]) < tonumber(ARGV[4]) then
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[5]), ARGV[1])
  return 0
end
return -1
"""


class ServerBusy(DomainError):
    """This web process already works on QUESTION_MAX_IN_FLIGHT_PER_PROCESS questions: 503
    ``busy`` with ``Retry-After`` (s). Raised before any work: nothing was stored or audited."""

    code = "busy"
    http_status = 503


class ModelBusy(ServerBusy):
    """Every generation slot stayed taken for LLM_QUEUE_WAIT_S, or the wait queue is full:
    503 ``model_busy`` with ``Retry-After`` (s). Nothing was stored for the question."""

    code = "model_busy"


_clients: dict[str, redis.Redis] = {}


def _redis() -> redis.Redis:
    """One client (and connection pool) per REDIS_URL, shared by the threads of a process."""
    url = settings.REDIS_URL
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    return _clients[url]


def _lease_s() -> float:
    return settings.LLM_TIMEOUT_S * 3 + 30


def generation_slots_taken() -> int:
    """How many generation slots are held now (leases not yet expired). Raises redis.RedisError."""
    client = _redis()
    now = client.time()
    return client.zcount(HOLDERS_KEY, now[0] + now[1] / 1e6, "+inf")


@contextmanager
def generation_slot(*, purpose: str = "answer") -> Iterator[None]:
    """Hold one of the LLM_MAX_CONCURRENT_GENERATIONS slots for the body of the ``with``.

    Waits up to LLM_QUEUE_WAIT_S (polling every 0.1 s) when all are taken, then raises
    :class:`ModelBusy` (``retry_after_s`` = LLM_QUEUE_WAIT_S rounded up, at least 1);
    refuses at once when LLM_MAX_QUEUED_GENERATIONS others are already waiting. The slot is
    released when the body ends, whatever the outcome (answer, model failure, closed stream).
    ``purpose`` only labels the log lines. Fails open (no cap, a warning) when Redis is down.
    """
    cap = settings.LLM_MAX_CONCURRENT_GENERATIONS
    if cap <= 0:  # 0: no cap
        yield
        return
    token = uuid.uuid4().hex
    wait_s = settings.LLM_QUEUE_WAIT_S
    deadline = time.monotonic() + wait_s
    held = False
    try:
        client = _redis()
        acquire = client.register_script(_ACQUIRE)
        while True:
            outcome = acquire(keys=[HOLDERS_KEY, WAITERS_KEY],
                              args=[token, cap, _lease_s(), settings.LLM_MAX_QUEUED_GENERATIONS, wait_s + 5,
                                    int(wait_s > 0)])
            if outcome == 1:
                held = True
                break
            if outcome == -1 or time.monotonic() >= deadline:
                client.zrem(WAITERS_KEY, token)
                log.info("llm.capacity.refused", extra={"purpose": purpose, "cap": cap,
                                                        "queue_full": outcome == -1})
                raise ModelBusy(f"the answer model is busy ({cap} answers in progress); retry shortly",
                                details={"max_concurrent_generations": cap},
                                retry_after_s=max(1, math.ceil(wait_s)))
            time.sleep(_POLL_S)
    except redis.RedisError as exc:
        log.warning("llm.capacity.redis_unavailable: answering without the generation cap (%s)", exc)
    try:
        yield
    finally:
        if held:
            try:
                _redis().zrem(HOLDERS_KEY, token)
            except redis.RedisError as exc:  # the lease expires on its own
                log.warning("llm.capacity.release_failed: slot expires with its lease (%s)", exc)


class _InFlight:
    """The questions this process works on now, and how long one usually holds its place.

    ``typical_s`` is an exponentially weighted mean (weight 0.2 for the newest) of how long
    finished questions held their place, in s; None until one has finished."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.typical_s: float | None = None

    def enter(self, limit: int) -> bool:
        """Take a place if fewer than ``limit`` are taken; False (nothing taken) otherwise."""
        with self.lock:
            if self.count >= limit:
                return False
            self.count += 1
            return True

    def leave(self, held_s: float) -> None:
        """Give a place back after holding it ``held_s`` seconds."""
        with self.lock:
            self.count -= 1
            self.typical_s = held_s if self.typical_s is None else 0.8 * self.typical_s + 0.2 * held_s

    def retry_after_s(self) -> int:
        """When to come back (s): the typical hold times a random factor in [0.5, 1.5) (jitter:
        clients refused together do not all come back together), rounded up, between 1 and 30."""
        with self.lock:
            typical = self.typical_s or 1.0
        return min(30, max(1, math.ceil(typical * random.uniform(0.5, 1.5))))


_in_flight = _InFlight()


def questions_in_flight() -> int:
    """How many questions this process works on now (each holds a :func:`question_slot`)."""
    return _in_flight.count


@contextmanager
def question_slot(*, purpose: str = "answer") -> Iterator[None]:
    """Hold one of this process's QUESTION_MAX_IN_FLIGHT_PER_PROCESS places for the body of the
    ``with``: every entry point that retrieves or answers (query, streams, the ask page, chat
    completions, search) runs inside one, through :mod:`rag.qa.services` or the search API.

    Never waits: when every place is taken it raises :class:`ServerBusy` at once, with
    ``retry_after_s`` = how long a question has typically held its place in this process, with
    +-50 % jitter (rounded up, 1..30 s), so a refused client comes back about when one has
    freed, and clients refused together spread out. A generator
    holding one (a stream) frees it when it ends or is closed. 0 places: no limit.
    ``purpose`` only labels the log line of a refusal.
    """
    limit = settings.QUESTION_MAX_IN_FLIGHT_PER_PROCESS
    if limit <= 0:
        yield
        return
    if not _in_flight.enter(limit):
        retry_after = _in_flight.retry_after_s()
        log.info("llm.capacity.question_refused", extra={"purpose": purpose, "limit": limit,
                                                         "retry_after_s": retry_after})
        raise ServerBusy(f"this server is working on {limit} questions already; retry in {retry_after} s",
                         details={"max_in_flight_per_process": limit}, retry_after_s=retry_after)
    started = time.monotonic()
    try:
        yield
    finally:
        _in_flight.leave(time.monotonic() - started)
