"""The audit trail: one append-only, hash-chained table.

Rows are written only by :func:`rag.audit.services.audit_append`. PostgreSQL
refuses UPDATE and DELETE on the table (trigger, migration 0002), and each row
stores the SHA-256 of its own canonical form plus the previous row's hash, so
any edit, removal or reordering that gets past the trigger is found by
:func:`rag.audit.selectors.audit_chain_verify`. The canonical form is defined in
:mod:`rag.audit.verify_export`.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from django.db import models

HASH_RE = r"^[0-9a-f]{64}$"


class AuditEvent(models.Model):
    """One audited fact. ``details`` holds ids, counts and redacted text only: never
    vault contents, original PII values, passwords or secrets."""

    class EventType(models.TextChoices):
        """Every audited fact, as ``<subject>.<what happened>``; the values are stored and hashed, so never rename one."""

        QUERY_ASKED = "query.asked"
        QUERY_ANSWERED = "query.answered"
        CHUNKS_RETRIEVED = "chunks.retrieved"
        MODEL_CALLED = "model.called"
        ESCALATION_REQUESTED = "escalation.requested"
        ESCALATION_PROPOSED = "escalation.proposed"
        REDACTION_COMPLETED = "redaction.completed"
        REDACTION_BLOCKED = "redaction.blocked"
        FALLBACK_APPROVED = "fallback.approved"
        FALLBACK_REJECTED = "fallback.rejected"
        FALLBACK_EXPIRED = "fallback.expired"
        FALLBACK_SENDING = "fallback.sending"
        FALLBACK_SENT = "fallback.sent"
        FALLBACK_SEND_FAILED = "fallback.send_failed"
        FALLBACK_ANSWERED = "fallback.answered"
        FALLBACK_DELIVERED = "fallback.delivered"
        DOCUMENT_REGISTERED = "document.registered"
        DOCUMENT_REPLACED = "document.replaced"
        DOCUMENT_INGESTED = "document.ingested"
        DOCUMENT_FAILED = "document.failed"
        DOCUMENT_DELETED = "document.deleted"
        DOCUMENT_REQUEUED = "document.requeued"
        COLLECTION_DELETED = "collection.deleted"
        SOURCE_ADDED = "source.added"
        SOURCE_REMOVED = "source.removed"
        SOURCE_SCANNED = "source.scanned"
        ADMIN_LOGIN = "auth.admin_login"
        USER_LOGIN = "auth.user_login"
        LOGIN_FAILED = "auth.login_failed"
        API_TOKEN_USED = "auth.api_token_used"
        API_TOKEN_REFUSED = "auth.api_token_refused"
        AUTH_FAILURES = "auth.failures"  # failed sign-ins/tokens, one row per client and minute
        API_TOKEN_CREATED = "auth.api_token_created"
        API_TOKEN_CHANGED = "auth.api_token_changed"
        API_TOKEN_REVOKED = "auth.api_token_revoked"
        ACCESS_ROLE_GRANTED = "access.role_granted"
        ACCESS_ROLE_REVOKED = "access.role_revoked"
        ACCESS_OPEN_SET = "access.open_set"
        ACCESS_PERMISSION_GRANTED = "access.permission_granted"
        ACCESS_PERMISSION_REVOKED = "access.permission_revoked"
        ACCESS_GROUPS_CHANGED = "access.groups_changed"
        ACCESS_GROUPS_SYNCED = "access.groups_synced"
        AUDIT_EXPORTED = "audit.exported"
        ROLLOUT_STARTED = "rollout.started"
        ROLLOUT_PROMOTED = "rollout.promoted"
        ROLLOUT_ROLLED_BACK = "rollout.rolled_back"
        FEEDBACK_GIVEN = "feedback.given"

    # The id is taken from the sequence before the insert, because it is hashed.
    id = models.BigAutoField(primary_key=True)
    created_at = models.DateTimeField(help_text="Database clock (clock_timestamp()) at append, UTC, microseconds")
    event_type = models.CharField(max_length=64, choices=EventType.choices)
    actor = models.CharField(max_length=200, help_text='Username, "system", "anonymous" or "token:<name>"')
    # A plain integer, not a foreign key: deleting a user must never touch audit rows.
    actor_id = models.BigIntegerField(null=True, blank=True, help_text="auth user pk at the time, if any")
    target_type = models.CharField(max_length=64, blank=True, default="")
    target_id = models.CharField(max_length=200, blank=True, default="")
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, help_text="hash of the previous row; 64 zeros first")
    hash = models.CharField(max_length=64, help_text="SHA-256 hex of this row's canonical form")

    class Meta:
        db_table = "audit_event"
        indexes = [
            models.Index(fields=["created_at"], name="audit_event_created_idx"),
            models.Index(fields=["event_type", "id"], name="audit_event_type_idx"),
            models.Index(fields=["actor", "id"], name="audit_event_actor_idx"),
            models.Index(fields=["target_type", "target_id"], name="audit_event_target_idx"),
        ]
        constraints = [
            # prev_hash is unique too: two rows claiming the same predecessor would be
            # a fork, and the database refuses it even if the lock were bypassed.
            # (UniqueConstraint rather than unique=True: no extra varchar_pattern_ops index.)
            models.UniqueConstraint(fields=["hash"], name="audit_event_hash_unique"),
            models.UniqueConstraint(fields=["prev_hash"], name="audit_event_prev_hash_unique"),
            models.CheckConstraint(condition=models.Q(hash__regex=HASH_RE), name="audit_event_hash_hex"),
            models.CheckConstraint(condition=models.Q(prev_hash__regex=HASH_RE), name="audit_event_prev_hash_hex"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.event_type} by {self.actor}"


def created_at_text(value: datetime) -> str:
    """``created_at`` as hashed and exported: RFC 3339 UTC, six fractional digits, ``Z``."""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def audit_event_record(event: AuditEvent) -> dict[str, Any]:
    """The export form of ``event``: :data:`~rag.audit.verify_export.EXPORT_FIELDS` as JSON values."""
    return {
        "id": event.id, "created_at": created_at_text(event.created_at), "event_type": event.event_type,
        "actor": event.actor, "actor_id": event.actor_id, "target_type": event.target_type,
        "target_id": event.target_id, "details": event.details, "prev_hash": event.prev_hash, "hash": event.hash,
    }
