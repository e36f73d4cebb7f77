"""Provider for any OpenAI-compatible chat-completions server (vLLM locally,
OpenAI's API for the approved fallback). Wire format: OpenAI Chat Completions
(``POST {base_url}/chat/completions``)."""
from __future__ import annotations

from typing import Iterator

import openai

from rag.llm.base import ChatMessage, ChatResult, LLMError


def _llm_error(exc: Exception) -> LLMError:
    if isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError, openai.RateLimitError,
                        openai.InternalServerError)):
        return LLMError(f"{type(exc).__name__}: {exc}", permanent=False)
    return LLMError(f"{type(exc).__name__}: {exc}", permanent=True)


class OpenAICompatibleProvider:
    def __init__(self, *, name: str, base_url: str, model_id: str, api_key: str, timeout_s: float,
                 max_retries: int = 0) -> None:
        self.name = name
        self.model_id = model_id
        self._client = openai.OpenAI(base_url=base_url, api_key=api_key or "EMPTY", timeout=timeout_s,
                                     max_retries=max_retries)

    def _request(self, messages: list[ChatMessage], max_tokens: int, temperature: float) -> dict:
        return {
            "model": self.model_id,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": max_tokens,
            "temperature": temperature,
        }

    def chat(self, *, messages: list[ChatMessage], max_tokens: int, temperature: float) -> ChatResult:
        request = self._request(messages, max_tokens, temperature)
        try:
            resp = self._client.chat.completions.create(**request)
        except openai.OpenAIError as exc:
            raise _llm_error(exc) from exc
        choice = resp.choices[0]
        usage = resp.usage
        return ChatResult(
            text=choice.message.content or "",
            model_id=resp.model or self.model_id,
            prompt_tokens=usage.prompt_tokens if usage else None,
            completion_tokens=usage.completion_tokens if usage else None,
            finish_reason=choice.finish_reason,
            raw_request=request,
        )

    def chat_stream(self, *, messages: list[ChatMessage], max_tokens: int,
                    temperature: float) -> Iterator[str | ChatResult]:
        request = self._request(messages, max_tokens, temperature)
        parts: list[str] = []
        result = ChatResult(text="", model_id=self.model_id, raw_request=request)
        try:
            stream = self._client.chat.completions.create(
                **request, stream=True, stream_options={"include_usage": True}
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
            raise _llm_error(exc) from exc
        result.text = "".join(parts)
        yield result
