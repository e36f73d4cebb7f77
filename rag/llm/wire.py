"""Exact bytes on the wire: the one place a request body is serialized and POSTed.

An approval of an external call binds to the SHA-256 of one byte string, so a
provider serializes its request body itself, canonically (:func:`json_canonical`)
and hands those bytes to its SDK's low-level ``client.post(content=...)``: the
SDK adds headers but never re-encodes the body. :class:`ExactBodyProvider` does
that send for every provider (OpenAI Chat Completions, Anthropic Messages);
:func:`provider_for_payload` checks that a stored body round-trips to the same
bytes with the provider as configured now, before any network I/O.
"""
from __future__ import annotations

import json
from typing import Any, ClassVar

from rag.llm.base import ChatMessage, ChatResult, LLMError
from rag.llm.registry import provider_get


def json_canonical(obj: Any) -> bytes:
    """``obj`` as UTF-8 JSON with sorted keys and no insignificant whitespace (non-ASCII kept as is)."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


class ExactBodyProvider:
    """Base of the providers whose :meth:`chat` sends exactly :meth:`request_bytes`.

    A subclass sets the class attributes and implements :meth:`request_body`,
    :meth:`messages_parse` and :meth:`result_from`.

    Class attributes:
        spec: name of the wire format, for error messages.
        path: request path relative to the client's base URL.
        response_type: SDK model the JSON reply is parsed into.
        client_class: the SDK client (``openai.OpenAI``, ``anthropic.Anthropic``:
            both take the same constructor arguments and expose the same low-level ``post``).
        client_options: extra keyword arguments for ``client_class``.
        sdk_errors: the SDK's base exception class(es); anything else propagates.
        transient_errors: SDK exceptions worth retrying (timeouts, connection
            errors, 429, 5xx); every other SDK error is permanent.

    Args:
        name: recorded as the LLMCall's provider (e.g. ``"vllm"``, ``"openai"``).
        base_url: the API root the SDK expects (OpenAI: with ``/v1``; Anthropic: without).
        model_id: the model asked for.
        api_key: sent as the SDK sends it; ``""`` becomes ``"EMPTY"`` (vLLM needs none).
        timeout_s: per request, in seconds.
        max_retries: SDK-level retries; 0 by default, so the caller retries and
            every attempt is recorded.
    """

    spec: ClassVar[str]
    path: ClassVar[str]
    response_type: ClassVar[type]
    client_class: ClassVar[type]
    client_options: ClassVar[dict[str, Any]] = {}
    sdk_errors: ClassVar[tuple[type[Exception], ...]]
    transient_errors: ClassVar[tuple[type[Exception], ...]]

    def __init__(self, *, name: str, base_url: str, model_id: str, api_key: str, timeout_s: float,
                 max_retries: int = 0) -> None:
        self.name = name
        self.model_id = model_id
        self._client = self.client_class(base_url=base_url, api_key=api_key or "EMPTY", timeout=timeout_s,
                                         max_retries=max_retries, **self.client_options)

    def request_body(self, *, messages: list[ChatMessage], max_tokens: int, temperature: float) -> dict:
        """The request as a JSON-ready dict (the wire format's field names)."""
        raise NotImplementedError

    @classmethod
    def messages_parse(cls, data: dict) -> list[ChatMessage]:
        """The messages of a parsed request body, in order. Raises KeyError/TypeError when malformed."""
        raise NotImplementedError

    def result_from(self, response: Any, *, request: dict) -> ChatResult:
        """The ChatResult of a parsed SDK response (token counts from the provider's usage)."""
        raise NotImplementedError

    def llm_error(self, exc: Exception) -> LLMError:
        """An SDK exception as LLMError: ``permanent=False`` only for :attr:`transient_errors`."""
        return LLMError(f"{type(exc).__name__}: {exc}", permanent=not isinstance(exc, self.transient_errors))

    def request_bytes(self, *, messages: list[ChatMessage], max_tokens: int, temperature: float) -> bytes:
        """The exact HTTP body :meth:`chat` sends: :func:`json_canonical` of :meth:`request_body`."""
        return json_canonical(self.request_body(messages=messages, max_tokens=max_tokens, temperature=temperature))

    @classmethod
    def request_parse(cls, body: bytes) -> tuple[list[ChatMessage], int, float]:
        """Inverse of :meth:`request_bytes`: ``(messages, max_tokens, temperature)``. Raises ValueError."""
        try:
            data = json.loads(body)
            return cls.messages_parse(data), int(data["max_tokens"]), float(data["temperature"])
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a valid {cls.spec} request body: {exc!r}") from exc

    def chat(self, *, messages: list[ChatMessage], max_tokens: int, temperature: float) -> ChatResult:
        """POST :meth:`request_bytes` verbatim to :attr:`path` and return the whole completion.

        Raises LLMError (``permanent`` per :meth:`llm_error`); SDK-level retries
        are whatever the client was built with (0 for our providers: the caller
        retries, so every attempt is recorded).
        """
        body = self.request_bytes(messages=messages, max_tokens=max_tokens, temperature=temperature)
        try:
            response = self._client.post(self.path, cast_to=self.response_type, content=body,
                                         options={"headers": {"Content-Type": "application/json"}})
        except self.sdk_errors as exc:
            raise self.llm_error(exc) from exc
        return self.result_from(response, request=json.loads(body))


class PayloadMismatch(ValueError):
    """A stored body does not round-trip to the same bytes with the provider as configured now."""


def provider_for_payload(*, provider_name: str, payload: bytes) -> tuple[ExactBodyProvider, list[ChatMessage],
                                                                         int, float]:
    """The provider registered as ``provider_name`` and the call arguments that make it send ``payload``.

    Returns ``(provider, messages, max_tokens, temperature)`` such that
    ``provider.request_bytes(...) == payload``. Raises :class:`PayloadMismatch`
    if the body cannot be parsed or would serialize differently (e.g. the
    configured model id changed since the payload was built), KeyError for an
    unknown provider. No network I/O.
    """
    provider = provider_get(provider_name)
    if not isinstance(provider, ExactBodyProvider):
        raise PayloadMismatch(f"the {provider_name} provider cannot send a stored body verbatim")
    try:
        messages, max_tokens, temperature = provider.request_parse(payload)
    except ValueError as exc:
        raise PayloadMismatch(str(exc)) from exc
    if provider.request_bytes(messages=messages, max_tokens=max_tokens, temperature=temperature) != payload:
        raise PayloadMismatch(f"the {provider_name} provider as configured now (model {provider.model_id}) "
                              "would send different bytes than the stored payload")
    return provider, messages, max_tokens, temperature
