"""The database refuses changes; changes made anyway (as superuser) are found by verification."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from rag.audit.models import AuditEvent
from rag.audit.selectors import audit_chain_verify

pytestmark = pytest.mark.django_db


def test_it_refuses_update_through_the_orm_and_keeps_the_row(chain):
    target = chain[2]
    with pytest.raises(DatabaseError, match="audit_event is append-only: UPDATE refused"):
        with transaction.atomic():
            AuditEvent.objects.filter(pk=target.pk).update(details={"latency_ms": 1})
    assert AuditEvent.objects.get(pk=target.pk).details == target.details


def test_it_refuses_saving_a_changed_instance(chain):
    event = AuditEvent.objects.get(pk=chain[0].pk)
    event.actor = "mallory"
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic():
            event.save()
    assert AuditEvent.objects.get(pk=chain[0].pk).actor == "alice"


def test_it_refuses_delete_through_the_orm_and_keeps_the_row(chain):
    with pytest.raises(DatabaseError, match="audit_event is append-only: DELETE refused"):
        with transaction.atomic():
            AuditEvent.objects.filter(pk=chain[1].pk).delete()
    assert AuditEvent.objects.count() == 5


def test_it_refuses_truncate_outside_maintenance(chain):
    with pytest.raises(DatabaseError, match="audit_event is append-only: TRUNCATE refused"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL perimeter.audit_maintenance = 'off'")
            cursor.execute("TRUNCATE audit_event")
    assert AuditEvent.objects.count() == 5


def test_it_detects_an_edited_row_at_its_id(chain, as_superuser):
    edited = chain[2]
    assert as_superuser("UPDATE audit_event SET details = jsonb_set(details, '{latency_ms}', '5') WHERE id = %s",
                        [edited.pk]) == 1
    result = audit_chain_verify()
    assert not result.ok
    assert (result.first_broken_id, result.first_broken_event_type) == (edited.pk, "model.called")
    assert "was changed" in result.reason
    assert (result.head_id, result.head_hash) == (chain[1].pk, chain[1].hash)


def test_it_detects_an_edited_row_whose_hash_was_recomputed_at_the_next_link(chain, as_superuser):
    from rag.audit.models import audit_event_record
    from rag.audit.verify_export import event_hash

    forged = AuditEvent.objects.get(pk=chain[1].pk)
    forged.details = {"chunk_ids": [4], "top_k": 3}
    new_hash = event_hash(audit_event_record(forged), key=settings.AUDIT_KEY.encode())  # even with the key
    as_superuser("UPDATE audit_event SET details = %s::jsonb, hash = %s WHERE id = %s",
                 ['{"chunk_ids": [4], "top_k": 3}', new_hash, forged.pk])
    result = audit_chain_verify()
    assert not result.ok
    assert result.first_broken_id == chain[2].pk
    assert "prev_hash does not match" in result.reason


def test_it_detects_a_deleted_middle_row_at_the_next_id(chain, as_superuser):
    assert as_superuser("DELETE FROM audit_event WHERE id = %s", [chain[2].pk]) == 1
    result = audit_chain_verify()
    assert not result.ok
    assert result.first_broken_id == chain[3].pk
    assert f"hash of event {chain[1].pk}" in result.reason and "deleted" in result.reason


def test_it_detects_a_deleted_first_row(chain, as_superuser):
    as_superuser("DELETE FROM audit_event WHERE id = %s", [chain[0].pk])
    result = audit_chain_verify()
    assert (result.ok, result.first_broken_id) == (False, chain[1].pk)
    assert "the start of the chain" in result.reason


def test_it_detects_reordered_rows(chain, as_superuser):
    a, b = chain[1].pk, chain[3].pk
    as_superuser("UPDATE audit_event SET id = -1 WHERE id = %s", [a])
    as_superuser("UPDATE audit_event SET id = %s WHERE id = %s", [a, b])
    as_superuser("UPDATE audit_event SET id = %s WHERE id = -1", [b])
    result = audit_chain_verify()
    assert (result.ok, result.first_broken_id) == (False, a)
