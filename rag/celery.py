"""Celery application. Broker and result backend both come from ``REDIS_URL``."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rag.settings")

app = Celery("perimeter")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
