from django.apps import AppConfig


class QaConfig(AppConfig):
    """Questions, answers, conversations and feedback."""

    name = "rag.qa"
    label = "qa"
