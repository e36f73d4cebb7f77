"""Reads of the audit trail: filtered listing, and verification of the whole keyed hash chain
against the signed checkpoints."""
from __future__ import annotations

import hmac
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet, TextField
from django.db.models.functions import Cast

from rag.audit.keys import audit_key
from rag.audit.models import AuditEvent, created_at_text
from rag.audit.verify_export import GENESIS_HASH, CheckpointCursor, event_hash


def audit_event_list(*, since: datetime | None = None, until: datetime | None = None, actor: str | None = None,
                     event_type: str | None = None, target_type: str | None = None, target_id: str | None = None,
                     search: str | None = None) -> QuerySet[AuditEvent]:
    """Events newest first, filtered by any of:

    since / until: ``created_at >= since`` and ``created_at < until`` (aware datetimes).
    actor, event_type, target_type, target_id: exact match.
    search: case-insensitive substring of the details' JSON text, the actor or the target id.
    """
    qs = AuditEvent.objects.all()
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    if actor:
        qs = qs.filter(actor=actor)
    if event_type:
        qs = qs.filter(event_type=event_type)
    if target_type:
        qs = qs.filter(target_type=target_type)
    if target_id:
        qs = qs.filter(target_id=str(target_id))
    if search:
        qs = qs.annotate(details_text=Cast("details", TextField())).filter(
            Q(details_text__icontains=search) | Q(actor__icontains=search) | Q(target_id__icontains=search)
        )
    return qs.order_by("-id")


@dataclass(frozen=True)
class VerifyResult:
    """What :func:`audit_chain_verify` found: ``ok``, events ``checked``, the first broken event
    and why, the last intact head (id, hash), the time taken (s) and checkpoints read/matched.
    """

    ok: bool
    checked: int                    # events read, up to and including the first broken one
    first_broken_id: int | None     # None when ok, or when the break is past the end (cut short, truncated)
    reason: str                     # empty when ok
    first_broken_event_type: str = ""
    head_id: int | None = None      # last event checked (the chain's head when ok)
    head_hash: str = ""             # note it down: an anchor that reveals removed tail events later
    duration_s: float = 0.0
    checkpoints: int = 0            # checkpoints read from AUDIT_CHECKPOINT_PATH
    checkpoints_matched: int = 0

    @property
    def events_per_s(self) -> float:
        """Verification speed in events per second (0.0 when no time was measured)."""
        return self.checked / self.duration_s if self.duration_s > 0 else 0.0


def audit_chain_verify(*, chunk_size: int = 2000, checkpoints: list[dict] | None = None) -> VerifyResult:
    """Recompute every event's keyed hash in id order, check each ``prev_hash`` link,
    and hold the chain against the signed checkpoints.

    Finds, at the first affected event:
      - an edited event: its stored hash is not the HMAC of its content under
        ``AUDIT_KEY`` (also when the editor recomputed a hash without the key);
      - a deleted, inserted or reordered event: the next event's ``prev_hash`` is
        not the hash of the event before it in id order (a gap in the chain);
      - a chain that does not extend a checkpoint: a checkpointed event is missing,
        has another hash, or a different number of events leads up to it.
    And after the last event: a checkpoint beyond the head (the newest events were
    deleted), or checkpoints while the trail is empty (truncated). Events removed
    from the end after the newest checkpoint leave a valid shorter chain; compare
    ``head_hash`` with an anchor noted earlier to see that.

    ``checkpoints``: as from :func:`rag.audit.checkpoints.audit_checkpoints_read`
    (the default reads ``AUDIT_CHECKPOINT_PATH``; a checkpoint line whose MAC does not
    verify makes the result broken). Reads with one server-side cursor (one
    consistent snapshot), ``chunk_size`` rows per fetch; memory is constant.
    Throughput: see benchmarks/audit_verify_bench.py.

    Raises ImproperlyConfigured when ``AUDIT_KEY`` is not set.
    """
    from rag.audit.checkpoints import audit_checkpoints_read

    started = time.monotonic()
    key = audit_key()
    if checkpoints is None:
        try:
            checkpoints = audit_checkpoints_read()
        except ValueError as exc:
            return VerifyResult(ok=False, checked=0, first_broken_id=None, reason=f"{settings.AUDIT_CHECKPOINT_PATH}: "
                                f"{exc}", duration_s=time.monotonic() - started)
    cursor = CheckpointCursor(checkpoints)
    fields = ("id", "created_at", "event_type", "actor", "actor_id", "target_type", "target_id", "details",
              "prev_hash", "hash")
    rows = AuditEvent.objects.order_by("id").values_list(*fields).iterator(chunk_size=chunk_size)
    expected_prev = GENESIS_HASH
    previous_id: int | None = None
    checked = 0

    def result(ok: bool, reason: str = "", record: dict | None = None) -> VerifyResult:
        return VerifyResult(ok=ok, checked=checked, first_broken_id=record["id"] if record else None, reason=reason,
                            first_broken_event_type=record["event_type"] if record else "", head_id=previous_id,
                            head_hash=expected_prev if previous_id is not None else "",
                            duration_s=time.monotonic() - started, checkpoints=len(checkpoints),
                            checkpoints_matched=cursor.matched)

    for row in rows:
        checked += 1
        record = dict(zip(fields, row))
        record["created_at"] = created_at_text(record["created_at"])
        reason = ""
        if not hmac.compare_digest(event_hash(record, key=key), record["hash"]):
            reason = ("stored hash does not match the event's content: the event was changed "
                      "(or its hash was recomputed without the key)")
        elif record["prev_hash"] != expected_prev:
            before = f"event {previous_id}" if previous_id is not None else "the start of the chain"
            reason = (f"prev_hash does not match the hash of {before}: an event between them was deleted, "
                      "or events were inserted or reordered")
        else:
            reason = cursor.see(record["id"], record["hash"], checked)
        if reason:
            return result(False, reason, record)
        expected_prev = record["hash"]
        previous_id = record["id"]
    if reason := cursor.finish(head_id=previous_id):
        return result(False, reason)
    return result(True)


def audit_chain_status(*, max_age_s: float, fresh: bool = False) -> tuple[VerifyResult, float]:
    """``(result, age_s)``: a full :func:`audit_chain_verify` no older than ``max_age_s`` seconds.

    The result is cached (Django's default cache) under the event count, the
    highest id and the checkpoint file's size, so any append, removal or new
    checkpoint triggers a new scan at once; an in-place
    edit is seen at the next scan, at most ``max_age_s`` later, or now with ``fresh``.
    """
    shape = AuditEvent.objects.aggregate(n=Count("id"), head=Max("id"))
    try:
        checkpoint_bytes = settings.AUDIT_CHECKPOINT_PATH.stat().st_size
    except OSError:
        checkpoint_bytes = -1
    key = f"audit:chain-status:{shape['n']}:{shape['head']}:{checkpoint_bytes}"
    cached = None if fresh else cache.get(key)
    if cached is None:
        cached = (audit_chain_verify(), time.time())
        cache.set(key, cached, max_age_s)
    result, checked_at = cached
    return result, time.time() - checked_at
