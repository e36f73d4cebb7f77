"""Writes to the audit trail: append one event, and export (which is itself audited).

Append-only keyed hash chain
============================
Every row stores ``prev_hash`` (the hash of the row before it in id order, or 64
zeros for the first) and ``hash`` = HMAC-SHA256 (RFC 2104) with ``AUDIT_KEY`` over
its canonical form, defined and documented in :mod:`rag.audit.verify_export`
(RFC 8785 JCS with exact integers). The key lives outside the database, so write
access to the table is not enough to forge a row that verifies. Appends are
serialized by a transaction-level advisory lock, so the chain never forks;
``prev_hash`` is unique, so a fork is refused by the database even if something
bypassed the lock. About every ``AUDIT_CHECKPOINT_EVERY`` appends, a signed
checkpoint of the head is written outside the database after commit
(:mod:`rag.audit.checkpoints`).

Using it
========
Call :func:`audit_append` inside the same ``transaction.atomic()`` block as the
state change it records (the Zulip pattern), so the change and its audit row
commit together or not at all::

    with transaction.atomic(durable=True):
        request.status = FallbackRequest.Status.APPROVED
        request.save(update_fields=["status"])
        audit_append(event_type=AuditEvent.EventType.FALLBACK_APPROVED, actor=admin,
                     target_type="fallback_request", target_id=request.pk,
                     details={"payload_sha256": request.payload_sha256})

The lock is held until that transaction ends, so every transaction that audits
something commits one after the other: append as the last statement of the
transaction, never before a slow step (a model call, a file parse).

``details`` holds ids, counts, hashes and *redacted* text only. Never pass vault
contents, original PII values, passwords or secrets: keys whose name contains
"vault", "original", "password" or "secret" are refused (ValueError), at any depth.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterator, Literal, Mapping

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, transaction

from rag.audit.keys import audit_key
from rag.audit.models import AuditEvent, audit_event_record
from rag.audit.selectors import audit_event_list
from rag.audit.verify_export import EXPORT_FIELDS, GENESIS_HASH, canonical_json, event_hash

# pg_advisory_xact_lock key of the audit chain: int.from_bytes(b"perimAUD") & (2**63 - 1).
# Any constant works as long as nothing else in the database uses it.
AUDIT_CHAIN_LOCK = 8098923448087921988
ACTOR_SYSTEM = "system"
ACTOR_ANONYMOUS = "anonymous"
FORBIDDEN_KEY_PARTS = ("vault", "original", "password", "secret")
EXPORT_FORMATS = ("jsonl", "csv")
FILTER_NAMES = ("since", "until", "actor", "event_type", "target_type", "target_id", "search")
_NUL_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")  # \u0000 not preceded by an odd number of backslashes
logger = logging.getLogger(__name__)


def actor_token(name: str) -> str:
    """The ``actor`` string for an API token: ``"token:<name>"``."""
    return f"token:{name}"


def _details_check(value: Any, path: str = "details") -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            lowered = str(key).lower()
            if any(part in lowered for part in FORBIDDEN_KEY_PARTS):
                raise ValueError(f"{path}.{key}: audit details must not hold vault contents, original values "
                                 "or secrets; pass ids, counts and redacted text")
            _details_check(item, f"{path}.{key}")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _details_check(item, f"{path}[{i}]")


def _actor_resolve(actor: str | AbstractBaseUser) -> tuple[str, int | None]:
    if isinstance(actor, str):
        if not actor:
            raise ValueError("actor must not be empty")
        return actor[:200], None
    if not getattr(actor, "is_authenticated", False):
        return ACTOR_ANONYMOUS, None
    return actor.get_username()[:200], actor.pk


def audit_append(*, event_type: AuditEvent.EventType | str, actor: str | AbstractBaseUser,
                 target_type: str = "", target_id: str | int = "",
                 details: Mapping[str, Any] | None = None) -> AuditEvent:
    """Append one event to the chain and return it (saved, with ``id``, ``prev_hash`` and ``hash``).

    Args:
        event_type: an :class:`AuditEvent.EventType` (or its value, e.g. ``"fallback.approved"``).
        actor: a user (username and pk are stored; an anonymous user becomes ``"anonymous"``)
            or a string: ``"system"``, ``actor_token(name)``, a username.
        target_type, target_id: what the event is about, e.g. ``"document"``, ``42``.
        details: a JSON object of ids, counts, hashes and redacted text (see the module docstring).

    Runs in the caller's transaction (or its own if there is none) without a
    savepoint: any error here, validation included, rolls back the caller's whole
    transaction. Holds the chain lock until that transaction ends.

    Raises:
        ValueError: unknown event type, empty actor, forbidden details key, or a
            value that is not JSON (NaN, infinity, lone surrogate, NUL character).
        RuntimeError: the transaction is not READ COMMITTED (a snapshot taken before
            the lock could miss the latest row and fork the chain).
        ImproperlyConfigured: ``AUDIT_KEY`` is missing or too short (see :func:`rag.audit.keys.audit_key`).
    """
    # No savepoint: if anything here fails, even validation, the caller's whole
    # transaction is doomed (Django refuses further queries and rolls it back), so a
    # state change can never be committed after catching an audit failure.
    with transaction.atomic(savepoint=False):
        key = audit_key()
        if event_type not in AuditEvent.EventType.values:
            raise ValueError(f"unknown audit event type {event_type!r}")
        actor_name, actor_id = _actor_resolve(actor)
        details = dict(details or {})
        _details_check(details)
        try:
            details_json = canonical_json(details).decode("utf-8")
        except TypeError as exc:
            raise ValueError(f"audit details are not JSON: {exc}") from exc
        if _NUL_ESCAPE.search(details_json):
            raise ValueError("audit details must not contain NUL characters (PostgreSQL jsonb refuses them)")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_CHAIN_LOCK])
            # One round trip, after the lock: the latest committed hash, a fresh id and
            # timestamp, and the details exactly as jsonb will return them (numbers and
            # duplicate keys normalised), so the hash matches what is read back later.
            cursor.execute(
                "SELECT current_setting('transaction_isolation'),"
                " (SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1),"
                " nextval(pg_get_serial_sequence('audit_event', 'id')), clock_timestamp(), %s::jsonb::text",
                [details_json],
            )
            isolation, last_hash, new_id, created_at, stored_details = cursor.fetchone()
        if isolation != "read committed":
            raise RuntimeError(f"audit_append needs READ COMMITTED isolation, not {isolation}")
        event = AuditEvent(
            id=new_id, created_at=created_at, event_type=str(event_type), actor=actor_name, actor_id=actor_id,
            target_type=str(target_type)[:64], target_id=str(target_id)[:200], details=json.loads(stored_details),
            prev_hash=last_hash or GENESIS_HASH,
        )
        event.hash = event_hash(audit_event_record(event), key=key)
        event.save(force_insert=True)
        every = settings.AUDIT_CHECKPOINT_EVERY
        if every and new_id % every == 0:
            # Ids skip values of rolled-back appends, so this is "about every N"; the
            # beat task covers quiet periods.
            transaction.on_commit(_checkpoint_after_commit)
    return event


def _checkpoint_after_commit() -> None:
    from rag.audit.checkpoints import audit_checkpoint_write

    try:
        audit_checkpoint_write()
    except Exception:  # the events are committed; a missed checkpoint is retried by the beat task
        logger.exception("audit checkpoint after %s appends failed", settings.AUDIT_CHECKPOINT_EVERY)


# ---- export ------------------------------------------------------------------------

@dataclass(frozen=True)
class AuditExport:
    """A started export: its committed ``audit.exported`` ``event``, the file's text as lazy ``chunks``
    (str, a CSV header first), its ``content_type`` and a download ``filename``.
    """

    event: AuditEvent          # the AUDIT_EXPORTED event, committed before any row is read
    chunks: Iterator[str]      # the file's text, produced lazily (a header first for CSV)
    content_type: str
    filename: str


def _filters_clean(filters: Mapping[str, Any] | None) -> dict[str, Any]:
    unknown = set(filters or {}) - set(FILTER_NAMES)
    if unknown:
        raise ValueError(f"unknown audit filters: {sorted(unknown)}")
    return {k: v for k, v in (filters or {}).items() if v not in (None, "")}


def _export_chunks(*, export_format: str, filters: dict[str, Any], before_id: int) -> Iterator[str]:
    rows = audit_event_list(**filters).filter(id__lt=before_id).order_by("id").iterator(chunk_size=2000)
    if export_format == "jsonl":
        for event in rows:
            yield json.dumps(audit_event_record(event), ensure_ascii=False, allow_nan=False) + "\n"
        return
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(EXPORT_FIELDS)
    for i, event in enumerate(rows):
        record = audit_event_record(event)
        record["details"] = canonical_json(record["details"]).decode("utf-8")
        record["actor_id"] = "" if record["actor_id"] is None else record["actor_id"]
        writer.writerow([record[name] for name in EXPORT_FIELDS])
        if i % 500 == 499:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def audit_export_start(*, actor: str | AbstractBaseUser, export_format: Literal["jsonl", "csv"],
                       filters: Mapping[str, Any] | None = None, destination: str = "") -> AuditExport:
    """Record an AUDIT_EXPORTED event, then return the export as a lazy text stream.

    The export holds every event matching ``filters`` (keyword arguments of
    :func:`rag.audit.selectors.audit_event_list`) with an id below the export
    event's own id, in id order, with all chain fields. Because ids are taken
    under the chain lock, that is a complete, consistent prefix of the chain.
    An unfiltered export re-verifies with ``verify_export.py``; a filtered one
    with ``--allow-gaps``.

    ``destination`` (a file name or "http") is recorded in the event's details.
    Raises ValueError for an unknown format or filter.
    """
    if export_format not in EXPORT_FORMATS:
        raise ValueError(f"export format must be one of {EXPORT_FORMATS}")
    clean = _filters_clean(filters)
    recorded = {k: (v.isoformat() if isinstance(v, datetime) else str(v)) for k, v in clean.items()}
    if "search" in recorded:
        # Free text typed by an admin may be a raw value (an e-mail address): keep
        # only its digest, which still lets an auditor confirm a claimed search.
        recorded["search"] = "sha256:" + hashlib.sha256(recorded["search"].encode()).hexdigest()
    event = audit_append(event_type=AuditEvent.EventType.AUDIT_EXPORTED, actor=actor, target_type="audit_event",
                         details={"format": export_format, "filters": recorded, "destination": destination})
    stamp = event.created_at.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return AuditExport(
        event=event,
        chunks=_export_chunks(export_format=export_format, filters=clean, before_id=event.id),
        content_type="application/x-ndjson; charset=utf-8" if export_format == "jsonl" else "text/csv; charset=utf-8",
        filename=f"perimeter-audit-{stamp}.{export_format}",
    )
