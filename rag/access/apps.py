from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "rag.access"
    label = "access"
    verbose_name = "Access: collection grants and API tokens"

    def ready(self) -> None:
        # drf-spectacular finds OpenApiAuthenticationExtension subclasses by import.
        from rag.access import openapi  # noqa: F401
