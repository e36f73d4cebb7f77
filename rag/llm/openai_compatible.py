"""Provider for OpenAI Chat Completions servers (``POST {base_url}/chat/completions``).

One class serves both the local answer model (vLLM, OpenAI-compatible) and
OpenAI's API for the approved fallback; they differ only in settings
(:func:`local_provider`, :func:`openai_provider`). Whole completions are sent as
exact bytes (:class:`rag.llm.wire.ExactBodyProvider`); streams go through the
SDK's ``chat.completions.create(stream=True)``.
"""
from __future__ import annotations

from collections.abc import Iterator

import openai
from django.conf import settings
from openai.types.chat import ChatCompletion

from rag.llm.base import ChatMessage, ChatResult
from rag.llm.wire import ExactBodyProvider


class OpenAICompatibleProvider(ExactBodyProvider):
    """A :class:`rag.llm.base.ChatProvider` speaking OpenAI Chat Completions.

    Constructor arguments as :class:`rag.llm.wire.ExactBodyProvider`; ``base_url``
    includes ``/v1`` (e.g. ``http://127.0.0.1:8001/v1``). Timeouts, connection
    errors, 429 and 5xx are transient; the rest permanent.
    """

    spec = "OpenAI Chat Completions"
    path = "/chat/completions"
    response_type = ChatCompletion
    client_class = openai.OpenAI
    sdk_errors = (openai.OpenAIError,)
    transient_errors = (openai.APITimeoutError, openai.APIConnectionError, openai.RateLimitError,
                        openai.InternalServerError)

    # Chat Completions parameters the SDK takes as keywords; others (vLLM's repetition_penalty) go in extra_body.
    _SDK_KEYWORDS = frozenset({"frequency_penalty", "presence_penalty", "stop", "top_p", "seed"})

    def __init__(self, *, sampling: dict | None = None, **kwargs) -> None:
        """As :class:`rag.llm.wire.ExactBodyProvider`, plus ``sampling``: decoding parameters added to
        every request body (e.g. ``{"frequency_penalty": 0.4, "stop": ["\\n6."]}``; see
        :mod:`rag.llm.local_models`). None or empty leaves the body as it was."""
        super().__init__(**kwargs)
        self.sampling = dict(sampling or {})

    def request_body(self, *, messages: list[ChatMessage], max_tokens: int, temperature: float) -> dict:
        """``{"model", "messages": [{"role", "content"}], "max_tokens", "temperature"}`` (system messages
        inline), plus the provider's ``sampling`` parameters."""
        return {
            "model": self.model_id,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": max_tokens,
            "temperature": temperature,
            **self.sampling,
        }

    @classmethod
    def messages_parse(cls, data: dict) -> list[ChatMessage]:
        """The ``messages`` of a Chat Completions body. Raises KeyError/TypeError when malformed."""
        return [ChatMessage(m["role"], m["content"]) for m in data["messages"]]

    def result_from(self, response: ChatCompletion, *, request: dict) -> ChatResult:
        """The first choice's text, with ``usage.prompt_tokens`` / ``completion_tokens`` when reported."""
        choice = response.choices[0]
        usage = response.usage
        return ChatResult(
            text=choice.message.content or "",
            model_id=response.model or self.model_id,
            prompt_tokens=usage.prompt_tokens if usage else None,
            completion_tokens=usage.completion_tokens if usage else None,
            finish_reason=choice.finish_reason,
            raw_request=request,
        )

    def chat_stream(self, *, messages: list[ChatMessage], max_tokens: int,
                    temperature: float) -> Iterator[str | ChatResult]:
        """Yield text deltas, then one ChatResult with usage (``stream_options.include_usage``). Raises LLMError."""
        request = self.request_body(messages=messages, max_tokens=max_tokens, temperature=temperature)
        parts: list[str] = []
        result = ChatResult(text="", model_id=self.model_id, raw_request=request)
        base = {"model", "messages", "max_tokens", "temperature"}
        keywords = {k: v for k, v in request.items() if k in base or k in self._SDK_KEYWORDS}
        extra = {k: v for k, v in request.items() if k not in keywords}
        try:
            stream = self._client.chat.completions.create(
                **keywords, stream=True, stream_options={"include_usage": True},
                **({"extra_body": extra} if extra else {}),
            )
            for event in stream:
                if event.usage:
                    result.prompt_tokens = event.usage.prompt_tokens
                    result.completion_tokens = event.usage.completion_tokens
                for choice in event.choices:
                    if choice.finish_reason:
                        result.finish_reason = choice.finish_reason
                    delta = choice.delta.content if choice.delta else None
                    if delta:
                        parts.append(delta)
                        yield delta
        except openai.OpenAIError as exc:
            raise self.llm_error(exc) from exc
        result.text = "".join(parts)
        yield result


def local_provider() -> OpenAICompatibleProvider:
    """The on-prem answer model (vLLM) from ``LLM_BASE_URL``, ``LLM_MODEL``, ``LLM_API_KEY``, ``LLM_TIMEOUT_S``."""
    return OpenAICompatibleProvider(
        name="vllm", base_url=settings.LLM_BASE_URL, model_id=settings.LLM_MODEL,
        api_key=settings.LLM_API_KEY, timeout_s=settings.LLM_TIMEOUT_S,
    )


def openai_provider() -> OpenAICompatibleProvider:
    """OpenAI's API for the approved fallback, from the ``FALLBACK_OPENAI_*`` settings and ``FALLBACK_TIMEOUT_S``."""
    return OpenAICompatibleProvider(
        name="openai", base_url=settings.FALLBACK_OPENAI_BASE_URL, model_id=settings.FALLBACK_OPENAI_MODEL,
        api_key=settings.FALLBACK_OPENAI_API_KEY, timeout_s=settings.FALLBACK_TIMEOUT_S,
    )
