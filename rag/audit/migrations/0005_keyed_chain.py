"""Re-key the stored chain: every ``hash`` becomes HMAC-SHA256 under ``AUDIT_KEY``.

Before this migration each hash was the plain SHA-256 of the event's canonical
form, which anyone with the database can recompute after an edit. This migration
first verifies the stored chain as it was (and stops if it is broken: investigate
with the previous version's ``audit_verify``), then recomputes every ``prev_hash``
and ``hash`` in id order with the key, with the UPDATE guard briefly disabled
(the owner runs migrations and may do that). It prints the old head hash: anchors
and exports taken earlier still verify with ``verify_export.py --legacy-sha256``.

Needs ``AUDIT_KEY`` when there are events; an empty trail is left alone. Not
reversible (the old hashes are recomputable from content, so nothing is lost).
"""
from django.db import migrations

from rag.audit.verify_export import GENESIS_HASH, event_hash


def _record(event) -> dict:
    from rag.audit.models import audit_event_record

    return audit_event_record(event)


def rekey(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    if not AuditEvent.objects.exists():
        return
    from rag.audit.keys import audit_key

    key = audit_key()
    previous_old = previous_new = GENESIS_HASH
    updates = []
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        record = _record(event)
        if record["prev_hash"] != previous_old or event_hash(record, key=None) != record["hash"]:
            raise RuntimeError(f"audit event {event.id} does not verify under the unkeyed chain; not re-keying a "
                               "broken trail (run audit_verify on the previous version)")
        previous_old = record["hash"]
        record["prev_hash"] = previous_new
        previous_new = event_hash(record, key=key)
        updates.append((event.id, record["prev_hash"], previous_new))
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete")
        # Two passes keep the unique constraints on hash and prev_hash satisfied throughout.
        cursor.executemany("UPDATE audit_event SET prev_hash = %s, hash = %s WHERE id = %s",
                           [(f"{i:064x}", f"{i + (1 << 200):064x}", i) for i, _, _ in updates])
        cursor.executemany("UPDATE audit_event SET prev_hash = %s, hash = %s WHERE id = %s",
                           [(prev, new, i) for i, prev, new in updates])
        cursor.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete")
    print(f"\n  re-keyed {len(updates)} audit events; the unkeyed head hash was {previous_old}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_guard_for_owner_only")]
    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
