"""Provider registry: a name maps to a lazily built provider.

``local`` is the on-prem answer model (vLLM). External providers for the
approved fallback are registered by :mod:`rag.fallback` through the same map.
"""
from __future__ import annotations

from typing import Callable

from django.conf import settings

from rag.llm.base import ChatProvider

_FACTORIES: dict[str, Callable[[], ChatProvider]] = {}


def provider_register(name: str, factory: Callable[[], ChatProvider]) -> None:
    _FACTORIES[name] = factory


def provider_get(name: str) -> ChatProvider:
    """Build the provider registered as ``name``. Raises KeyError for unknown names."""
    try:
        factory = _FACTORIES[name]
    except KeyError:
        raise KeyError(f"unknown LLM provider {name!r}; known: {', '.join(sorted(_FACTORIES))}") from None
    return factory()


def _local() -> ChatProvider:
    from rag.llm.openai_compatible import OpenAICompatibleProvider

    return OpenAICompatibleProvider(
        name="vllm", base_url=settings.LLM_BASE_URL, model_id=settings.LLM_MODEL,
        api_key=settings.LLM_API_KEY, timeout_s=settings.LLM_TIMEOUT_S,
    )


provider_register("local", _local)
