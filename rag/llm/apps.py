from django.apps import AppConfig


class LlmConfig(AppConfig):
    """Model calls (LLMCall), the local model registry and canary rollouts."""

    name = "rag.llm"
    label = "llm"
