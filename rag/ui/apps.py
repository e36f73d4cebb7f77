from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "rag.ui"
    label = "ui"
    verbose_name = "Web UI pages for employees and admins"
