"""Celery tasks of operations (thin: each calls one function)."""
from __future__ import annotations

from celery import shared_task
from django.conf import settings

from rag.audit.selectors import audit_chain_verify
from rag.ops.state import audit_verified_write, broker_messages_held


@shared_task(name="rag.ops.tasks.audit_chain_verify_task")
def audit_chain_verify_task() -> bool:
    """Verify the whole audit chain (beat, every AUDIT_VERIFY_INTERVAL_S) and record the
    result for /readyz and /metrics; returns whether it verified."""
    result = audit_chain_verify()
    audit_verified_write(ok=result.ok, head_id=result.head_id, checked=result.checked, reason=result.reason)
    return result.ok


@shared_task(name="rag.ops.tasks.documents_stranded_sweep_task")
def documents_stranded_sweep_task() -> int:
    """Requeue documents whose ingestion task was lost (ingest.recovery), when the broker holds
    no ingestion message; beat runs it every INGEST_SWEEP_INTERVAL_S. Returns how many."""
    from ingest.recovery import documents_stranded_requeue

    if broker_messages_held(queue="ingest"):
        return 0  # a task is waiting or running: it, or its redelivery, handles its documents
    return len(documents_stranded_requeue(older_than_s=settings.INGEST_SWEEP_INTERVAL_S))
