from django.apps import AppConfig


class QaConfig(AppConfig):
    name = "rag.qa"
    label = "qa"
