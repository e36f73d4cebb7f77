"""Appends from separate connections at once never fork the chain."""
from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from rag.audit.models import AuditEvent
from rag.audit.selectors import audit_chain_verify
from rag.audit.services import audit_append

pytestmark = pytest.mark.django_db(transaction=True)
THREADS, PER_THREAD = 4, 25


def _append_many(name: str, start: threading.Barrier, errors: list) -> None:
    try:
        start.wait()
        for i in range(PER_THREAD):
            with transaction.atomic():
                audit_append(event_type=AuditEvent.EventType.QUERY_ASKED, actor=name, target_id=i)
                time.sleep(0.001)  # hold the lock a little, so the others queue behind it
    except Exception as exc:  # reported by the test, which runs in another thread
        errors.append(exc)
    finally:
        connection.close()  # each thread has its own connection


def test_concurrent_appends_from_separate_connections_do_not_fork_the_chain():
    start, errors = threading.Barrier(THREADS), []
    threads = [threading.Thread(target=_append_many, args=(f"worker-{n}", start, errors)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    events = list(AuditEvent.objects.order_by("id"))
    assert len(events) == THREADS * PER_THREAD
    assert len({e.prev_hash for e in events}) == len(events)  # no two events share a predecessor
    assert len({e.actor for e in events[: PER_THREAD * 2]}) > 1, "threads did not interleave"
    result = audit_chain_verify()
    assert result.ok, result.reason
    assert result.checked == THREADS * PER_THREAD


def test_an_interleaved_transaction_appends_after_the_one_holding_the_lock():
    """A second connection's append waits for the first transaction and links to its event."""
    first_appended, release = threading.Event(), threading.Event()
    ids = {}

    def holder():
        try:
            with transaction.atomic():
                ids["first"] = audit_append(event_type=AuditEvent.EventType.FALLBACK_APPROVED, actor="boss").hash
                first_appended.set()
                release.wait(10)
        finally:
            connection.close()

    t = threading.Thread(target=holder)
    t.start()
    first_appended.wait(10)
    waiter_done = threading.Event()

    def waiter():
        try:
            ids["second_prev"] = audit_append(event_type=AuditEvent.EventType.FALLBACK_SENT, actor="system").prev_hash
        finally:
            waiter_done.set()
            connection.close()

    w = threading.Thread(target=waiter)
    w.start()
    assert not waiter_done.wait(0.5), "the second append did not wait for the chain lock"
    release.set()
    t.join(10)
    w.join(10)
    assert ids["second_prev"] == ids["first"]
