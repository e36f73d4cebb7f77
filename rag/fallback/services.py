"""State changes of the fallback flow: create, approve, reject, expire, send, deliver.

Each commits with its audit row. What a request would send is built by
:mod:`rag.fallback.payload`; how it is sent belongs to :mod:`rag.llm`. Refusals
raise :mod:`rag.fallback.errors` (or :class:`rag.core.errors.NotFound`). The
privacy path fails closed: a redaction error blocks the request, and a send
re-checks the approval and the payload's hash under a row lock before any
network I/O. Slow steps (spaCy, the model call) run outside transactions, because
:func:`rag.audit.services.audit_append` holds the audit chain's lock until the
transaction that appended ends.
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from rag.access.roles import APPROVER, user_has_role
from rag.audit.models import AuditEvent
from rag.audit.services import ACTOR_SYSTEM, audit_append
from rag.core.errors import NotFound
from rag.fallback import errors
from rag.fallback.models import OPEN_STATUSES, FallbackRequest
from rag.fallback.payload import payload_build, text_redacted_for_audit
from rag.fallback.prompts import PROMPT_VERSION, PROMPT_VERSION_WITH_HISTORY
from rag.fallback.selectors import fallback_budget, fallback_propose_needed, fallback_request_visible
from rag.llm.base import LLMError
from rag.llm.registry import provider_get
from rag.llm.services import llm_chat
from rag.llm.wire import PayloadMismatch, provider_for_payload
from rag.privacy import redaction
from rag.privacy.keys import vault_keys
from rag.qa.models import Question

logger = logging.getLogger(__name__)

Status = FallbackRequest.Status
Event = AuditEvent.EventType
TARGET = "fallback_request"
# pg_advisory_xact_lock key serializing budget checks (any constant nothing else uses).
BUDGET_LOCK = 0x7065726D46424B  # "permFBK"


# --------------------------------------------------------------------- propose
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
def fallback_request_create(*, question_id: int, user, proposed: bool = False,
                            include_history: bool = False) -> FallbackRequest:
    """Request escalation of a question to the configured external provider (FALLBACK_PROVIDER).

    The payload comes from :func:`rag.fallback.payload.payload_build` (with the
    conversation's earlier questions, redacted, only if ``include_history``); a redaction
    failure gives a ``blocked`` request (a reason, nothing approvable), otherwise
    it is ``pending`` until an admin decides or it expires
    (FALLBACK_REQUEST_TTL_S seconds). Nothing is sent here.

    Returns the new request, or the question's open one if there is one.
    Raises NotFound (no such question), FallbackNotAllowed (not the asker: only
    the person who asked may send their question out, whatever their role),
    FallbackDisabled.
    """
    if not settings.FALLBACK_ENABLED:
        raise errors.FallbackDisabled("the external fallback is disabled on this server")
    question = Question.objects.filter(pk=question_id).first()
    if question is None:
        raise NotFound("question not found")
    if question.asked_by_id is None or question.asked_by_id != user.pk:
        raise errors.FallbackNotAllowed("only the person who asked can escalate this question")
    existing = FallbackRequest.objects.filter(question=question, status__in=OPEN_STATUSES).first()
    if existing is not None:
        return existing

    provider = provider_get(settings.FALLBACK_PROVIDER)
    payload = payload_build(question=question, provider=provider, include_history=include_history)
    req = FallbackRequest(
        question=question, requested_by=user, proposed=proposed, provider=settings.FALLBACK_PROVIDER,
        model_id=provider.model_id,
        prompt_version=PROMPT_VERSION_WITH_HISTORY if payload.earlier_questions else PROMPT_VERSION,
        status=Status.BLOCKED if payload.blocked_reason else Status.PENDING, **payload.request_fields(),
        expires_at=timezone.now() + timedelta(seconds=settings.FALLBACK_REQUEST_TTL_S),
    )
    try:
        with transaction.atomic(durable=True):
            _created_record(req, user=user, proposed=proposed, earlier_questions=payload.earlier_questions)
    except IntegrityError:  # a concurrent request for the same question won
        return FallbackRequest.objects.get(question=question, status__in=OPEN_STATUSES)
    return req


def _created_record(req: FallbackRequest, *, user, proposed: bool, earlier_questions: int) -> None:
    """Save a new request with its escalation and redaction audit rows (inside the caller's transaction)."""
    req.save()
    audit_append(event_type=Event.ESCALATION_REQUESTED, actor=user, target_type=TARGET, target_id=req.pk, details={
        "question_id": req.question_id, "proposed": proposed, "provider": req.provider, "model_id": req.model_id,
        "earlier_questions_included": earlier_questions,
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


def _transition(req: FallbackRequest, *, event: str, actor, details: dict, **fields) -> None:
    """Set ``fields`` on the locked ``req``, save exactly them, and append the ``event`` audit row.

    Runs inside the caller's transaction, so the change and its audit row commit together.
    """
    for name, value in fields.items():
        setattr(req, name, value)
    req.save(update_fields=[*fields, "updated_at"])
    audit_append(event_type=event, actor=actor, target_type=TARGET, target_id=req.pk, details=details)


# --------------------------------------------------------------------- decide
def _expire(req: FallbackRequest, *, now) -> None:
    """Mark a pending request expired, with its audit row (inside the caller's transaction)."""
    _transition(req, event=Event.FALLBACK_EXPIRED, actor=ACTOR_SYSTEM, status=Status.EXPIRED,
                details={"expires_at": req.expires_at.isoformat(), "expired_at": now.isoformat()})


def _decide(request_id: int, admin, decision: Callable[[FallbackRequest], None]) -> FallbackRequest:
    """Lock a pending request and apply ``decision`` to it, in one transaction.

    A request past ``expires_at`` is marked expired (with its audit row) and
    FallbackExpired raised instead. Raises FallbackNotAllowed (``admin`` lacks the
    approver permission, :data:`rag.access.roles.APPROVER`; ``is_staff`` is not
    enough), NotFound, FallbackStateError (not pending), or what ``decision`` raises.
    """
    if not user_has_role(admin, APPROVER):
        raise errors.FallbackNotAllowed("only approvers can approve or reject external requests")
    with transaction.atomic(durable=True):
        req = FallbackRequest.objects.select_for_update().filter(pk=request_id).first()
        if req is None:
            raise NotFound("request not found")
        now = timezone.now()
        expired = req.status == Status.PENDING and req.expires_at <= now
        if expired:
            _expire(req, now=now)
        elif req.status == Status.BLOCKED:
            raise errors.FallbackStateError(f"request {req.pk} is blocked and cannot be decided: {req.blocked_reason}")
        elif req.status != Status.PENDING:
            raise errors.FallbackStateError(f"request {req.pk} is {req.status}, not pending")
        else:
            decision(req)
    if expired:
        raise errors.FallbackExpired(f"request {req.pk} expired at {req.expires_at:%Y-%m-%d %H:%M} UTC")
    return req


def fallback_approve(*, request_id: int, admin, payload_sha256: str) -> FallbackRequest:
    """Approve sending the exact payload whose SHA-256 (64 hex digits) the admin saw; queue the send.

    Refuses (raising, nothing changed) when: ``admin`` is not an approver, or
    requested this escalation, or asked its question (FallbackNotAllowed; in every
    configuration, superusers included: someone else must approve); the
    request does not exist (NotFound) or is not pending (FallbackStateError);
    it has expired (FallbackExpired, after recording the expiry);
    ``payload_sha256`` is not the hash of the stored payload bytes
    (FallbackPayloadChanged); the provider's monthly token budget would be
    exceeded (FallbackBudgetExceeded).
    """
    payload_sha256 = (payload_sha256 or "").strip().lower()

    def approve(req: FallbackRequest) -> None:
        if admin.pk in (req.requested_by_id, req.question.asked_by_id):
            raise errors.FallbackNotAllowed("a second person must approve a request about your own question")
        actual = hashlib.sha256(bytes(req.payload_bytes)).hexdigest()
        if not payload_sha256 or payload_sha256 != actual or actual != req.payload_sha256:
            raise errors.FallbackPayloadChanged("the payload is not the one you reviewed (SHA-256 differs); reload it")
        with connection.cursor() as cursor:  # one budget decision at a time
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [BUDGET_LOCK])
        budget = fallback_budget(provider=req.provider)
        if not budget.allows(req.estimated_tokens):
            raise errors.FallbackBudgetExceeded(
                f"{req.provider}'s monthly budget has {budget.remaining} tokens left; "
                f"this request needs up to {req.estimated_tokens}")
        _transition(req, event=Event.FALLBACK_APPROVED, actor=admin, status=Status.APPROVED, approved_by=admin,
                    approved_at=timezone.now(), approved_payload_sha256=actual,
                    details={"payload_sha256": actual, "provider": req.provider, "model_id": req.model_id,
                             "estimated_tokens": req.estimated_tokens, "budget_remaining_before": budget.remaining})
        from rag.fallback.tasks import fallback_send_task

        transaction.on_commit(lambda: fallback_send_task.delay(req.pk))

    return _decide(request_id, admin, approve)


def fallback_reject(*, request_id: int, admin, reason: str) -> FallbackRequest:
    """Reject a pending request with a reason (required, up to 2000 characters). Nothing is ever sent.

    The audit row holds the reason pseudonymized. Raises FallbackInvalid (empty
    or too long reason), FallbackNotAllowed, NotFound, FallbackStateError, FallbackExpired.
    """
    reason = (reason or "").strip()
    if not reason:
        raise errors.FallbackInvalid("a reason is required to reject a request")
    if len(reason) > 2000:
        raise errors.FallbackInvalid("the reason is limited to 2000 characters")
    reason_redacted = text_redacted_for_audit(reason)  # spaCy: outside the transaction

    def reject(req: FallbackRequest) -> None:
        _transition(req, event=Event.FALLBACK_REJECTED, actor=admin, status=Status.REJECTED, rejected_by=admin,
                    rejected_at=timezone.now(), rejection_reason=reason,
                    details={"reason_redacted": reason_redacted, "payload_sha256": req.payload_sha256})

    return _decide(request_id, admin, reject)


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
def _fail(req: FallbackRequest, *, reason: str, details: dict, final: bool = True) -> None:
    """Record a failed send step with its audit row: ``failed`` when ``final``, else back to ``approved``."""
    # A retry's audit row carries the error in details["error"]; only the final one states the reason.
    _transition(req, event=Event.FALLBACK_SEND_FAILED, actor=ACTOR_SYSTEM,
                status=Status.FAILED if final else Status.APPROVED, failure_reason=reason[:2000],
                details={**details, **({"reason": reason[:2000]} if final else {}), "final": final})


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
        # approved -> sending is audited: from here the payload may be on the wire
        _transition(req, event=Event.FALLBACK_SENDING, actor=ACTOR_SYSTEM, status=Status.SENDING,
                    send_attempts=req.send_attempts + 1, send_started_at=timezone.now(),
                    details={"payload_sha256": actual, "attempt": req.send_attempts + 1, "provider": req.provider})
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
            n = req.send_attempts
            _fail(req, reason=f"attempt {n} failed: {exc}" if retry else f"sending failed after {n} attempt(s): {exc}",
                  details={"stage": "send", "attempt": n, "permanent": exc.permanent, "error": str(exc)[:500]},
                  final=not retry)
        if retry:
            raise errors.FallbackSendRetry(str(exc)) from exc
        return req
    with transaction.atomic(durable=True):
        req = FallbackRequest.objects.select_for_update().get(pk=request_id)
        _transition(req, event=Event.FALLBACK_SENT, actor=ACTOR_SYSTEM, status=Status.SENT, llm_call=call,
                    external_answer=result.text, sent_at=timezone.now(), failure_reason="",
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
            vault = redaction.vault_decrypt(bytes(req.vault_encrypted), vault_keys())
        except redaction.VaultDecryptError as exc:
            _fail(req, reason=f"the answer arrived but cannot be de-anonymized: {exc}",
                  details={"stage": "deanonymize"})
            return req
        _transition(req, event=Event.FALLBACK_ANSWERED, actor=ACTOR_SYSTEM, status=Status.ANSWERED,
                    answer=redaction.text_deanonymize(text=req.external_answer, vault=vault),
                    answered_at=timezone.now(),
                    details={"answer_redacted": req.external_answer[:4000],
                             "placeholders_restored": sum(1 for p in vault.entries if p in req.external_answer)})
    return req


def fallback_deliver(*, request_id: int, user) -> FallbackRequest:
    """The asker sees an answered request: ``answered`` -> ``delivered`` (once). No-op otherwise."""
    with transaction.atomic(durable=True):
        req = FallbackRequest.objects.select_for_update().get(pk=request_id)
        if req.status != Status.ANSWERED or req.requested_by_id is None or req.requested_by_id != user.pk:
            return req
        _transition(req, event=Event.FALLBACK_DELIVERED, actor=user, status=Status.DELIVERED,
                    delivered_at=timezone.now(), details={"question_id": req.question_id})
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
