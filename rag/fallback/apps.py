from django.apps import AppConfig


class FallbackConfig(AppConfig):
    name = "rag.fallback"
    label = "fallback"
    verbose_name = "External fallback"

    def ready(self) -> None:
        # The external providers live in the same registry as the local model, so
        # every call to them goes through rag.llm.services.llm_chat and is recorded.
        from rag.fallback.wire import anthropic_provider, openai_provider
        from rag.llm.registry import provider_register

        provider_register("openai", openai_provider)
        provider_register("anthropic", anthropic_provider)
