"""Issue 10, attack 3, second half: someone who got past the app role (the table's
owner, or a superuser) changes the trail directly; ``audit_verify`` reports each change,
because the chain is keyed with AUDIT_KEY (held outside the database) and pinned by
signed checkpoints kept outside the database.

Before: ``SET perimeter.audit_maintenance='on'; TRUNCATE`` verified as "OK: empty";
deleting the newest rows and appending verified; and an edited row whose SHA-256 was
recomputed verified.
"""
from __future__ import annotations

import hashlib
import io
import json
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from rag.audit.checkpoints import audit_checkpoint_write
from rag.audit.models import AuditEvent, audit_event_record
from rag.audit.services import audit_append
from rag.audit.verify_export import GENESIS_HASH, canonical_json, event_hash

pytestmark = pytest.mark.django_db
E = AuditEvent.EventType
VERIFIER = Path(__file__).resolve().parents[2] / "rag" / "audit" / "verify_export.py"
PYTHON = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else "python3"


def as_owner(sql: str, params=()) -> None:
    """What the table's owner can always do: switch the UPDATE/DELETE guard off, run ``sql``, switch it on."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete")


def audit_verify() -> tuple[int, str]:
    """``manage.py audit_verify``: (exit status, everything it printed)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue() + err.getvalue()


@pytest.fixture
def checkpointed():
    """Six events, the newest pinned by a signed checkpoint."""
    events = [audit_append(event_type=E.FALLBACK_APPROVED, actor=f"admin{n}", target_type="fallback_request",
                           target_id=n, details={"payload_sha256": f"{n:064x}"}) for n in range(6)]
    checkpoint = audit_checkpoint_write()
    assert checkpoint["event_id"] == events[-1].pk and checkpoint["count"] == 6
    code, output = audit_verify()
    assert code == 0 and "1 of 1 checkpoints matched" in output
    return events


def test_it_catches_an_edited_row(checkpointed):
    target = checkpointed[2]
    as_owner("UPDATE audit_event SET actor = 'someone-else' WHERE id = %s", [target.pk])
    code, output = audit_verify()
    assert code == 1
    assert f"BROKEN at event {target.pk} (fallback.approved): stored hash does not match" in output


def test_it_catches_deleting_the_newest_rows_then_appending(checkpointed):
    newest = checkpointed[-2:]
    as_owner("DELETE FROM audit_event WHERE id >= %s", [newest[0].pk])
    appended = audit_append(event_type=E.QUERY_ASKED, actor="alice")  # the chain itself is valid again
    assert appended.prev_hash == checkpointed[-3].hash
    code, output = audit_verify()
    assert code == 1
    assert (f"BROKEN at event {appended.pk} (query.asked): event {newest[-1].pk} of the checkpoint of "
            in output) and "is missing: it was deleted" in output


def test_it_catches_deleting_the_newest_rows(checkpointed):
    as_owner("DELETE FROM audit_event WHERE id >= %s", [checkpointed[-2].pk])
    code, output = audit_verify()
    assert code == 1
    assert f"BROKEN after the last event: the trail ends at event {checkpointed[-3].pk} but the checkpoint" in output
    assert "the newest events were deleted" in output


def test_it_catches_truncation_with_the_maintenance_setting(checkpointed):
    with connection.cursor() as cursor:  # the owner may still truncate (pytest-django's flush needs it)...
        cursor.execute("SET LOCAL perimeter.audit_maintenance = 'on'")
        cursor.execute("TRUNCATE audit_event")
    code, output = audit_verify()  # ...and it no longer verifies as "OK: the audit trail is empty"
    assert code == 1
    assert "BROKEN after the last event: the trail is empty but 1 checkpoint(s) cover events" in output
    assert "the trail was truncated" in output


def test_it_catches_a_chain_that_restarts_after_truncation(checkpointed):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL perimeter.audit_maintenance = 'on'")
        cursor.execute("TRUNCATE audit_event")
    restarted = audit_append(event_type=E.QUERY_ASKED, actor="alice")
    assert restarted.prev_hash == GENESIS_HASH
    code, output = audit_verify()
    assert code == 1
    assert f"BROKEN at event {restarted.pk} (query.asked): event {checkpointed[-1].pk} of the checkpoint" in output


def test_it_catches_a_row_rehashed_without_the_key(checkpointed):
    """The old attack: edit a row and recompute SHA-256 over it and every later row."""
    rows = list(AuditEvent.objects.order_by("id"))
    rows[3].actor = "someone-else"
    previous = rows[2].hash
    for event in rows[3:]:
        event.prev_hash = previous
        event.hash = previous = hashlib.sha256(canonical_json(
            {k: v for k, v in audit_event_record(event).items() if k != "hash"})).hexdigest()
        as_owner("UPDATE audit_event SET actor = %s, prev_hash = %s, hash = %s WHERE id = %s",
                 [event.actor, event.prev_hash, event.hash, event.pk])
    code, output = audit_verify()
    assert code == 1
    assert f"BROKEN at event {rows[3].pk} (fallback.approved): stored hash does not match" in output
    assert "recomputed without the key" in output


def test_it_catches_a_row_rehashed_with_a_guessed_key(checkpointed):
    event = AuditEvent.objects.get(pk=checkpointed[-1].pk)
    event.actor = "someone-else"
    forged = event_hash(audit_event_record(event), key=b"not-the-audit-key-but-long-enough-0000")
    as_owner("UPDATE audit_event SET actor = %s, hash = %s WHERE id = %s", [event.actor, forged, event.pk])
    code, output = audit_verify()
    assert code == 1 and f"BROKEN at event {event.pk}" in output


def test_it_catches_an_edited_checkpoint_file(checkpointed):
    path = settings.AUDIT_CHECKPOINT_PATH
    checkpoint = json.loads(path.read_text())
    checkpoint["count"] = 4  # e.g. to hide two deleted events
    path.write_text(json.dumps(checkpoint) + "\n")
    code, output = audit_verify()
    assert code == 1 and "checkpoint line 1: the MAC does not verify" in output


def test_the_standalone_verifier_holds_an_export_to_the_checkpoints(checkpointed, tmp_path):
    export = tmp_path / "audit.jsonl"
    call_command("audit_export", "--out", str(export), stderr=io.StringIO())
    key_file = tmp_path / "audit_key"
    key_file.write_text(settings.AUDIT_KEY)

    def verify(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([PYTHON, "-I", str(VERIFIER), str(export), "--key-file", str(key_file),
                               "--checkpoints", str(settings.AUDIT_CHECKPOINT_PATH), *args],
                              capture_output=True, text=True, timeout=60, cwd="/")

    ok = verify("--require-genesis")
    assert ok.returncode == 0, ok.stderr
    assert "OK: 6 events verified" in ok.stdout and "1 checkpoints matched" in ok.stdout
    lines = export.read_text().splitlines(keepends=True)
    export.write_text("".join(lines[:-2]))  # an export with the newest events cut off
    cut = verify()
    assert cut.returncode == 1
    assert f"the trail ends at event {checkpointed[-3].pk} but the checkpoint" in cut.stderr
    checkpoints = settings.AUDIT_CHECKPOINT_PATH
    checkpoints.write_text(checkpoints.read_text().replace('"count":6', '"count":4'))
    forged = verify("--allow-later-checkpoints")
    assert forged.returncode == 1 and "checkpoint line 1: the MAC does not verify" in forged.stderr
    without_key = subprocess.run([PYTHON, "-I", str(VERIFIER), str(export)], capture_output=True, text=True,
                                 timeout=60, cwd="/", env={"PATH": "/usr/bin:/bin"})
    assert without_key.returncode == 2 and "no audit key" in without_key.stderr
