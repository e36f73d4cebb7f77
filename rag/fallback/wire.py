"""The external providers, and the exact bytes they put on the wire.

Approval binds to the SHA-256 of one byte string, so each fallback provider
serializes its request body itself, canonically (UTF-8 JSON, keys sorted, no
insignificant whitespace) and hands those bytes to its SDK's low-level
``client.post(content=...)``: the SDK adds headers but never re-encodes the
body. :func:`provider_for_payload` checks that a stored body round-trips to the
same bytes with the provider as configured now, so a changed model id or a
hand-edited body is refused before any network I/O.

Providers are registered under ``openai`` and ``anthropic`` in
:mod:`rag.llm.registry` by :meth:`rag.fallback.apps.FallbackConfig.ready`.
"""
from __future__ import annotations

import json
from typing import Protocol

from django.conf import settings
from openai import OpenAIError
from openai.types.chat import ChatCompletion

from rag.llm.anthropic import AnthropicProvider
from rag.llm.base import ChatMessage, ChatProvider, ChatResult
from rag.llm.openai_compatible import OpenAICompatibleProvider, _llm_error


class ExactBodyProvider(ChatProvider, Protocol):
    """A ChatProvider whose :meth:`chat` sends exactly :meth:`request_bytes`."""

    def request_bytes(self, *, messages: list[ChatMessage], max_tokens: int, temperature: float) -> bytes: ...

    @staticmethod
    def request_parse(body: bytes) -> tuple[list[ChatMessage], int, float]: ...


def json_canonical(obj) -> bytes:
    """UTF-8 JSON with sorted keys and no insignificant whitespace (same form as rag.llm.anthropic)."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


class OpenAIExactProvider(OpenAICompatibleProvider):
    """OpenAI Chat Completions, sending the canonical body bytes verbatim."""

    def request_bytes(self, *, messages: list[ChatMessage], max_tokens: int, temperature: float) -> bytes:
        return json_canonical(self._request(messages, max_tokens, temperature))

    @staticmethod
    def request_parse(body: bytes) -> tuple[list[ChatMessage], int, float]:
        """Inverse of :meth:`request_bytes`: ``(messages, max_tokens, temperature)``. Raises ValueError."""
        try:
            data = json.loads(body)
            messages = [ChatMessage(m["role"], m["content"]) for m in data["messages"]]
            return messages, int(data["max_tokens"]), float(data["temperature"])
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a chat-completions request body: {exc!r}") from exc

    def chat(self, *, messages: list[ChatMessage], max_tokens: int, temperature: float) -> ChatResult:
        body = self.request_bytes(messages=messages, max_tokens=max_tokens, temperature=temperature)
        try:
            resp = self._client.post("/chat/completions", cast_to=ChatCompletion, content=body,
                                     options={"headers": {"Content-Type": "application/json"}})
        except OpenAIError as exc:
            raise _llm_error(exc) from exc
        choice = resp.choices[0]
        return ChatResult(
            text=choice.message.content or "",
            model_id=resp.model or self.model_id,
            prompt_tokens=resp.usage.prompt_tokens if resp.usage else None,
            completion_tokens=resp.usage.completion_tokens if resp.usage else None,
            finish_reason=choice.finish_reason,
            raw_request=json.loads(body),
        )


def openai_provider() -> OpenAIExactProvider:
    return OpenAIExactProvider(
        name="openai", base_url=settings.FALLBACK_OPENAI_BASE_URL, model_id=settings.FALLBACK_OPENAI_MODEL,
        api_key=settings.FALLBACK_OPENAI_API_KEY, timeout_s=settings.FALLBACK_TIMEOUT_S,
    )


def anthropic_provider() -> AnthropicProvider:
    return AnthropicProvider(
        name="anthropic", base_url=settings.FALLBACK_ANTHROPIC_BASE_URL,
        model_id=settings.FALLBACK_ANTHROPIC_MODEL, api_key=settings.FALLBACK_ANTHROPIC_API_KEY,
        timeout_s=settings.FALLBACK_TIMEOUT_S,
    )


class PayloadMismatch(ValueError):
    """A stored body does not round-trip to the same bytes with the provider as configured now."""


def provider_for_payload(*, provider_name: str, payload: bytes) -> tuple[ExactBodyProvider, list[ChatMessage],
                                                                         int, float]:
    """The provider registered as ``provider_name`` and the call arguments that make it send ``payload``.

    Returns ``(provider, messages, max_tokens, temperature)`` such that
    ``provider.request_bytes(...) == payload``. Raises :class:`PayloadMismatch`
    if the body cannot be parsed or would serialize differently (e.g. the
    configured model id changed since the payload was built), KeyError for an
    unknown provider.
    """
    from rag.llm.registry import provider_get

    provider = provider_get(provider_name)
    try:
        messages, max_tokens, temperature = provider.request_parse(payload)
    except ValueError as exc:
        raise PayloadMismatch(str(exc)) from exc
    if provider.request_bytes(messages=messages, max_tokens=max_tokens, temperature=temperature) != payload:
        raise PayloadMismatch(f"the {provider_name} provider as configured now (model {provider.model_id}) "
                              "would send different bytes than the stored payload")
    return provider, messages, max_tokens, temperature
