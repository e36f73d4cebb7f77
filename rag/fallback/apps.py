from django.apps import AppConfig


class FallbackConfig(AppConfig):
    """The approved external fallback. Its providers live in :mod:`rag.llm.registry`."""

    name = "rag.fallback"
    label = "fallback"
    verbose_name = "External fallback"
