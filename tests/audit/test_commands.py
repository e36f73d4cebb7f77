"""manage.py audit_verify / audit_export, and the standalone verifier on real exports."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from rag.audit.models import AuditEvent
from rag.audit.verify_export import EXPORT_FIELDS, GENESIS_HASH

pytestmark = pytest.mark.django_db
VERIFIER = Path(__file__).resolve().parents[2] / "rag" / "audit" / "verify_export.py"
# The system interpreter, outside the app's virtualenv: proves the script needs only the standard library.
PYTHON = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable


def verify_file(path: Path, *args: str, key: str | None = None) -> subprocess.CompletedProcess:
    """The standalone verifier, given the audit key through the environment (never argv)."""
    env = {"AUDIT_KEY": key if key is not None else settings.AUDIT_KEY, "PATH": "/usr/bin:/bin"}
    return subprocess.run([PYTHON, "-I", str(VERIFIER), str(path), *args], capture_output=True, text=True,
                          cwd="/", timeout=60, env=env)


def export(tmp_path: Path, fmt: str = "jsonl", *args: str) -> Path:
    out = tmp_path / f"audit.{fmt}"
    call_command("audit_export", "--format", fmt, "--out", str(out), *args, stderr=io.StringIO())
    return out


def test_audit_verify_exits_0_and_prints_the_head_on_an_intact_chain(chain):
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "OK: 5 events verified" in out.getvalue()
    assert f"head: event {chain[-1].pk}, hash {chain[-1].hash}" in out.getvalue()


def test_audit_verify_exits_1_and_prints_the_first_broken_link(chain, as_superuser):
    as_superuser("UPDATE audit_event SET actor = 'mallory' WHERE id = %s", [chain[3].pk])
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit_verify", stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 1
    assert f"BROKEN at event {chain[3].pk} (escalation.requested): stored hash does not match" in err.getvalue()


def test_audit_verify_exits_1_when_the_head_is_not_the_anchor(chain, as_superuser):
    anchor = chain[-1].hash
    as_superuser("DELETE FROM audit_event WHERE id = %s", [chain[-1].pk])  # tail removal keeps a valid chain
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit_verify", "--expect-head", anchor, stdout=io.StringIO(), stderr=io.StringIO())
    assert exit_info.value.code == 1


def test_the_jsonl_export_holds_every_chain_field_and_records_itself(chain, tmp_path):
    lines = export(tmp_path).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == [e.pk for e in chain]
    assert all(tuple(r) == EXPORT_FIELDS for r in records)
    assert records[0]["prev_hash"] == GENESIS_HASH and records[-1]["hash"] == chain[-1].hash
    exported = AuditEvent.objects.get(event_type=AuditEvent.EventType.AUDIT_EXPORTED)
    assert exported.pk > chain[-1].pk
    assert exported.details == {"format": "jsonl", "filters": {}, "destination": "audit.jsonl"}


def test_the_csv_export_holds_every_chain_field(chain, tmp_path):
    rows = list(csv.DictReader(export(tmp_path, "csv").open(encoding="utf-8", newline="")))
    assert tuple(rows[0]) == EXPORT_FIELDS
    assert [r["hash"] for r in rows] == [e.hash for e in chain]
    assert json.loads(rows[3]["details"]) == {"note": "naïve café ✓ 日本"}


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_an_export_reverifies_with_the_standalone_script(chain, tmp_path, fmt):
    result = verify_file(export(tmp_path, fmt), "--require-genesis", "--expect-head", chain[-1].hash)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 5 events verified, starting after the beginning of the chain")


def test_the_standalone_script_detects_a_modified_line(chain, tmp_path):
    path = export(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace('"latency_ms": 812', '"latency_ms": 81')
    path.write_text("".join(lines), encoding="utf-8")
    result = verify_file(path)
    assert result.returncode == 1
    assert f"line 3 (id {chain[2].pk}, model.called): hash does not match the content" in result.stderr


def test_the_standalone_script_detects_a_removed_line(chain, tmp_path):
    path = export(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:1] + lines[2:]), encoding="utf-8")
    result = verify_file(path)
    assert result.returncode == 1
    assert f"line 2 (id {chain[2].pk}, model.called): prev_hash does not match" in result.stderr


def test_a_filtered_export_verifies_with_gaps_allowed(chain, tmp_path):
    path = export(tmp_path, "jsonl", "--event-type", "query.asked")
    assert verify_file(path, "--allow-gaps").returncode == 0
    path = export(tmp_path, "jsonl", "--since", chain[1].created_at.isoformat())
    assert [json.loads(x)["id"] for x in path.read_text().splitlines()][:4] == [e.pk for e in chain[1:5]]
    assert verify_file(path).returncode == 0  # a time range is a contiguous stretch of the chain
