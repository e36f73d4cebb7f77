"""Provider registry: a name maps to the dotted path of a factory, imported on first use.

``local`` is the on-prem answer model (vLLM); ``openai`` and ``anthropic`` are
the external providers of the approved fallback. Every provider lives in
:mod:`rag.llm`, and every call to one goes through
:func:`rag.llm.services.llm_chat` and is recorded. A factory reads the settings
each time it is called, so a changed setting applies to the next call; the SDK
behind a provider is imported only when that provider is first used.
"""
from __future__ import annotations

from collections.abc import Callable

from django.utils.module_loading import import_string

from rag.llm.base import ChatProvider

PROVIDERS: dict[str, str] = {
    "local": "rag.llm.openai_compatible.local_provider",
    "openai": "rag.llm.openai_compatible.openai_provider",
    "anthropic": "rag.llm.anthropic.anthropic_provider",
}


def provider_get(name: str) -> ChatProvider:
    """A new provider for the name ``name`` (one of :data:`PROVIDERS`), configured from settings now.

    Raises KeyError for an unknown name; ImportError if the provider's SDK is not installed.
    """
    try:
        path = PROVIDERS[name]
    except KeyError:
        raise KeyError(f"unknown LLM provider {name!r}; known: {', '.join(sorted(PROVIDERS))}") from None
    factory: Callable[[], ChatProvider] = import_string(path)
    return factory()
