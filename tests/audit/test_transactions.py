"""Audit rows share the caller's transaction; a failed append cannot be swallowed."""
from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from rag.audit.models import AuditEvent
from rag.audit.services import audit_append

pytestmark = pytest.mark.django_db(transaction=True)
E = AuditEvent.EventType


def test_it_refuses_to_append_under_repeatable_read_where_the_chain_could_fork():
    with pytest.raises(RuntimeError, match="READ COMMITTED"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            audit_append(event_type=E.QUERY_ASKED, actor="alice")
    assert not AuditEvent.objects.exists()


def test_a_refused_append_dooms_the_callers_transaction(django_user_model):
    with pytest.raises(TransactionManagementError):
        with transaction.atomic():
            django_user_model.objects.create_user(username="approver")
            with pytest.raises(ValueError):
                audit_append(event_type=E.FALLBACK_APPROVED, actor="approver", details={"vault_id": 3})
            # The caller swallowed the audit error and carries on: refused.
            django_user_model.objects.create_user(username="second")
    assert not django_user_model.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_committed_change_and_its_event_are_both_visible():
    with transaction.atomic(durable=True):
        audit_append(event_type=E.DOCUMENT_DELETED, actor="system", target_type="document", target_id=9)
    assert AuditEvent.objects.get().target_id == "9"
