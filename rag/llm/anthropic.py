"""Provider for Anthropic's Messages API (``POST {base_url}/v1/messages``), used by
the approved external fallback.

Whole completions are sent as exact bytes (:class:`rag.llm.wire.ExactBodyProvider`),
so a caller can hash and approve exactly what will leave. System messages go to
the top-level ``system`` field, as the Messages API requires.
"""
from __future__ import annotations

from collections.abc import Iterator

import anthropic
from anthropic.types import Message
from django.conf import settings

from rag.llm.base import ChatMessage, ChatResult
from rag.llm.wire import ExactBodyProvider


class AnthropicProvider(ExactBodyProvider):
    """A :class:`rag.llm.base.ChatProvider` for Claude models (Anthropic Messages API).

    Constructor arguments as :class:`rag.llm.wire.ExactBodyProvider`; ``base_url``
    without ``/v1`` (e.g. ``https://api.anthropic.com``). 429, 5xx (incl. 529
    overloaded), timeouts and connection errors are transient; the rest permanent.
    """

    spec = "Anthropic Messages API"
    path = "/v1/messages"
    response_type = Message
    client_class = anthropic.Anthropic
    client_options = {"open_telemetry": False}
    sdk_errors = (anthropic.AnthropicError,)
    transient_errors = (anthropic.APITimeoutError, anthropic.APIConnectionError, anthropic.RateLimitError,
                        anthropic.InternalServerError)

    def request_body(self, *, messages: list[ChatMessage], max_tokens: int, temperature: float) -> dict:
        """``{"model", "max_tokens", "temperature", "messages", "system"?}``: system messages joined by blank lines."""
        system = "\n\n".join(m.content for m in messages if m.role == "system")
        body = {
            "model": self.model_id,
            "max_tokens": max_tokens,
            "temperature": temperature,
            "messages": [{"role": m.role, "content": m.content} for m in messages if m.role != "system"],
        }
        if system:
            body["system"] = system
        return body

    @classmethod
    def messages_parse(cls, data: dict) -> list[ChatMessage]:
        """``system`` (if any) as one system message, then ``messages``. Raises KeyError/TypeError when malformed."""
        messages = [ChatMessage("system", data["system"])] if data.get("system") else []
        return messages + [ChatMessage(m["role"], m["content"]) for m in data["messages"]]

    def result_from(self, response: Message, *, request: dict) -> ChatResult:
        """The text blocks joined, with ``usage.input_tokens`` / ``output_tokens`` as prompt/completion tokens."""
        return ChatResult(
            text="".join(block.text for block in response.content if block.type == "text"),
            model_id=response.model or self.model_id,
            prompt_tokens=response.usage.input_tokens if response.usage else None,
            completion_tokens=response.usage.output_tokens if response.usage else None,
            finish_reason=response.stop_reason,
            raw_request=request,
        )

    def chat_stream(self, *, messages: list[ChatMessage], max_tokens: int,
                    temperature: float) -> Iterator[str | ChatResult]:
        """Yield text deltas, then one ChatResult with usage (SDK ``messages.stream``). Raises LLMError."""
        request = self.request_body(messages=messages, max_tokens=max_tokens, temperature=temperature)
        result = ChatResult(text="", model_id=self.model_id, raw_request=request)
        parts: list[str] = []
        try:
            with self._client.messages.stream(**request) as stream:
                for delta in stream.text_stream:
                    parts.append(delta)
                    yield delta
                final = stream.get_final_message()
        except anthropic.AnthropicError as exc:
            raise self.llm_error(exc) from exc
        result.text = "".join(parts)
        result.model_id = final.model or self.model_id
        result.prompt_tokens = final.usage.input_tokens
        result.completion_tokens = final.usage.output_tokens
        result.finish_reason = final.stop_reason
        yield result


def anthropic_provider() -> AnthropicProvider:
    """Anthropic's API for the approved fallback, from ``FALLBACK_ANTHROPIC_*`` and ``FALLBACK_TIMEOUT_S``."""
    return AnthropicProvider(
        name="anthropic", base_url=settings.FALLBACK_ANTHROPIC_BASE_URL,
        model_id=settings.FALLBACK_ANTHROPIC_MODEL, api_key=settings.FALLBACK_ANTHROPIC_API_KEY,
        timeout_s=settings.FALLBACK_TIMEOUT_S,
    )
