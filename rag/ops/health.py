"""Readiness checks (django-health-check ``HealthCheck`` classes), each failing with a
message that names what is wrong. /readyz runs them all (:mod:`rag.ops.views`).

- ``database``: PostgreSQL answers and the ``vector`` extension is installed;
- ``redis``: the broker answers PING;
- ``llm``: the local model server lists ``LLM_MODEL`` at ``LLM_BASE_URL``/models;
- ``worker``: a Celery worker wrote a heartbeat in the last 60 seconds;
- ``audit``: the audit chain was verified, intact, within ``AUDIT_VERIFY_INTERVAL_S`` × 2 + 60 s.
"""
from __future__ import annotations

import dataclasses
import datetime

import httpx
import redis
from django.conf import settings
from django.db import connection
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from rag.ops import state

WORKER_HEARTBEAT_MAX_AGE_S = 60.0


def audit_verify_max_age_s() -> float:
    """Oldest acceptable audit verification, in seconds: two beat intervals plus a minute of slack."""
    return settings.AUDIT_VERIFY_INTERVAL_S * 2 + 60


@dataclasses.dataclass
class DatabaseCheck(HealthCheck):
    """PostgreSQL answers, with the pgvector extension installed."""

    name = "database"

    def run(self) -> None:
        """Raises ServiceUnavailable ("database unreachable: <error type>" or "no pgvector extension");
        closes the probe thread's connection either way.
        """
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
                row = cursor.fetchone()
        except Exception as exc:  # any driver error means not ready
            raise ServiceUnavailable(f"database unreachable: {type(exc).__name__}") from exc
        finally:
            connection.close()  # a probe thread must not keep a connection open
        if row is None:
            raise ServiceUnavailable("database has no pgvector extension")


@dataclasses.dataclass
class RedisCheck(HealthCheck):
    """The broker's Redis answers PING."""

    name = "redis"

    def run(self) -> None:
        """Raises ServiceUnavailable ("redis unreachable: <error type>")."""
        try:
            state.redis_client().ping()
        except redis.RedisError as exc:
            raise ServiceUnavailable(f"redis unreachable: {type(exc).__name__}") from exc


@dataclasses.dataclass
class LLMCheck(HealthCheck):
    """The local model server (``LLM_BASE_URL``) lists ``LLM_MODEL`` among its served models, within 3 s."""

    name = "llm"
    timeout = datetime.timedelta(seconds=3)

    def run(self) -> None:
        """Raises ServiceUnavailable when ``GET /models`` fails or times out (3 s) or does not list ``LLM_MODEL``."""
        url = settings.LLM_BASE_URL.rstrip("/") + "/models"
        try:
            response = httpx.get(url, timeout=3.0, headers={"Authorization": f"Bearer {settings.LLM_API_KEY}"})
            response.raise_for_status()
            served = {m.get("id") for m in response.json().get("data", [])}
        except (httpx.HTTPError, ValueError) as exc:
            raise ServiceUnavailable(f"local model server unreachable: {type(exc).__name__}") from exc
        if settings.LLM_MODEL not in served:
            raise ServiceUnavailable(f"local model server does not serve {settings.LLM_MODEL!r}")


@dataclasses.dataclass
class WorkerCheck(HealthCheck):
    """A Celery worker wrote a heartbeat within :data:`WORKER_HEARTBEAT_MAX_AGE_S` (60 s)."""

    name = "worker"

    def run(self) -> None:
        """Raises ServiceUnavailable: heartbeat unreadable, none seen, or older than 60 s (the age in s)."""
        try:
            latest = state.worker_heartbeat_latest()
        except redis.RedisError as exc:
            raise ServiceUnavailable(f"worker heartbeat unreadable: {type(exc).__name__}") from exc
        if latest is None:
            raise ServiceUnavailable("no worker heartbeat seen")
        if latest[1] > WORKER_HEARTBEAT_MAX_AGE_S:
            raise ServiceUnavailable(f"last worker heartbeat {latest[1]:.0f} s ago")


@dataclasses.dataclass
class AuditCheck(HealthCheck):
    """The audit chain's last verification was intact and is at most :func:`audit_verify_max_age_s` old."""

    name = "audit"

    def run(self) -> None:
        """Raises ServiceUnavailable: not verified yet, broken (with the reason), too old (the age in s), or unreadable."""
        try:
            verified = state.audit_verified_read()
        except redis.RedisError as exc:
            raise ServiceUnavailable(f"audit verification unreadable: {type(exc).__name__}") from exc
        if verified is None:
            raise ServiceUnavailable("audit chain not verified yet")
        if not verified["ok"]:
            raise ServiceUnavailable(f"audit chain broken: {verified['reason']}")
        if verified["age_s"] > audit_verify_max_age_s():
            raise ServiceUnavailable(f"audit chain last verified {verified['age_s']:.0f} s ago")


READINESS_CHECKS = (DatabaseCheck, RedisCheck, LLMCheck, WorkerCheck, AuditCheck)
