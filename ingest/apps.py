from django.apps import AppConfig


class IngestConfig(AppConfig):
    """Documents and chunks: parsing, chunking, embedding and their Celery tasks."""

    name = "ingest"
    default_auto_field = "django.db.models.BigAutoField"
