"""Migration audit.0005 re-keys a trail written with the unkeyed SHA-256 chain."""
from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from rag.audit.models import AuditEvent, audit_event_record
from rag.audit.selectors import audit_chain_verify
from rag.audit.verify_export import GENESIS_HASH, event_hash

pytestmark = pytest.mark.django_db
BEFORE, AFTER = ("audit", "0004_guard_for_owner_only"), ("audit", "0005_keyed_chain")


def legacy_rows(n: int, *, break_at: int | None = None) -> list[int]:
    """``n`` events chained with the old unkeyed hash, inserted as the old code did."""
    previous, ids = GENESIS_HASH, []
    with connection.cursor() as cursor:
        for i in range(n):
            cursor.execute("SELECT nextval(pg_get_serial_sequence('audit_event', 'id')), clock_timestamp()")
            new_id, created_at = cursor.fetchone()
            event = AuditEvent(id=new_id, created_at=created_at, event_type="query.asked", actor=f"user{i}",
                               details={"i": i}, prev_hash=previous)
            event.hash = event_hash(audit_event_record(event), key=None)
            if i == break_at:
                event.actor = "edited-after-hashing"
            event.save(force_insert=True)
            previous = event.hash
            ids.append(new_id)
    return ids


def migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def test_it_rekeys_an_intact_legacy_trail_so_it_verifies_under_the_key(capsys):
    migrate(BEFORE)
    ids = legacy_rows(4)
    assert not audit_chain_verify(checkpoints=[]).ok  # unkeyed hashes do not verify under the key
    migrate(AFTER)
    result = audit_chain_verify(checkpoints=[])
    assert result.ok, result.reason
    assert (result.checked, result.head_id) == (4, ids[-1])
    assert "re-keyed 4 audit events" in capsys.readouterr().out


def test_it_refuses_to_rekey_a_broken_legacy_trail():
    migrate(BEFORE)
    legacy_rows(3, break_at=1)
    with pytest.raises(RuntimeError, match="does not verify under the unkeyed chain"):
        migrate(AFTER)
