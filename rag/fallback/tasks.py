"""Celery tasks of the fallback flow: thin, idempotent, keyed by id.

There is no Celery beat in embedded mode: expiry also happens lazily, whenever
the queue or a request is read, approved or rejected.
"""
from __future__ import annotations

from celery import shared_task
from django.conf import settings

from rag.fallback.errors import FallbackSendRetry
from rag.fallback.services import fallback_expire_due, fallback_send


@shared_task(bind=True, acks_late=True, max_retries=settings.FALLBACK_SEND_MAX_RETRIES,
             soft_time_limit=settings.FALLBACK_TIMEOUT_S + 30, time_limit=settings.FALLBACK_TIMEOUT_S + 60)
def fallback_send_task(self, request_id: int) -> None:
    """Send an approved request; transient failures retry with exponential backoff
    (FALLBACK_SEND_RETRY_DELAY_S, doubled each time), at most FALLBACK_SEND_MAX_RETRIES times."""
    try:
        fallback_send(request_id=request_id, final_attempt=self.request.retries >= self.max_retries)
    except FallbackSendRetry as exc:
        raise self.retry(exc=exc, countdown=settings.FALLBACK_SEND_RETRY_DELAY_S * 2 ** self.request.retries) from exc


@shared_task
def fallback_expire_due_task() -> int:
    """Expire due requests and fail stale sends; returns how many changed."""
    return fallback_expire_due()
