from django.apps import AppConfig


class AccessConfig(AppConfig):
    """Collection grants, API tokens and sign-in: registers the OpenAPI bearer scheme and the failed-sign-in receiver."""

    name = "rag.access"
    label = "access"
    verbose_name = "Access: collection grants and API tokens"

    def ready(self) -> None:
        # drf-spectacular finds OpenApiAuthenticationExtension subclasses by import.
        from rag.access import openapi  # noqa: F401

        # Failed sign-ins are counted per client and audited in aggregate (rag.access.failures).
        from django.contrib.auth.signals import user_login_failed

        from rag.access import receivers

        user_login_failed.connect(receivers.login_failed_record, dispatch_uid="access.login_failed")
