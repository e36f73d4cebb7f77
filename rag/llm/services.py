"""Recorded model calls. Callers never talk to a provider directly."""
from __future__ import annotations

import time
from typing import Iterator

from django.db import transaction

from rag.audit.models import AuditEvent
from rag.audit.services import audit_append
from rag.llm.base import ChatMessage, ChatProvider, ChatResult, LLMError
from rag.llm.models import LLMCall


def _finish(call: LLMCall, *, started: float, result: ChatResult | None, error: str = "") -> None:
    call.latency_ms = int((time.monotonic() - started) * 1000)
    if result is not None:
        call.model_id = result.model_id or call.model_id
        call.prompt_tokens = result.prompt_tokens
        call.completion_tokens = result.completion_tokens
        call.status = LLMCall.Status.OK
    else:
        call.status = LLMCall.Status.ERROR
        call.error = error[:2000]
    with transaction.atomic():
        call.save(update_fields=["latency_ms", "model_id", "prompt_tokens", "completion_tokens", "status", "error"])
        audit_append(event_type=AuditEvent.EventType.MODEL_CALLED, actor="system", target_type="llm_call",
                     target_id=call.pk, details={
                         "provider": call.provider, "model_id": call.model_id, "prompt_version": call.prompt_version,
                         "purpose": call.purpose, "arm": call.arm, "prompt_tokens": call.prompt_tokens,
                         "completion_tokens": call.completion_tokens, "latency_ms": call.latency_ms,
                         "status": call.status, "error": call.error[:300]})


def llm_chat(*, provider: ChatProvider, messages: list[ChatMessage], prompt_version: str, purpose: str,
             max_tokens: int, temperature: float = 0.0, arm: str = "", model_name: str = ""
             ) -> tuple[ChatResult, LLMCall]:
    """Call ``provider`` once and record it (with the rollout ``arm`` and registry ``model_name``
    of a local answer, see :mod:`rag.llm.rollout`).

    Returns the result and its LLMCall row (latency in milliseconds).
    Raises LLMError after recording the failed call.
    """
    call = LLMCall.objects.create(provider=provider.name, model_id=provider.model_id, arm=arm,
                                  model_name=model_name, prompt_version=prompt_version, purpose=purpose)
    started = time.monotonic()
    try:
        result = provider.chat(messages=messages, max_tokens=max_tokens, temperature=temperature)
    except LLMError as exc:
        _finish(call, started=started, result=None, error=str(exc))
        raise
    _finish(call, started=started, result=result)
    return result, call


def llm_chat_stream(*, provider: ChatProvider, messages: list[ChatMessage], prompt_version: str, purpose: str,
                    max_tokens: int, temperature: float = 0.0, arm: str = "", model_name: str = ""
                    ) -> Iterator[str | tuple[ChatResult, LLMCall]]:
    """Stream text deltas, then yield ``(ChatResult, LLMCall)`` once. Raises LLMError (recorded).
    ``arm`` and ``model_name`` as :func:`llm_chat`."""
    call = LLMCall.objects.create(provider=provider.name, model_id=provider.model_id, arm=arm,
                                  model_name=model_name, prompt_version=prompt_version, purpose=purpose)
    started = time.monotonic()
    result: ChatResult | None = None
    try:
        for item in provider.chat_stream(messages=messages, max_tokens=max_tokens, temperature=temperature):
            if isinstance(item, ChatResult):
                result = item
            else:
                yield item
    except LLMError as exc:
        _finish(call, started=started, result=None, error=str(exc))
        raise
    except GeneratorExit:
        _finish(call, started=started, result=None, error="client disconnected")
        raise
    assert result is not None
    _finish(call, started=started, result=result)
    yield result, call
