"""Celery application. Broker and result backend both come from ``REDIS_URL``."""
import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rag.settings")

app = Celery("perimeter")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect
def _logging_from_django(**kwargs):
    """Workers and beat log exactly like the web process: settings.LOGGING (JSON lines,
    request ids; rag.ops.logs) instead of Celery's own format."""
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@signals.worker_ready.connect
def _worker_ready(sender=None, **kwargs):
    """Start the heartbeat /readyz looks for, and verify the audit chain once now rather
    than waiting for the first beat (rag.ops)."""
    from rag.ops.state import worker_heartbeat_start

    worker_heartbeat_start(worker=getattr(sender, "hostname", None))
    app.send_task("rag.ops.tasks.audit_chain_verify_task")


@signals.worker_shutdown.connect
def _worker_shutdown(**kwargs):
    from rag.ops.state import worker_heartbeat_stop

    worker_heartbeat_stop()
