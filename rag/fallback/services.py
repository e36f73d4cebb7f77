"""Writes of the fallback flow. Each state change commits with its audit row.

The privacy path fails closed: a redaction error blocks the request, and a send
re-checks the approval and the payload's hash under a row lock before any
network I/O; anything unexpected stops the send and says why.

Slow steps (spaCy, the model call) run outside transactions, because
:func:`rag.audit.services.audit_append` holds the audit chain's lock until the
transaction that appended ends.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import math
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ingest.models import Chunk, Document, PrivacyLevel
from rag.audit.models import AuditEvent
from rag.audit.services import ACTOR_SYSTEM, audit_append
from rag.fallback.models import OPEN_STATUSES, FallbackRequest
from rag.fallback.prompts import PROMPT_VERSION, fallback_messages
from rag.fallback.selectors import fallback_budget, fallback_request_visible, tokens_cost
from rag.fallback.wire import PayloadMismatch, provider_for_payload
from rag.llm.base import LLMError
from rag.llm.registry import provider_get
from rag.llm.services import llm_chat
from rag.privacy import redaction
from rag.privacy.keys import vault_secret
from rag.qa.models import Question

logger = logging.getLogger(__name__)

Status = FallbackRequest.Status
Event = AuditEvent.EventType
TARGET = "fallback_request"
# Conservative token estimate: ~4 bytes per token for English; 3 over-counts on purpose.
BYTES_PER_TOKEN = 3
# pg_advisory_xact_lock key serializing budget checks (any constant nothing else uses).
BUDGET_LOCK = 0x7065726D46424B  # "permFBK"


# --------------------------------------------------------------------- errors
class FallbackError(Exception):
    """A refused operation. ``code`` is the API error code; the message is user-facing."""

    code = "fallback_error"


class FallbackNotAllowed(FallbackError):
    code = "permission_denied"


class FallbackDisabled(FallbackError):
    code = "fallback_disabled"


class FallbackStateError(FallbackError):
    code = "invalid_state"


class FallbackExpired(FallbackStateError):
    code = "expired"


class FallbackPayloadChanged(FallbackError):
    code = "payload_changed"


class FallbackBudgetExceeded(FallbackError):
    code = "budget_exceeded"


class FallbackInvalid(FallbackError):
    code = "invalid"


class FallbackSendRetry(Exception):
    """A transient send failure with attempts left; the task should retry later."""


# --------------------------------------------------------------------- policy
def fallback_propose_needed(*, question: Question) -> bool:
    """Whether to *propose* escalation for ``question`` (a proposal is only shown, never sent).

    True when the local attempt is weak: it abstained or failed, or no cited
    chunk reaches ``FALLBACK_PROPOSE_BELOW_SCORE`` cosine similarity.
    """
    if not settings.FALLBACK_ENABLED:
        return False
    if question.status in (Question.Status.ABSTAINED, Question.Status.ERROR):
        return True
    scores = [c.get("score", 0.0) for c in question.citations]
    return not scores or max(scores) < settings.FALLBACK_PROPOSE_BELOW_SCORE


def fallback_proposal_record(*, question: Question, user) -> bool:
    """Record ESCALATION_PROPOSED once per question when the policy proposes escalation.

    Call it where the proposal is shown to the asker. Returns whether a proposal applies.
    """
    if not fallback_propose_needed(question=question):
        return False
    with transaction.atomic(durable=True):
        Question.objects.select_for_update().get(pk=question.pk)  # one proposal row per question
        if not AuditEvent.objects.filter(event_type=Event.ESCALATION_PROPOSED, target_type="question",
                                         target_id=str(question.pk)).exists():
            scores = [c.get("score", 0.0) for c in question.citations]
            audit_append(event_type=Event.ESCALATION_PROPOSED, actor=user, target_type="question",
                         target_id=question.pk,
                         details={"question_status": question.status, "top_score": max(scores, default=None),
                                  "threshold": settings.FALLBACK_PROPOSE_BELOW_SCORE})
    return True


# --------------------------------------------------------------------- create
@dataclass
class _Sources:
    chunks: list[Chunk]
    contributing: list[dict]
    excluded: list[dict]


def _sources_select(question: Question) -> _Sources:
    """The question's retrieved chunks, in retrieval order, split by privacy policy.

    ``local_only`` documents are excluded; chunks beyond FALLBACK_CONTEXT_CHAR_BUDGET
    characters are left out (best first); chunks of deleted or unready documents are skipped.
    """
    by_id = {c.id: c for c in Chunk.objects.filter(id__in=question.retrieved_chunk_ids,
                                                   document__status=Document.Status.READY)
             .select_related("document")}
    chunks, used = [], 0
    contributing: dict[int, dict] = {}
    excluded: dict[int, dict] = {}
    for chunk_id in question.retrieved_chunk_ids:
        chunk = by_id.get(chunk_id)
        if chunk is None:
            continue
        doc = chunk.document
        if doc.privacy_level != PrivacyLevel.EXTERNAL_REDACTED:
            entry = excluded.setdefault(doc.id, {
                "document_id": doc.id, "source": doc.source, "title": doc.title,
                "privacy_level": doc.privacy_level, "chunk_ids": [],
                "reason": "privacy level local_only: never leaves the perimeter"})
            entry["chunk_ids"].append(chunk.id)
            continue
        if chunks and used + len(chunk.text) > settings.FALLBACK_CONTEXT_CHAR_BUDGET:
            continue
        used += len(chunk.text)
        chunks.append(chunk)
        contributing.setdefault(doc.id, {"document_id": doc.id, "source": doc.source, "title": doc.title,
                                         "chunk_ids": []})["chunk_ids"].append(chunk.id)
    return _Sources(chunks, list(contributing.values()), list(excluded.values()))


@functools.lru_cache(maxsize=4)
def _analyzer_for_model(model: str):
    """A redaction analyzer (rag.privacy's recognizers) over the spaCy pipeline ``model``.

    ``model`` must be an installed package or a directory: Presidio would try to
    download anything else, and nothing is downloaded inside the perimeter.
    """
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from rag.privacy.recognizers import perimeter_recognizers

    if not (spacy.util.is_package(model) or Path(model).is_dir()):
        raise OSError(f"spaCy model {model!r} is neither an installed package nor a directory")
    engine = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": redaction.LANGUAGE, "model_name": model}],
    }).create_engine()
    registry = RecognizerRegistry(recognizers=perimeter_recognizers(), supported_languages=[redaction.LANGUAGE])
    return AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=[redaction.LANGUAGE])


def _redact(texts: list[str]) -> redaction.RedactionResult:
    """payload_redact_checked with FALLBACK_SPACY_MODEL; any failure becomes RedactionBlocked."""
    model = settings.FALLBACK_SPACY_MODEL
    try:
        analyzer = _analyzer_for_model(model) if model and model != redaction.SPACY_MODEL else None
    except Exception as exc:  # fail closed: a pipeline that cannot load blocks, it never skips redaction
        raise redaction.RedactionBlocked(f"analyzer failed: {type(exc).__name__}: {exc}"[:300]) from exc
    return redaction.payload_redact_checked(texts=texts, analyzer=analyzer)


def fallback_request_create(*, question_id: int, user, proposed: bool = False) -> FallbackRequest:
    """Request escalation of a question to the configured external provider.

    Rebuilds the payload from the question and its retrieved chunks: drops
    ``local_only`` documents, pseudonymizes the question and every included
    chunk (fail closed: analyzer error or residual PII -> ``blocked`` with a
    reason, nothing approvable), serializes the provider's exact request body
    and hashes it. The result is ``pending`` until an admin decides or it expires
    (FALLBACK_REQUEST_TTL_S). Nothing is sent here.

    Returns the new request, or the question's open one if there is one.
    Raises Question.DoesNotExist, FallbackNotAllowed (not the asker nor staff),
    FallbackDisabled.
    """
    if not settings.FALLBACK_ENABLED:
        raise FallbackDisabled("the external fallback is disabled on this server")
    question = Question.objects.get(pk=question_id)
    if not (user.is_staff or (question.asked_by_id is not None and question.asked_by_id == user.pk)):
        raise FallbackNotAllowed("only the asker or an admin can escalate this question")
    existing = FallbackRequest.objects.filter(question=question, status__in=OPEN_STATUSES).first()
    if existing is not None:
        return existing

    sources = _sources_select(question)
    provider = provider_get(settings.FALLBACK_PROVIDER)
    now = timezone.now()
    req = FallbackRequest(
        question=question, requested_by=user, proposed=proposed, provider=settings.FALLBACK_PROVIDER,
        model_id=provider.model_id, prompt_version=PROMPT_VERSION, payload_bytes=b"",
        included_chunk_ids=[c.id for c in sources.chunks], contributing_documents=sources.contributing,
        excluded_documents=sources.excluded, expires_at=now + timedelta(seconds=settings.FALLBACK_REQUEST_TTL_S),
    )
    try:
        result = _redact([question.text, *(c.text for c in sources.chunks)])
    except redaction.RedactionBlocked as exc:
        req.status = Status.BLOCKED
        req.blocked_reason = exc.reason
        # The best redaction available (never the original): shown to admins to explain the block.
        if exc.result is not None:
            req.redacted_question = exc.result.texts[0]
            req.masked_counts = exc.result.counts
    else:
        messages = fallback_messages(question=result.texts[0], sources=result.texts[1:])
        payload = provider.request_bytes(messages=messages, max_tokens=settings.FALLBACK_MAX_TOKENS, temperature=0.0)
        req.status = Status.PENDING
        req.redacted_question = result.texts[0]
        req.masked_counts = result.counts
        req.payload_bytes = payload
        req.payload_sha256 = hashlib.sha256(payload).hexdigest()
        req.vault_encrypted = redaction.vault_encrypt(result.vault, vault_secret())
        req.estimated_prompt_tokens = math.ceil(len(payload) / BYTES_PER_TOKEN)
        req.estimated_completion_tokens = settings.FALLBACK_MAX_TOKENS
        req.estimated_cost = tokens_cost(tokens=req.estimated_tokens,
                                         price_per_1k=settings.FALLBACK_PRICE_PER_1K_TOKENS.get(req.provider, 0))

    try:
        with transaction.atomic(durable=True):
            _created_record(req, user=user, proposed=proposed)
    except IntegrityError:  # a concurrent request for the same question won
        return FallbackRequest.objects.get(question=question, status__in=OPEN_STATUSES)
    return req


def _created_record(req: FallbackRequest, *, user, proposed: bool) -> None:
    """Save a new request with its escalation and redaction audit rows (inside the caller's transaction)."""
    req.save()
    audit_append(event_type=Event.ESCALATION_REQUESTED, actor=user, target_type=TARGET, target_id=req.pk, details={
        "question_id": req.question_id, "proposed": proposed, "provider": req.provider, "model_id": req.model_id,
        "question_redacted": req.redacted_question, "included_chunk_ids": req.included_chunk_ids,
        "excluded_document_ids": [d["document_id"] for d in req.excluded_documents],
    })
    if req.status == Status.BLOCKED:
        audit_append(event_type=Event.REDACTION_BLOCKED, actor=ACTOR_SYSTEM, target_type=TARGET, target_id=req.pk,
                     details={"reason": req.blocked_reason, "masked": req.masked_counts})
    else:
        audit_append(event_type=Event.REDACTION_COMPLETED, actor=ACTOR_SYSTEM, target_type=TARGET, target_id=req.pk,
                     details={"masked": req.masked_counts, "payload_sha256": req.payload_sha256,
                              "payload_bytes": len(bytes(req.payload_bytes)), "estimated_tokens": req.estimated_tokens})


# --------------------------------------------------------------------- decide
def _expire(req: FallbackRequest, *, now) -> None:
    """Mark a pending request expired, with its audit row (inside the caller's transaction)."""
    req.status = Status.EXPIRED
    req.save(update_fields=["status", "updated_at"])
    audit_append(event_type=Event.FALLBACK_EXPIRED, actor=ACTOR_SYSTEM, target_type=TARGET, target_id=req.pk,
                 details={"expires_at": req.expires_at.isoformat(), "expired_at": now.isoformat()})


def _decidable(request_id: int, admin) -> tuple[FallbackRequest | None, bool]:
    """Lock the request for a decision. Returns (request, expired_now); raises for the wrong actor or state."""
    if not getattr(admin, "is_staff", False):
        raise FallbackNotAllowed("only admins can approve or reject external requests")
    req = FallbackRequest.objects.select_for_update().get(pk=request_id)
    now = timezone.now()
    if req.status == Status.PENDING and req.expires_at <= now:
        _expire(req, now=now)
        return req, True
    if req.status == Status.BLOCKED:
        raise FallbackStateError(f"request {req.pk} is blocked and cannot be decided: {req.blocked_reason}")
    if req.status != Status.PENDING:
        raise FallbackStateError(f"request {req.pk} is {req.status}, not pending")
    return req, False


def fallback_approve(*, request_id: int, admin, payload_sha256: str) -> FallbackRequest:
    """Approve sending the exact payload whose SHA-256 (hex) the admin saw; queue the send.

    Refuses (raising, nothing changed) when: ``admin`` is not staff, or is the
    asker and FALLBACK_ALLOW_SELF_APPROVAL is off (FallbackNotAllowed); the
    request is not pending (FallbackStateError); it has expired (FallbackExpired,
    after recording the expiry); ``payload_sha256`` is not the hash of the
    stored payload bytes (FallbackPayloadChanged); the provider's monthly token
    budget would be exceeded (FallbackBudgetExceeded).
    """
    payload_sha256 = (payload_sha256 or "").strip().lower()
    with transaction.atomic(durable=True):
        req, expired = _decidable(request_id, admin)
        if not expired:
            if not settings.FALLBACK_ALLOW_SELF_APPROVAL and req.requested_by_id == admin.pk:
                raise FallbackNotAllowed("a second person must approve your own request")
            actual = hashlib.sha256(bytes(req.payload_bytes)).hexdigest()
            if not payload_sha256 or payload_sha256 != actual or actual != req.payload_sha256:
                raise FallbackPayloadChanged("the payload is not the one you reviewed (SHA-256 differs); reload it")
            with connection.cursor() as cursor:  # one budget decision at a time
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [BUDGET_LOCK])
            budget = fallback_budget(provider=req.provider)
            if not budget.allows(req.estimated_tokens):
                raise FallbackBudgetExceeded(
                    f"{req.provider}'s monthly budget has {budget.remaining} tokens left; "
                    f"this request needs up to {req.estimated_tokens}")
            req.status = Status.APPROVED
            req.approved_by = admin
            req.approved_at = timezone.now()
            req.approved_payload_sha256 = actual
            req.save(update_fields=["status", "approved_by", "approved_at", "approved_payload_sha256", "updated_at"])
            audit_append(event_type=Event.FALLBACK_APPROVED, actor=admin, target_type=TARGET, target_id=req.pk,
                         details={"payload_sha256": actual, "provider": req.provider, "model_id": req.model_id,
                                  "estimated_tokens": req.estimated_tokens,
                                  "budget_remaining_before": budget.remaining})
            from rag.fallback.tasks import fallback_send_task

            transaction.on_commit(lambda: fallback_send_task.delay(req.pk))
    if expired:
        raise FallbackExpired(f"request {req.pk} expired at {req.expires_at:%Y-%m-%d %H:%M} UTC")
    return req


def _text_redacted_for_audit(text: str) -> str:
    """Free text an admin typed, pseudonymized for the audit trail (which holds redacted text only)."""
    try:
        return redaction.payload_pseudonymize(texts=[text]).texts[0]
    except Exception:  # fail closed: keep nothing rather than something unredacted
        logger.exception("redacting a rejection reason failed")
        return "[withheld: redaction failed]"


def fallback_reject(*, request_id: int, admin, reason: str) -> FallbackRequest:
    """Reject a pending request with a reason (required, up to 2000 characters). Nothing is ever sent.

    Raises FallbackInvalid (empty reason), FallbackNotAllowed, FallbackStateError, FallbackExpired.
    """
    reason = (reason or "").strip()
    if not reason:
        raise FallbackInvalid("a reason is required to reject a request")
    if len(reason) > 2000:
        raise FallbackInvalid("the reason is limited to 2000 characters")
    reason_redacted = _text_redacted_for_audit(reason)  # spaCy: outside the transaction
    with transaction.atomic(durable=True):
        req, expired = _decidable(request_id, admin)
        if not expired:
            req.status = Status.REJECTED
            req.rejected_by = admin
            req.rejected_at = timezone.now()
            req.rejection_reason = reason
            req.save(update_fields=["status", "rejected_by", "rejected_at", "rejection_reason", "updated_at"])
            audit_append(event_type=Event.FALLBACK_REJECTED, actor=admin, target_type=TARGET, target_id=req.pk,
                         details={"reason_redacted": reason_redacted, "payload_sha256": req.payload_sha256})
    if expired:
        raise FallbackExpired(f"request {req.pk} expired at {req.expires_at:%Y-%m-%d %H:%M} UTC")
    return req


def fallback_expire_due() -> int:
    """Expire pending requests past ``expires_at``, and fail sends whose worker vanished.

    A request ``sending`` for longer than FALLBACK_SEND_STALE_S seconds is marked
    ``failed`` (the payload may or may not have left; it is never re-sent on its
    own). Returns the number of requests changed. Safe to run concurrently.
    """
    now = timezone.now()
    changed = 0
    with transaction.atomic(durable=True):
        for req in FallbackRequest.objects.select_for_update(skip_locked=True).filter(
                status=Status.PENDING, expires_at__lte=now).order_by("pk"):
            _expire(req, now=now)
            changed += 1
        stale = now - timedelta(seconds=settings.FALLBACK_SEND_STALE_S)
        for req in FallbackRequest.objects.select_for_update(skip_locked=True).filter(
                status=Status.SENDING, send_started_at__lte=stale).order_by("pk"):
            _fail(req, reason="the worker stopped while sending; the payload may have left. Not retried.",
                  details={"stage": "send", "attempt": req.send_attempts})
            changed += 1
    return changed


# --------------------------------------------------------------------- send
def _fail(req: FallbackRequest, *, reason: str, details: dict) -> None:
    req.status = Status.FAILED
    req.failure_reason = reason[:2000]
    req.save(update_fields=["status", "failure_reason", "updated_at"])
    audit_append(event_type=Event.FALLBACK_SEND_FAILED, actor=ACTOR_SYSTEM, target_type=TARGET, target_id=req.pk,
                 details={**details, "reason": reason[:2000], "final": True})


def _claim(request_id: int):
    """Lock an approved request, verify it, mark it ``sending``. Returns (request, call args) or None.

    The payload bytes read here, under the lock, are the ones sent: they were
    just checked against the approved hash and against the provider's own
    serialization, so nothing else can go out under this approval.
    """
    with transaction.atomic(durable=True):
        req = FallbackRequest.objects.select_for_update().filter(pk=request_id).first()
        if req is None or req.status != Status.APPROVED:
            if req is not None:
                logger.info("fallback %s is %s, not approved: nothing sent", req.pk, req.status)
            return None
        payload = bytes(req.payload_bytes)
        actual = hashlib.sha256(payload).hexdigest()
        if not req.approved_payload_sha256 or actual != req.approved_payload_sha256:
            _fail(req, reason="the payload changed after approval; nothing was sent",
                  details={"stage": "verify", "approved_payload_sha256": req.approved_payload_sha256,
                           "payload_sha256_now": actual})
            return None
        try:
            call = provider_for_payload(provider_name=req.provider, payload=payload)
        except (PayloadMismatch, KeyError) as exc:
            _fail(req, reason=f"nothing was sent: {exc}", details={"stage": "verify"})
            return None
        req.status = Status.SENDING
        req.send_attempts += 1
        req.send_started_at = timezone.now()
        req.save(update_fields=["status", "send_attempts", "send_started_at", "updated_at"])
    return req, call


def fallback_send(*, request_id: int, final_attempt: bool = True) -> FallbackRequest | None:
    """Send an approved request's exact payload, record the call, de-anonymize the reply.

    Called by :func:`rag.fallback.tasks.fallback_send_task`. Before any network
    I/O, re-checks under a row lock that the request is ``approved`` and that
    SHA-256(payload bytes) equals the approved hash; otherwise it sends nothing
    (``failed`` with an audit row, or a no-op for other states). The call goes
    through :func:`rag.llm.services.llm_chat` (an LLMCall row per attempt).

    On a transient error (timeout, 429, 5xx) with ``final_attempt`` False the
    request goes back to ``approved`` and FallbackSendRetry is raised; otherwise
    it ends ``failed``. On success: ``sent`` then ``answered``. Idempotent: a
    request already sent is only de-anonymized, one already answered is left
    alone. Returns the request, or None if it does not exist.
    """
    req = FallbackRequest.objects.filter(pk=request_id).first()
    if req is None:
        return None
    if req.status == Status.SENT:
        return fallback_answer_deanonymize(request_id=request_id)
    claimed = _claim(request_id)
    if claimed is None:
        return FallbackRequest.objects.filter(pk=request_id).first()
    req, (provider, messages, max_tokens, temperature) = claimed
    try:
        result, call = llm_chat(provider=provider, messages=messages, prompt_version=req.prompt_version,
                                purpose="fallback", max_tokens=max_tokens, temperature=temperature)
    except LLMError as exc:
        retry = not exc.permanent and not final_attempt
        with transaction.atomic(durable=True):
            req = FallbackRequest.objects.select_for_update().get(pk=request_id)
            details = {"stage": "send", "attempt": req.send_attempts, "permanent": exc.permanent,
                       "error": str(exc)[:500]}
            if retry:
                req.status = Status.APPROVED
                req.failure_reason = f"attempt {req.send_attempts} failed: {exc}"[:2000]
                req.save(update_fields=["status", "failure_reason", "updated_at"])
                audit_append(event_type=Event.FALLBACK_SEND_FAILED, actor=ACTOR_SYSTEM, target_type=TARGET,
                             target_id=req.pk, details={**details, "final": False})
            else:
                _fail(req, reason=f"sending failed after {req.send_attempts} attempt(s): {exc}", details=details)
        if retry:
            raise FallbackSendRetry(str(exc)) from exc
        return req
    with transaction.atomic(durable=True):
        req = FallbackRequest.objects.select_for_update().get(pk=request_id)
        req.status = Status.SENT
        req.llm_call = call
        req.external_answer = result.text
        req.sent_at = timezone.now()
        req.failure_reason = ""
        req.save(update_fields=["status", "llm_call", "external_answer", "sent_at", "failure_reason", "updated_at"])
        audit_append(event_type=Event.FALLBACK_SENT, actor=ACTOR_SYSTEM, target_type=TARGET, target_id=req.pk,
                     details={"payload_sha256": req.approved_payload_sha256, "provider": call.provider,
                              "model_id": call.model_id, "prompt_version": call.prompt_version,
                              "llm_call_id": call.pk, "attempt": req.send_attempts,
                              "prompt_tokens": call.prompt_tokens, "completion_tokens": call.completion_tokens,
                              "latency_ms": call.latency_ms})
    return fallback_answer_deanonymize(request_id=request_id)


def fallback_answer_deanonymize(*, request_id: int) -> FallbackRequest:
    """Map the placeholders of a ``sent`` request's reply back with its vault -> ``answered``.

    A vault that cannot be decrypted (wrong key, tampered) fails the request;
    the redacted reply stays stored. No-op for other states.
    """
    with transaction.atomic(durable=True):
        req = FallbackRequest.objects.select_for_update().get(pk=request_id)
        if req.status != Status.SENT:
            return req
        try:
            vault = redaction.vault_decrypt(bytes(req.vault_encrypted), vault_secret())
        except redaction.VaultDecryptError as exc:
            _fail(req, reason=f"the answer arrived but cannot be de-anonymized: {exc}",
                  details={"stage": "deanonymize"})
            return req
        req.answer = redaction.text_deanonymize(text=req.external_answer, vault=vault)
        req.status = Status.ANSWERED
        req.answered_at = timezone.now()
        req.save(update_fields=["answer", "status", "answered_at", "updated_at"])
        audit_append(event_type=Event.FALLBACK_ANSWERED, actor=ACTOR_SYSTEM, target_type=TARGET, target_id=req.pk,
                     details={"answer_redacted": req.external_answer[:4000],
                              "placeholders_restored": sum(1 for p in vault.entries if p in req.external_answer)})
    return req


def fallback_deliver(*, request_id: int, user) -> FallbackRequest:
    """The asker sees an answered request: ``answered`` -> ``delivered`` (once). No-op otherwise."""
    with transaction.atomic(durable=True):
        req = FallbackRequest.objects.select_for_update().get(pk=request_id)
        if req.status != Status.ANSWERED or req.requested_by_id is None or req.requested_by_id != user.pk:
            return req
        req.status = Status.DELIVERED
        req.delivered_at = timezone.now()
        req.save(update_fields=["status", "delivered_at", "updated_at"])
        audit_append(event_type=Event.FALLBACK_DELIVERED, actor=user, target_type=TARGET, target_id=req.pk,
                     details={"question_id": req.question_id})
    return req


def fallback_request_open(*, request_id: int, user) -> FallbackRequest | None:
    """What a reader sees when opening a request: expiries applied first, and an
    answered request delivered if ``user`` asked it. None when ``user`` may not see it."""
    fallback_expire_due()
    req = fallback_request_visible(request_id=request_id, user=user)
    if req is not None and req.status == Status.ANSWERED:
        fallback_deliver(request_id=req.pk, user=user)
        req = fallback_request_visible(request_id=request_id, user=user)
    return req
