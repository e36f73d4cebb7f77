from django.apps import AppConfig


class UiConfig(AppConfig):
    """History, access, ingestion health and the models/rollout pages."""

    name = "rag.ui"
    label = "ui"
    verbose_name = "Web UI pages for employees and admins"
