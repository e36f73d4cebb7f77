"""The one way Perimeter talks to language models.

Every provider implements :class:`ChatProvider` and is built by name through
:func:`rag.llm.registry.provider_get`; every call is recorded as an
:class:`rag.llm.models.LLMCall` row by :func:`rag.llm.services.llm_chat` /
:func:`rag.llm.services.llm_chat_stream`, never by callers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Protocol


class LLMError(Exception):
    """A model call failed. ``permanent`` is False for errors worth retrying
    (timeouts, 429, 5xx) and True for errors that will fail again (400, 401, 404)."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class ChatMessage:
    """One message of a conversation, in the order the model reads them."""

    role: str  # "system" | "user" | "assistant"
    content: str


@dataclass
class ChatResult:
    """A finished completion. Token counts (tokens) are the provider's own usage
    figures, None when it reported none; ``raw_request`` is the request body sent, as a dict."""

    text: str
    model_id: str
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    finish_reason: str | None = None
    raw_request: dict = field(default_factory=dict)


class ChatProvider(Protocol):
    """A chat model behind one wire format. ``name`` is recorded as the LLMCall's
    provider (e.g. ``"vllm"``, ``"openai"``), ``model_id`` as the model asked for."""

    name: str
    model_id: str

    def chat(self, *, messages: list[ChatMessage], max_tokens: int, temperature: float) -> ChatResult:
        """Return the whole completion. Raises LLMError."""

    def chat_stream(
        self, *, messages: list[ChatMessage], max_tokens: int, temperature: float
    ) -> Iterator[str | ChatResult]:
        """Yield text deltas, then one final ChatResult with usage. Raises LLMError."""
