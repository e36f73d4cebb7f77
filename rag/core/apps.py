from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rag.core"
    label = "core"
