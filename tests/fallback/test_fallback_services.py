"""The fallback flow through its services, against real Postgres, Presidio and the stand-in API.

Sends run in this process (``fallback_send``, what the Celery task calls);
tests/fallback/test_fallback_worker.py runs the same path on the real worker.
"""
from __future__ import annotations

import hashlib
import json

import pytest

from rag.audit.models import AuditEvent
from rag.fallback import errors, services
from rag.fallback.models import FallbackRequest
from rag.fallback.selectors import fallback_budget, fallback_propose_needed, fallback_receipt
from rag.llm.models import LLMCall
from tests.fallback.conftest import PII_VALUES, QUESTION, question_asked

pytestmark = pytest.mark.django_db
Status = FallbackRequest.Status


@pytest.fixture
def pending(user, permits_doc):
    question = question_asked(user=user, documents=[permits_doc])
    req = services.fallback_request_create(question_id=question.pk, user=user)
    assert req.status == Status.PENDING, req.blocked_reason
    return req


def approve_and_send(req, admin) -> FallbackRequest:
    services.fallback_approve(request_id=req.pk, admin=admin, payload_sha256=req.payload_sha256)
    return services.fallback_send(request_id=req.pk)


def events(req) -> list[str]:
    return list(AuditEvent.objects.filter(target_type="fallback_request", target_id=str(req.pk))
                .order_by("id").values_list("event_type", flat=True))


def test_it_sends_nothing_before_approval(pending, standin):
    # Even a send task that fires for a pending request (a bug, a replay) sends nothing.
    services.fallback_send(request_id=pending.pk)

    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    assert standin.requests == []
    assert not LLMCall.objects.filter(purpose="fallback").exists()


def test_what_the_provider_received_is_byte_for_byte_the_approved_payload(pending, admin_user_obj, standin):
    req = approve_and_send(pending, admin_user_obj)

    [received] = standin.requests
    assert received.body == bytes(req.payload_bytes)
    assert hashlib.sha256(received.body).hexdigest() == req.approved_payload_sha256 == pending.payload_sha256
    assert received.path == "/v1/chat/completions"


def test_no_original_pii_value_reaches_the_provider(user, admin_user_obj, permits_doc, salaries_doc, standin):
    question = question_asked(user=user, documents=[permits_doc, salaries_doc])
    req = services.fallback_request_create(question_id=question.pk, user=user)
    approve_and_send(req, admin_user_obj)

    [received] = standin.requests
    everything = (received.path + json.dumps(received.headers) + received.body.decode()).lower()
    leaked = [value for value in PII_VALUES if value.lower() in everything]
    assert leaked == []
    # ... while the redacted question and the permit facts did go out.
    body = received.json()
    assert "<PERSON_1>" in body["messages"][1]["content"] and "P-22" in body["messages"][1]["content"]


def test_the_deanonymized_answer_restores_the_original_values(pending, admin_user_obj, standin):
    req = approve_and_send(pending, admin_user_obj)

    assert req.status == Status.ANSWERED
    assert "<PERSON_1>" in req.external_answer and "<EMAIL_1>" in req.external_answer
    assert "Dana Whitfield" in req.answer and "dana.whitfield@example.com" in req.answer
    assert "<PERSON_1>" not in req.answer


def test_it_refuses_to_approve_a_hash_other_than_the_payloads(pending, admin_user_obj, standin):
    with pytest.raises(errors.FallbackPayloadChanged):
        services.fallback_approve(request_id=pending.pk, admin=admin_user_obj, payload_sha256="0" * 64)

    pending.refresh_from_db()
    assert pending.status == Status.PENDING and pending.approved_by is None
    assert standin.requests == []


def test_a_payload_changed_after_approval_is_refused_and_nothing_is_sent(pending, admin_user_obj, standin):
    services.fallback_approve(request_id=pending.pk, admin=admin_user_obj, payload_sha256=pending.payload_sha256)
    # Someone with database access swaps the payload and even updates its hash.
    tampered = bytes(pending.payload_bytes).replace(b"<PERSON_1>", b"Dana Whitfield")
    FallbackRequest.objects.filter(pk=pending.pk).update(
        payload_bytes=tampered, payload_sha256=hashlib.sha256(tampered).hexdigest())

    req = services.fallback_send(request_id=pending.pk)

    assert req.status == Status.FAILED
    assert "changed after approval" in req.failure_reason
    assert standin.requests == []
    assert not LLMCall.objects.filter(purpose="fallback").exists()
    failed = AuditEvent.objects.get(event_type=AuditEvent.EventType.FALLBACK_SEND_FAILED, target_id=str(req.pk))
    assert failed.details["approved_payload_sha256"] == pending.payload_sha256


def test_a_payload_the_configured_provider_would_not_send_verbatim_is_refused(pending, admin_user_obj, standin,
                                                                             settings):
    services.fallback_approve(request_id=pending.pk, admin=admin_user_obj, payload_sha256=pending.payload_sha256)
    settings.FALLBACK_OPENAI_MODEL = "another-model"  # the body names the model it was approved for

    req = services.fallback_send(request_id=pending.pk)

    assert req.status == Status.FAILED and "different bytes" in req.failure_reason
    assert standin.requests == []


def test_an_analyzer_failure_blocks_the_request(user, admin_user_obj, permits_doc, settings, tmp_path, standin):
    broken = tmp_path / "en_core_web_broken"
    broken.mkdir()
    (broken / "config.cfg").write_text("[nlp]\nlang = \"en\"\npipeline = [\"ner\"\n")  # truncated config
    settings.FALLBACK_SPACY_MODEL = str(broken)
    question = question_asked(user=user, documents=[permits_doc])

    req = services.fallback_request_create(question_id=question.pk, user=user)

    assert req.status == Status.BLOCKED
    assert req.blocked_reason.startswith("analyzer failed")
    assert bytes(req.payload_bytes) == b"" and req.payload_sha256 == ""
    with pytest.raises(errors.FallbackStateError, match="blocked"):
        services.fallback_approve(request_id=req.pk, admin=admin_user_obj, payload_sha256="0" * 64)
    assert events(req) == ["escalation.requested", "redaction.blocked"]
    assert standin.requests == []


def test_residual_pii_blocks_the_request(user, admin_user_obj, standin):
    from tests.factories import document_ingested

    # Our recognizer knows 4-4-4-x and 4-6-5 card groupings only; the residual scan's
    # second opinion (Presidio's card recognizer) reads 4-3-4-4 and sees a Luhn-valid Mastercard.
    doc = document_ingested(source="it/laptops.md",
                            text="# Laptops\n\nCharge 5105 105 1051 0515 for the new laptops shipped yesterday.")
    question = question_asked(user=user, text="When do the new laptops arrive?", documents=[doc])

    req = services.fallback_request_create(question_id=question.pk, user=user)

    assert req.status == Status.BLOCKED
    assert "residual scan" in req.blocked_reason and "CREDIT_CARD" in req.blocked_reason
    assert "5105" not in req.blocked_reason
    blocked = AuditEvent.objects.get(event_type=AuditEvent.EventType.REDACTION_BLOCKED)
    assert "5105" not in json.dumps(blocked.details)
    with pytest.raises(errors.FallbackStateError):
        services.fallback_approve(request_id=req.pk, admin=admin_user_obj, payload_sha256="0" * 64)
    assert standin.requests == []


def test_local_only_chunks_never_leave_and_the_receipt_lists_them(user, admin_user_obj, permits_doc, salaries_doc,
                                                                  standin):
    question = question_asked(user=user, documents=[permits_doc, salaries_doc])
    req = services.fallback_request_create(question_id=question.pk, user=user)
    req = approve_and_send(req, admin_user_obj)

    body = standin.requests[0].body.decode()
    assert "61,000" not in body and "salaries" not in body.lower()
    salary_chunks = list(salaries_doc.chunks.values_list("id", flat=True))
    assert not set(salary_chunks) & set(req.included_chunk_ids)
    receipt = fallback_receipt(request=req)
    assert [(d["source"], d["privacy_level"], d["chunk_ids"]) for d in receipt["excluded_documents"]] == [
        ("hr/salaries.md", "local_only", salary_chunks)]
    assert [d["source"] for d in receipt["contributing_documents"]] == ["facilities/permits.md"]


def test_an_expired_request_is_never_sent(pending, admin_user_obj, standin):
    from django.utils import timezone

    FallbackRequest.objects.filter(pk=pending.pk).update(expires_at=timezone.now())

    with pytest.raises(errors.FallbackExpired):
        services.fallback_approve(request_id=pending.pk, admin=admin_user_obj, payload_sha256=pending.payload_sha256)
    req = services.fallback_send(request_id=pending.pk)

    assert req.status == Status.EXPIRED
    assert events(req)[-1] == "fallback.expired"
    assert standin.requests == []


def test_expiry_runs_over_all_due_requests(pending, user, standin):
    from django.utils import timezone

    FallbackRequest.objects.filter(pk=pending.pk).update(expires_at=timezone.now())

    assert services.fallback_expire_due() == 1
    assert services.fallback_expire_due() == 0
    pending.refresh_from_db()
    assert pending.status == Status.EXPIRED


def test_a_send_whose_worker_vanished_is_failed_and_not_resent(pending, admin_user_obj, settings, standin):
    from datetime import timedelta

    from django.utils import timezone

    services.fallback_approve(request_id=pending.pk, admin=admin_user_obj, payload_sha256=pending.payload_sha256)
    started = timezone.now() - timedelta(seconds=settings.FALLBACK_SEND_STALE_S + 1)
    FallbackRequest.objects.filter(pk=pending.pk).update(status=Status.SENDING, send_started_at=started)

    assert services.fallback_expire_due() == 1
    req = services.fallback_send(request_id=pending.pk)  # a redelivered task

    assert req.status == Status.FAILED and "may have left" in req.failure_reason
    assert standin.requests == []


def test_a_rejected_request_is_never_sent(pending, admin_user_obj, standin):
    req = services.fallback_reject(request_id=pending.pk, admin=admin_user_obj,
                                   reason="Dana Whitfield's address must not leave the company.")

    with pytest.raises(errors.FallbackStateError, match="rejected"):
        services.fallback_approve(request_id=req.pk, admin=admin_user_obj, payload_sha256=pending.payload_sha256)
    services.fallback_send(request_id=req.pk)

    req.refresh_from_db()
    assert req.status == Status.REJECTED and req.rejected_by == admin_user_obj
    assert standin.requests == []
    rejected = AuditEvent.objects.get(event_type=AuditEvent.EventType.FALLBACK_REJECTED)
    assert rejected.details["reason_redacted"] == "<PERSON_1>'s address must not leave the company."


def test_a_rejection_needs_a_reason(pending, admin_user_obj):
    with pytest.raises(errors.FallbackInvalid):
        services.fallback_reject(request_id=pending.pk, admin=admin_user_obj, reason="  ")


def test_budget_exhaustion_blocks_approval(pending, admin_user_obj, settings, standin):
    settings.FALLBACK_MONTHLY_TOKEN_BUDGET = {"openai": pending.estimated_tokens - 1, "anthropic": 10_000}

    with pytest.raises(errors.FallbackBudgetExceeded, match="tokens left"):
        services.fallback_approve(request_id=pending.pk, admin=admin_user_obj, payload_sha256=pending.payload_sha256)

    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    assert standin.requests == []


def test_the_budget_counts_recorded_usage_and_approved_estimates(user, admin_user_obj, permits_doc, settings):
    settings.FALLBACK_MONTHLY_TOKEN_BUDGET = {"openai": 100_000, "anthropic": 0}
    first = services.fallback_request_create(
        question_id=question_asked(user=user, documents=[permits_doc]).pk, user=user)
    sent = approve_and_send(first, admin_user_obj)
    second = services.fallback_request_create(
        question_id=question_asked(user=user, documents=[permits_doc]).pk, user=user)
    services.fallback_approve(request_id=second.pk, admin=admin_user_obj, payload_sha256=second.payload_sha256)

    budget = fallback_budget(provider="openai")

    assert budget.used == sent.llm_call.prompt_tokens + sent.llm_call.completion_tokens > 0
    assert budget.reserved == second.estimated_tokens
    assert budget.remaining == 100_000 - budget.used - budget.reserved


def test_it_sends_through_the_anthropic_messages_wire_format(user, admin_user_obj, permits_doc, settings, standin):
    from tests.fallback.conftest import ANTHROPIC_KEY

    settings.FALLBACK_PROVIDER = "anthropic"
    question = question_asked(user=user, documents=[permits_doc])
    req = services.fallback_request_create(question_id=question.pk, user=user)
    req = approve_and_send(req, admin_user_obj)

    [received] = standin.requests
    assert received.path == "/v1/messages"
    assert ANTHROPIC_KEY in (received.headers.get("x-api-key"), received.headers.get("authorization", "")[7:])
    assert received.headers["anthropic-version"]
    assert received.body == bytes(req.payload_bytes)
    body = received.json()
    assert body["model"] == settings.FALLBACK_ANTHROPIC_MODEL and "placeholders" in body["system"]
    assert [m["role"] for m in body["messages"]] == ["user"]
    assert req.status == Status.ANSWERED and "Dana Whitfield" in req.answer
    assert req.llm_call.provider == "anthropic" and req.llm_call.prompt_tokens > 0


def test_it_sends_through_the_openai_chat_completions_wire_format(pending, admin_user_obj, settings, standin):
    from tests.fallback.conftest import OPENAI_KEY

    req = approve_and_send(pending, admin_user_obj)

    [received] = standin.requests
    assert received.headers["authorization"] == f"Bearer {OPENAI_KEY}"
    assert received.headers["content-type"] == "application/json"
    body = received.json()
    assert body["model"] == settings.FALLBACK_OPENAI_MODEL
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert body["max_tokens"] == settings.FALLBACK_MAX_TOKENS and body["temperature"] == 0.0
    call = req.llm_call
    assert (call.provider, call.model_id, call.prompt_version, call.purpose, call.status) == (
        "openai", settings.FALLBACK_OPENAI_MODEL, "fallback-v1", "fallback", "ok")
    assert call.prompt_tokens > 0 and call.completion_tokens > 0 and call.latency_ms is not None


def test_a_transient_error_is_recorded_and_the_same_bytes_are_sent_again(pending, admin_user_obj, standin):
    standin.fail_next(1, status=500)
    services.fallback_approve(request_id=pending.pk, admin=admin_user_obj, payload_sha256=pending.payload_sha256)

    with pytest.raises(errors.FallbackSendRetry):
        services.fallback_send(request_id=pending.pk, final_attempt=False)
    pending.refresh_from_db()
    assert pending.status == Status.APPROVED
    req = services.fallback_send(request_id=pending.pk, final_attempt=True)

    assert req.status == Status.ANSWERED and req.send_attempts == 2
    first, second = standin.requests
    assert first.body == second.body == bytes(req.payload_bytes)
    calls = list(LLMCall.objects.filter(purpose="fallback").order_by("id").values_list("status", flat=True))
    assert calls == ["error", "ok"]
    assert events(req) == ["escalation.requested", "redaction.completed", "fallback.approved",
                           "fallback.sending", "fallback.send_failed", "fallback.sending", "fallback.sent",
                           "fallback.answered"]


def test_a_permanent_error_fails_the_request_without_retrying(pending, admin_user_obj, settings, standin):
    settings.FALLBACK_OPENAI_API_KEY = "sk-wrong"
    services.fallback_approve(request_id=pending.pk, admin=admin_user_obj, payload_sha256=pending.payload_sha256)

    req = services.fallback_send(request_id=pending.pk, final_attempt=False)

    assert req.status == Status.FAILED and "AuthenticationError" in req.failure_reason
    assert len(standin.requests) == 1


def test_the_last_transient_error_fails_the_request(pending, admin_user_obj, standin):
    standin.fail_next(1, status=429)
    services.fallback_approve(request_id=pending.pk, admin=admin_user_obj, payload_sha256=pending.payload_sha256)

    req = services.fallback_send(request_id=pending.pk, final_attempt=True)

    assert req.status == Status.FAILED and "RateLimitError" in req.failure_reason


def test_the_asker_reading_the_answer_delivers_it_once(pending, user, admin_user_obj, standin):
    approve_and_send(pending, admin_user_obj)

    services.fallback_deliver(request_id=pending.pk, user=admin_user_obj)  # not the asker: no delivery
    assert FallbackRequest.objects.get(pk=pending.pk).status == Status.ANSWERED
    services.fallback_deliver(request_id=pending.pk, user=user)
    services.fallback_deliver(request_id=pending.pk, user=user)

    assert events(pending).count("fallback.delivered") == 1
    assert FallbackRequest.objects.get(pk=pending.pk).status == Status.DELIVERED


def test_the_audit_trail_holds_every_step_and_no_original_value(pending, user, admin_user_obj, standin):
    approve_and_send(pending, admin_user_obj)
    services.fallback_deliver(request_id=pending.pk, user=user)

    assert events(pending) == ["escalation.requested", "redaction.completed", "fallback.approved",
                               "fallback.sending", "fallback.sent", "fallback.answered", "fallback.delivered"]
    approved = AuditEvent.objects.get(event_type=AuditEvent.EventType.FALLBACK_APPROVED)
    assert approved.actor == admin_user_obj.username and approved.details["payload_sha256"] == pending.payload_sha256
    assert AuditEvent.objects.filter(event_type=AuditEvent.EventType.MODEL_CALLED, target_type="llm_call").exists()
    dumped = json.dumps(list(AuditEvent.objects.values("details", "actor", "target_id"))).lower()
    assert [v for v in PII_VALUES if v.lower() in dumped] == []


def test_asking_twice_returns_the_open_request(pending, user):
    again = services.fallback_request_create(question_id=pending.question_id, user=user)

    assert again.pk == pending.pk
    assert FallbackRequest.objects.count() == 1


def test_the_database_allows_one_open_request_per_question(pending):
    from django.db import IntegrityError, transaction

    twin = FallbackRequest.objects.get(pk=pending.pk)
    twin.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_a_blocked_request_can_be_asked_again(user, permits_doc, settings, tmp_path):
    settings.FALLBACK_SPACY_MODEL = str(tmp_path)  # a directory with no spaCy pipeline
    question = question_asked(user=user, documents=[permits_doc])
    blocked = services.fallback_request_create(question_id=question.pk, user=user)
    settings.FALLBACK_SPACY_MODEL = ""

    again = services.fallback_request_create(question_id=question.pk, user=user)

    assert blocked.status == Status.BLOCKED and again.status == Status.PENDING and again.pk != blocked.pk


def test_only_the_asker_can_escalate(pending, django_user_model, admin_user_obj):
    stranger = django_user_model.objects.create_user(username="stranger", password="x" * 12)

    for someone_else in (stranger, admin_user_obj):  # a superuser neither: nobody sends another's question out
        with pytest.raises(errors.FallbackNotAllowed):
            services.fallback_request_create(question_id=pending.question_id, user=someone_else)


def test_only_admins_can_approve(pending, user, standin):
    with pytest.raises(errors.FallbackNotAllowed):
        services.fallback_approve(request_id=pending.pk, admin=user, payload_sha256=pending.payload_sha256)


def test_it_always_requires_a_second_person_to_approve(admin_user_obj, permits_doc):
    question = question_asked(user=admin_user_obj, documents=[permits_doc])
    req = services.fallback_request_create(question_id=question.pk, user=admin_user_obj)

    with pytest.raises(errors.FallbackNotAllowed, match="second person"):
        services.fallback_approve(request_id=req.pk, admin=admin_user_obj, payload_sha256=req.payload_sha256)


def test_the_policy_proposes_escalation_only_for_weak_local_answers(user, permits_doc):
    assert fallback_propose_needed(question=question_asked(user=user, documents=[], status="abstained"))
    assert fallback_propose_needed(question=question_asked(user=user, documents=[permits_doc], score=0.35))
    assert not fallback_propose_needed(question=question_asked(user=user, documents=[permits_doc],
                                                                        score=0.8))


def test_a_proposal_is_recorded_once_and_sends_nothing(user, standin):
    question = question_asked(user=user, documents=[], status="abstained")

    assert services.fallback_proposal_record(question=question, user=user)
    assert services.fallback_proposal_record(question=question, user=user)

    assert AuditEvent.objects.filter(event_type=AuditEvent.EventType.ESCALATION_PROPOSED).count() == 1
    assert not FallbackRequest.objects.exists()
    assert standin.requests == []


def test_the_payload_holds_the_redacted_question_once(pending):
    body = json.loads(bytes(pending.payload_bytes))

    assert body["messages"][1]["content"].endswith("Question: " + pending.redacted_question)
    assert pending.redacted_question == ("When does the parking permit of <PERSON_1> expire? "
                                         "Reply to <EMAIL_1> or call <PHONE_1>.")
    assert QUESTION not in bytes(pending.payload_bytes).decode()
    assert pending.masked_counts["PERSON"] >= 2 and pending.masked_counts["CREDIT_CARD"] == 1
