"""Fixtures for the audit trail tests (the TRUNCATE allowance for flushes is in tests/conftest.py)."""
from __future__ import annotations

import pytest
from django.db import connection


@pytest.fixture
def as_superuser():
    """Run SQL with the append-only triggers bypassed, as an attacker with superuser rights would.

    ``session_replication_role = replica`` skips ordinary triggers (superuser only),
    for the current transaction only (SET LOCAL inside the test's transaction).
    """
    def run(sql: str, params: list | tuple = ()) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(sql, params)
            count = cursor.rowcount
            cursor.execute("SET LOCAL session_replication_role = origin")
        return count

    return run


@pytest.fixture
def chain():
    """Five events of different kinds, oldest first."""
    from rag.audit.models import AuditEvent
    from rag.audit.services import audit_append

    E = AuditEvent.EventType
    return [
        audit_append(event_type=E.QUERY_ASKED, actor="alice", target_type="question", target_id=1,
                     details={"question": "Where is <PERSON_1>'s contract?", "chars": 31}),
        audit_append(event_type=E.CHUNKS_RETRIEVED, actor="system", target_type="question", target_id=1,
                     details={"chunk_ids": [4, 8, 15], "top_k": 3}),
        audit_append(event_type=E.MODEL_CALLED, actor="system", target_type="llm_call", target_id=7,
                     details={"provider": "vllm", "latency_ms": 812, "prompt_tokens": 420}),
        audit_append(event_type=E.ESCALATION_REQUESTED, actor="alice", target_type="question", target_id=1,
                     details={"note": "naïve café ✓ 日本"}),
        audit_append(event_type=E.FALLBACK_APPROVED, actor="boss", target_type="fallback_request", target_id=3,
                     details={"payload_sha256": "ab" * 32, "counts": {"PERSON": 1}}),
    ]
