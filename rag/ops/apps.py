from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Health, metrics and JSON logs: configures structlog and connects the observing signal receivers."""

    name = "rag.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        # Observability hooks on framework and model events: Celery publishing and
        # running tasks, and recorded model calls and questions (metrics and one log line
        # each). They only read; business logic never lives here.
        from rag.ops import logs, signals

        logs.structlog_configure()
        signals.connect()
