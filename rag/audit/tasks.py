"""Celery tasks of the audit trail (thin: each calls one service)."""
from __future__ import annotations

from celery import shared_task

from rag.audit.checkpoints import audit_checkpoint_write


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def audit_checkpoint_task() -> int | None:
    """Write a signed checkpoint of the head (run by Celery beat); returns its event id, or None."""
    checkpoint = audit_checkpoint_write()
    return checkpoint["event_id"] if checkpoint else None
