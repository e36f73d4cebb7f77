"""A request to send one question, redacted, to a proprietary model after an admin approved it.

State machine (writes only in :mod:`rag.fallback.services`, each with its audit row)::

    create ──> blocked                      (redaction failed or found residual PII; terminal)
          └──> pending ──> rejected         (an admin said no; terminal)
                      ├──> expired          (nobody decided within FALLBACK_REQUEST_TTL_S; terminal)
                      └──> approved ──> sending ──> sent ──> answered ──> delivered
                                 ^          │                 (de-anonymized)  (shown to the asker)
                                 └──────────┤ transient error, attempts left
                                            └──> failed     (permanent error, attempts used up,
                                                             payload changed, worker lost)

``payload_bytes`` is the exact HTTP request body that will be sent (canonical
JSON, see :mod:`rag.llm.wire`); an approval binds to its SHA-256.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models

# Statuses of a request that is still going somewhere (or arrived): asking again returns it.
OPEN_STATUSES = ("pending", "approved", "sending", "sent", "answered", "delivered")


class FallbackRequest(models.Model):
    """One escalation of a question to an external provider: the exact bytes that would leave
    (``payload_bytes``, its SHA-256), what redaction masked (the vault Fernet-encrypted), which
    sources went in or were kept out, the estimated cost (tokens, USD), the approver's decision,
    and the send and its reply. Changed only through :mod:`rag.fallback.services`, each step audited.
    """

    class Status(models.TextChoices):
        """Life of a request: ``blocked`` (redaction failed; final) or ``pending`` → ``approved`` →
        ``sending`` → ``sent`` → ``answered`` → ``delivered``; ``rejected``, ``expired`` and ``failed`` are final.
        """

        BLOCKED = "blocked"
        PENDING = "pending"
        APPROVED = "approved"
        REJECTED = "rejected"
        EXPIRED = "expired"
        SENDING = "sending"
        SENT = "sent"
        ANSWERED = "answered"
        DELIVERED = "delivered"
        FAILED = "failed"

    class Provider(models.TextChoices):
        """The external providers a payload can be built for (``FALLBACK_PROVIDER``)."""

        OPENAI = "openai", "OpenAI"
        ANTHROPIC = "anthropic", "Anthropic"

    question = models.ForeignKey("qa.Question", on_delete=models.PROTECT, related_name="fallback_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="fallback_requests")
    proposed = models.BooleanField(default=False, help_text="The asker accepted an automatic proposal")
    status = models.CharField(max_length=16, choices=Status.choices, db_index=True)

    # What would leave, exactly.
    provider = models.CharField(max_length=16, choices=Provider.choices)
    model_id = models.CharField(max_length=200)
    prompt_version = models.CharField(max_length=64)
    payload_bytes = models.BinaryField(help_text="The exact HTTP request body (canonical UTF-8 JSON)")
    payload_sha256 = models.CharField(max_length=64, blank=True)
    redacted_question = models.TextField(blank=True)

    # Redaction.
    vault_encrypted = models.BinaryField(default=bytes, help_text="Fernet token of the pseudonym vault")
    masked_counts = models.JSONField(default=dict, help_text="Replaced occurrences by entity type")
    blocked_reason = models.TextField(blank=True)

    # Which sources went in and which policy kept out (snapshots: documents may be deleted later).
    included_chunk_ids = models.JSONField(default=list)
    contributing_documents = models.JSONField(default=list, help_text="[{document_id, source, title, chunk_ids}]")
    excluded_documents = models.JSONField(
        default=list, help_text="[{document_id, source, title, privacy_level, chunk_ids, reason}]")

    # Cost.
    estimated_prompt_tokens = models.PositiveIntegerField(default=0)
    estimated_completion_tokens = models.PositiveIntegerField(default=0, help_text="The max_tokens cap")
    estimated_cost = models.DecimalField(max_digits=12, decimal_places=6, default=0, help_text="USD")

    # Decision.
    expires_at = models.DateTimeField(db_index=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_payload_sha256 = models.CharField(max_length=64, blank=True)
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)

    # Sending and the reply.
    send_attempts = models.PositiveSmallIntegerField(default=0)
    send_started_at = models.DateTimeField(null=True, blank=True)
    llm_call = models.ForeignKey("llm.LLMCall", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    external_answer = models.TextField(blank=True, help_text="The reply as received (placeholders, no PII)")
    answer = models.TextField(blank=True, help_text="The reply with placeholders mapped back; never leaves")
    failure_reason = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        # The approver role (rag.access.roles): independent of is_staff.
        permissions = [("approve_fallbackrequest", "Can approve or reject requests to the external model")]
        indexes = [models.Index(fields=["status", "expires_at"], name="fallback_status_expiry_idx")]
        constraints = [
            # One request in flight per question: a double click must not queue two sends.
            models.UniqueConstraint(fields=["question"], name="fallback_one_open_per_question",
                                    condition=models.Q(status__in=OPEN_STATUSES)),
        ]

    def __str__(self) -> str:
        return f"fallback #{self.pk} ({self.status})"

    @property
    def payload_text(self) -> str:
        """The exact request body as text (canonical UTF-8 JSON), as the approver reviews it."""
        return bytes(self.payload_bytes).decode("utf-8")

    @property
    def estimated_tokens(self) -> int:
        """Estimated prompt tokens plus the completion cap (``max_tokens``), in tokens."""
        return self.estimated_prompt_tokens + self.estimated_completion_tokens
