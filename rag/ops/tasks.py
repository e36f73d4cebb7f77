"""Celery tasks of operations (thin: each calls one function)."""
from __future__ import annotations

from celery import shared_task

from rag.audit.selectors import audit_chain_verify
from rag.ops.state import audit_verified_write


@shared_task(name="rag.ops.tasks.audit_chain_verify_task")
def audit_chain_verify_task() -> bool:
    """Verify the whole audit chain (beat, every AUDIT_VERIFY_INTERVAL_S) and record the
    result for /readyz and /metrics; returns whether it verified."""
    result = audit_chain_verify()
    audit_verified_write(ok=result.ok, head_id=result.head_id, checked=result.checked, reason=result.reason)
    return result.ok
