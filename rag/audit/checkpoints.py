"""Signed checkpoints of the audit chain's head, kept outside the database.

A checkpoint (format and MAC in :mod:`rag.audit.verify_export`) records the newest
event's id and hash, the number of events up to it and the time, signed with
HMAC-SHA256 under ``AUDIT_KEY``. It is appended to ``AUDIT_CHECKPOINT_PATH`` (a
JSON Lines file: give it its own volume, mounted append-only where the platform
allows, e.g. ``chattr +a``) and, with ``AUDIT_CHECKPOINT_SYSLOG``, sent to syslog.
Someone who controls the database but not that file cannot remove the newest
events, truncate the table or rebuild the chain without ``audit_verify`` noticing
(events appended after the last checkpoint are pinned by the next one).

Written by ``manage.py audit_checkpoint``, the Celery beat task
``audit_checkpoint_task`` (every ``AUDIT_CHECKPOINT_INTERVAL_S``) and after about
every ``AUDIT_CHECKPOINT_EVERY`` appends.
"""
from __future__ import annotations

import fcntl
import json
import logging.handlers
import os
import socket
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from rag.audit.keys import audit_key
from rag.audit.models import created_at_text
from rag.audit.verify_export import CHECKPOINT_TYPE, checkpoint_mac, checkpoints_parse

SYSLOG_TAG = "perimeter-audit-checkpoint"


def _path(path: Path | None) -> Path:
    return Path(path or settings.AUDIT_CHECKPOINT_PATH)


def _last_line(path: Path) -> str:
    """The file's last non-empty line (reads at most its last 8 KiB)."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 8192))
            lines = [line for line in f.read().splitlines() if line.strip()]
    except FileNotFoundError:
        return ""
    return lines[-1].decode("utf-8", "replace") if lines else ""


def _syslog_send(line: str, target: str) -> None:
    if target.startswith("/"):
        address: Any = target
    else:
        host, _, port = target.rpartition(":")
        address = (host or "localhost", int(port or 514))
    handler = logging.handlers.SysLogHandler(address=address, facility=logging.handlers.SysLogHandler.LOG_AUTH,
                                             socktype=socket.SOCK_DGRAM)
    try:
        handler.emit(logging.makeLogRecord({"msg": f"{SYSLOG_TAG}: {line}", "levelno": logging.INFO,
                                            "levelname": "INFO"}))
    finally:
        handler.close()


def audit_checkpoint_write(*, path: Path | None = None) -> dict[str, Any] | None:
    """Append a signed checkpoint of the current head; return it, or None if there is
    nothing new (an empty trail, or the head is the last checkpoint's).

    The head, its hash and the count are read in one statement (one snapshot). The
    line is appended under an exclusive ``flock`` with ``O_APPEND`` and fsynced.

    Raises ImproperlyConfigured (no ``AUDIT_KEY``), OSError (the file cannot be written).
    """
    key = audit_key()
    target = _path(path)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, hash, (SELECT count(*) FROM audit_event) FROM audit_event ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
    if row is None:
        return None
    event_id, event_hash_hex, count = row
    last = _last_line(target)
    if last:
        try:
            if json.loads(last).get("event_id") == event_id:
                return None
        except ValueError:
            pass  # a torn or foreign last line: write a fresh checkpoint; audit_verify reports the bad line
    checkpoint = {"type": CHECKPOINT_TYPE, "event_id": event_id, "hash": event_hash_hex, "count": count,
                  "created_at": created_at_text(datetime.now(timezone.utc))}
    checkpoint["mac"] = checkpoint_mac(checkpoint, key=key)
    line = json.dumps(checkpoint, separators=(",", ":"))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    if settings.AUDIT_CHECKPOINT_SYSLOG:
        _syslog_send(line, settings.AUDIT_CHECKPOINT_SYSLOG)
    return checkpoint


def audit_checkpoints_read(*, path: Path | None = None) -> list[dict[str, Any]]:
    """Every checkpoint in the file, sorted by event id, each MAC verified; [] if there is no file.

    Raises ValueError at the first line that is malformed or whose MAC does not verify.
    """
    target = _path(path)
    try:
        with open(target, encoding="utf-8") as f:
            return checkpoints_parse(f, key=audit_key())
    except FileNotFoundError:
        return []
