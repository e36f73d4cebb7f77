"""Provider for Anthropic's Messages API (``POST {base_url}/v1/messages``), used by
the approved external fallback.

The request body is serialized here, once, to canonical JSON bytes
(:meth:`AnthropicProvider.request_bytes`) and those bytes are what the SDK puts
on the wire (``client.post(content=...)``), so a caller can hash and approve
exactly what will leave. System messages go to the top-level ``system`` field,
as the Messages API requires.
"""
from __future__ import annotations

import json
from collections.abc import Iterator

import anthropic
from anthropic.types import Message

from rag.llm.base import ChatMessage, ChatResult, LLMError

_TRANSIENT = (anthropic.APITimeoutError, anthropic.APIConnectionError, anthropic.RateLimitError,
              anthropic.InternalServerError)


def _llm_error(exc: Exception) -> LLMError:
    """429, 5xx (incl. 529 overloaded), timeouts and connection errors are worth retrying; the rest are not."""
    return LLMError(f"{type(exc).__name__}: {exc}", permanent=not isinstance(exc, _TRANSIENT))


class AnthropicProvider:
    """A :class:`rag.llm.base.ChatProvider` for Claude models.

    ``base_url`` without ``/v1`` (e.g. ``https://api.anthropic.com``);
    ``timeout_s`` per request, in seconds; ``max_retries`` SDK-level retries
    (0: the caller retries, so every attempt is recorded).
    """

    def __init__(self, *, name: str, base_url: str, model_id: str, api_key: str, timeout_s: float,
                 max_retries: int = 0) -> None:
        self.name = name
        self.model_id = model_id
        self._client = anthropic.Anthropic(base_url=base_url, api_key=api_key or "EMPTY", timeout=timeout_s,
                                           max_retries=max_retries, open_telemetry=False)

    def request_body(self, *, messages: list[ChatMessage], max_tokens: int, temperature: float) -> dict:
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

    def request_bytes(self, *, messages: list[ChatMessage], max_tokens: int, temperature: float) -> bytes:
        """The exact HTTP body :meth:`chat` sends: UTF-8 JSON, keys sorted, no insignificant whitespace."""
        body = self.request_body(messages=messages, max_tokens=max_tokens, temperature=temperature)
        return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")

    @staticmethod
    def request_parse(body: bytes) -> tuple[list[ChatMessage], int, float]:
        """Inverse of :meth:`request_bytes`: ``(messages, max_tokens, temperature)``. Raises ValueError."""
        try:
            data = json.loads(body)
            messages = [ChatMessage("system", data["system"])] if data.get("system") else []
            messages += [ChatMessage(m["role"], m["content"]) for m in data["messages"]]
            return messages, int(data["max_tokens"]), float(data["temperature"])
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a Messages API request body: {exc!r}") from exc

    def chat(self, *, messages: list[ChatMessage], max_tokens: int, temperature: float) -> ChatResult:
        body = self.request_bytes(messages=messages, max_tokens=max_tokens, temperature=temperature)
        try:
            resp = self._client.post("/v1/messages", cast_to=Message, content=body,
                                     options={"headers": {"Content-Type": "application/json"}})
        except anthropic.AnthropicError as exc:
            raise _llm_error(exc) from exc
        return ChatResult(
            text="".join(block.text for block in resp.content if block.type == "text"),
            model_id=resp.model or self.model_id,
            prompt_tokens=resp.usage.input_tokens if resp.usage else None,
            completion_tokens=resp.usage.output_tokens if resp.usage else None,
            finish_reason=resp.stop_reason,
            raw_request=json.loads(body),
        )

    def chat_stream(self, *, messages: list[ChatMessage], max_tokens: int,
                    temperature: float) -> Iterator[str | ChatResult]:
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
            raise _llm_error(exc) from exc
        result.text = "".join(parts)
        result.model_id = final.model or self.model_id
        result.prompt_tokens = final.usage.input_tokens
        result.completion_tokens = final.usage.output_tokens
        result.finish_reason = final.stop_reason
        yield result
