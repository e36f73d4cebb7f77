"""Celery tasks of rag.access (thin: each calls one service)."""
from __future__ import annotations

from celery import shared_task

from rag.access.failures import auth_failures_flush


@shared_task(ignore_result=True)
def auth_failures_flush_task() -> int:
    """Every minute (beat): write finished minutes of failed attempts as ``auth.failures`` rows."""
    return auth_failures_flush()
