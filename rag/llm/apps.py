from django.apps import AppConfig


class LlmConfig(AppConfig):
    name = "rag.llm"
    label = "llm"
