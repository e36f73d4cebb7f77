from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared foundations, no models: the domain error type, the one API error handler, the demo-user command."""

    name = "rag.core"
    label = "core"
